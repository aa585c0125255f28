// The credential helper of one wrapper session: what the `git remote-http(s)` child runs
// (answer-helper.ts) and the two private files behind it, in the operation file's fresh 0700
// directory, written like cache entries (private-file.ts: 0600, atomic, no symlink followed):
// - `helper`, the real helper command, written once the origin policy allows our helper
//   (useHelper);
// - `answer`, written once the first command says which scope the session needs (prepare):
//   the wrapper looks in the token cache itself, exactly as our credential helper would for
//   that remote (src/credential/cached-answer.ts), so a push starts no second runtime for its
//   credential (README.md, "Speed"). Only a cache hit is prepared. A miss (mint), an error or
//   anything unusual leaves no file, and the real helper mints, reports and decides as always,
//   so every failure message still comes from one place. The answer holds a token: it is
//   removed as soon as git sends its next command (by then the child has authenticated: git
//   waits for the answer to `list`/`stateless-connect`, which the child gives only after its
//   first authenticated request) or when the wrapper exits, whichever comes first.
import path from 'node:path';
import { answerLines } from '../credential/answer.js';
import { flagsOf, parseHelperArgs } from '../credential/args.js';
import { cachedAnswer, cacheKeyFor } from '../credential/cached-answer.js';
import { formatCredential } from '../credential/protocol.js';
import { decide } from '../credential/request.js';
import type { Endpoint } from '../endpoint/endpoint.js';
import { tokenCacheDir } from '../paths.js';
import { removeQuietly, writePrivateFile } from '../private-file.js';
import { entryName, TokenCache } from '../token/cache.js';
import { lastUseVerdict, markFile, secretTag, writeMark } from '../token/served.js';
import { secondsLeft } from '../token/policy.js';
import { resolveSettings, type Scope } from '../token/settings.js';
import type { Trace } from '../trace.js';
import { answerHelperCommand, confirmScript, expectedRequest, helperScript, type ExpectedRequest } from './answer-helper.js';

export interface SessionHelperInput {
  url: string;
  origin: string;
  /** The operation file's private directory. */
  dir: string;
  env: NodeJS.ProcessEnv;
  now: () => number;
  trace: Trace;
}

interface AnswerSource {
  endpoint: Endpoint;
  flags: ReadonlyMap<string, string>;
  /** configure's --heal-dir (src/token/served.ts), when its line has one. */
  healDir?: string;
}

/** The token an answer served, so a session that fails can leave it marked for the next get. */
interface Served {
  healDir: string;
  entry: string;
  secret: string;
}

export class SessionHelper {
  /** The credential.helper value for the child. */
  readonly helper: string;
  private readonly answerFile: string;
  private readonly helperFile: string;
  private readonly confirmFile: string;
  private readonly expect: ExpectedRequest | undefined;
  private source: AnswerSource | undefined;
  private served: Served | undefined;

  constructor(private readonly input: SessionHelperInput) {
    this.answerFile = path.join(input.dir, 'answer');
    this.helperFile = path.join(input.dir, 'helper');
    this.confirmFile = path.join(input.dir, 'confirm');
    this.expect = expectedRequest(input.url, input.origin);
    this.helper = answerHelperCommand({ answer: this.answerFile, helper: this.helperFile, confirm: this.confirmFile }, this.expect);
  }

  /**
   * Puts the real helper behind the child's: value as git config holds it, argv when it is
   * ours in configure's form (then the wrapper can answer from the cache itself).
   */
  useHelper(value: string, argv: readonly string[] | undefined): void {
    writePrivateFile(this.input.dir, this.helperFile, helperScript(value));
    this.source = argv && answerSource(argv);
    if (this.source?.healDir) writePrivateFile(this.input.dir, this.confirmFile, confirmScript(this.source.healDir));
    if (!this.expect || !this.source) {
      this.input.trace('answer.off', { why: this.expect ? 'helper flags not understood' : 'remote URL not in plain form' });
    }
  }

  /** Called once the scope is known, before the command goes to the child. Never throws. */
  prepare(scope: Scope): void {
    const { expect, source } = this;
    if (!expect || !source) return;
    try {
      const text = this.answerFor(expect, source, scope);
      if (text !== undefined) writePrivateFile(this.input.dir, this.answerFile, text);
    } catch (e) {
      // The real helper meets the same condition and reports it properly.
      this.input.trace('answer.skipped', { scope, why: (e as Error).message });
    }
  }

  /** Removes the answer (idempotent). */
  drop(): void {
    removeQuietly(this.answerFile);
  }

  /**
   * The child's exit code is known. A failed session that was served a cached token leaves it
   * marked as unconfirmed by a git that has ended (pid 0), so the next get for it, the real
   * helper's, asks the server once and mints anew if the token was refused (a revoke). The
   * answer helper's `store` is a no-op, so a good session leaves nothing. Never throws.
   */
  finished(code: number): void {
    const served = this.served;
    if (code === 0 || !served) return;
    try {
      writeMark(served.healDir, markFile(served.healDir, served.entry), { tag: secretTag(served.secret), at: this.input.now(), pid: 0 });
      this.input.trace('served.unconfirmed', { code });
    } catch (e) {
      this.input.trace('served.skipped', { why: (e as Error).message });
    }
  }

  private answerFor(expect: ExpectedRequest, source: AnswerSource, scope: Scope): string | undefined {
    const { trace, env } = this.input;
    const fields = new Map([
      ['protocol', expect.protocol],
      ['host', expect.host],
      ['path', expect.path],
    ]);
    const decision = decide({ fields, lists: new Map() }, [source.endpoint]);
    if (decision.kind !== 'ours') {
      trace('answer.skipped', { scope, why: decision.kind === 'not-ours' ? decision.why : 'the helper cannot serve this remote' });
      return undefined;
    }
    const settings = resolveSettings(source.flags, env);
    const now = this.input.now();
    const cached = cachedAnswer(new TokenCache(tokenCacheDir(env)), cacheKeyFor(decision, source.endpoint.apiUrl, scope), now, settings.refreshMargin);
    if (cached.kind === 'miss') {
      trace('answer.skipped', { scope, why: `cache ${cached.reason}; the credential helper mints` });
      return undefined;
    }
    const entry = entryName(cached.key);
    if (source.healDir) {
      // A token whose last use was never confirmed: the real helper asks the server first (credential/heal.ts).
      if (lastUseVerdict(source.healDir, entry, cached.token.secret, now) === 'suspect') {
        trace('answer.skipped', { scope, why: 'its last use was never confirmed; the credential helper checks it' });
        return undefined;
      }
      this.served = { healDir: source.healDir, entry, secret: cached.token.secret };
    }
    trace('answer.prepared', { scope, id: cached.token.id, secondsLeft: Math.floor(secondsLeft(cached.token, now)) });
    return formatCredential(answerLines(cached.token));
  }
}

/** The endpoint and settings flags in a helper argv (self, then --flags), or undefined. */
export function answerSource(argv: readonly string[]): AnswerSource | undefined {
  try {
    const { endpoint, settings, healDir } = parseHelperArgs(flagsOf(argv));
    return { endpoint, flags: settings, ...(healDir === undefined ? {} : { healDir }) };
  } catch {
    return undefined;
  }
}
