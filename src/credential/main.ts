// git-credential-artifacts: get / store / erase (https://git-scm.com/docs/git-credential).
// This file is the hot path. It imports only node built-ins and small pure modules; minting
// and wrangler are loaded with import() only when needed. It knows nothing of the human CLI.
import { ArtifactsError } from '../errors.js';
import { readInput, writeOutput, type Io } from '../io.js';
import { tokenCacheDir } from '../paths.js';
import { report, say } from '../report.js';
import { entryName, TokenCache, type CacheKey } from '../token/cache.js';
import { secondsLeft } from '../token/policy.js';
import { cachedAnswer, cacheKeyFor } from './cached-answer.js';
import { beforeServe, markMinted, type HealContext } from './heal.js';
import { resolveSettings } from '../token/settings.js';
import { makeTrace, type Trace } from '../trace.js';
import { answerLines, quitLines, type Lines } from './answer.js';
import { credentialActions, parseHelperArgs, type HelperArgs } from './args.js';
import { operationScope } from '../operation-file.js';
import { formatCredential, parseCredential } from './protocol.js';
import { decide } from './request.js';
import { credentialTool } from '../names.js';

export const tool = credentialTool;

/** git's get/store/erase; the executable's entry (src/cli/entry.ts) sends only those here. */
export async function credentialMain(io: Io): Promise<number> {
  const trace = makeTrace(tool, io.env, (line) => io.stderr.write(line));
  let args: HelperArgs;
  try {
    args = parseHelperArgs(io.argv);
    if (!args.action || !credentialActions.has(args.action)) throw new ArtifactsError('usage', 'expected get, store or erase as the last argument');
  } catch (e) {
    return report(tool, e, io.stderr);
  }
  if (args.action === 'store') {
    // We cached what we minted already; storing anything else (tokens we did not mint, the
    // user's passwords) would be wrong. git ignores a helper's store output
    // (docs/git-and-artifacts-behaviour.md, "When git calls get, store and erase").
    trace('store.ignored');
    return 0;
  }
  // `owned` flips once the request is known to be for a host we answer for: from then on a
  // failure answers quit=1, so git fails fast instead of prompting or asking other helpers.
  const state = { owned: false };
  try {
    const lines = await handle(args, io, trace, state);
    // Formatting checks every value again (formatCredential), so it belongs inside the try:
    // an unsafe value is reported like any other failure, never a crash.
    if (lines.length) writeOutput(io, formatCredential(lines));
    return 0;
  } catch (e) {
    const code = report(tool, e, io.stderr);
    if (state.owned) writeOutput(io, formatCredential(quitLines));
    return code;
  }
}

function healContext(dir: string, io: Io, trace: Trace, probe: HealContext['probe']): HealContext {
  return { dir, now: io.now(), gitPid: gitPid(io.env), trace, probe };
}

/**
 * The git process we answer: our parent, as configure's line execs us from git's sh; the
 * wrapper's answer helper runs us from a pipeline's subshell and names git's pid instead.
 */
function gitPid(env: NodeJS.ProcessEnv): number {
  const named = env.ARTIFACTS_GIT_PID;
  return named !== undefined && /^[1-9][0-9]{0,9}$/.test(named) ? Number(named) : process.ppid;
}

/** The probe of a suspect token, against the URL git asked about; loaded only when used. */
function probeFor(protocol: string, host: string, repoPath: string, timeoutMs: number): HealContext['probe'] {
  return async (secret) => {
    const { probeToken, probeUrl } = await import('./probe-token.js');
    return probeToken(probeUrl(protocol, host, repoPath), secret, Math.min(timeoutMs, 5_000));
  };
}

async function handle(args: HelperArgs, io: Io, trace: Trace, state: { owned: boolean }): Promise<Lines> {
  const message = parseCredential(await readInput(io));
  const decision = decide(message, [args.endpoint]);
  state.owned = decision.kind !== 'not-ours' && args.action === 'get';
  trace('request', {
    action: args.action,
    protocol: message.fields.get('protocol'),
    host: message.fields.get('host'),
    path: message.fields.get('path'),
    // What git offered (capability[]: git >= 2.46); we answer Basic whatever it is (answer.ts).
    offered: message.lists.get('capability')?.join(',') || 'none',
    decision: decision.kind === 'not-ours' ? `ignored (${decision.why})` : 'owned',
  });
  if (decision.kind === 'not-ours') return [];
  if (decision.kind === 'ours-unusable') throw decision.error;
  const settings = resolveSettings(args.settings, io.env);
  const { scope, source, create } = args.action === 'erase' ? { scope: 'read' as const, source: 'erase', create: undefined } : operationScope(io.env);
  const cache = new TokenCache(tokenCacheDir(io.env));

  if (args.action === 'erase') return erase(cache, message.fields, (s) => cacheKeyFor(decision, args.endpoint.apiUrl, s), trace);

  trace('scope', { scope, source, create });
  const cached = cachedAnswer(cache, cacheKeyFor(decision, args.endpoint.apiUrl, scope), io.now(), settings.refreshMargin);
  // configure's line names a heal dir where git's `store` confirms what we served (token/served.ts).
  const heal =
    args.healDir === undefined
      ? undefined
      : healContext(args.healDir, io, trace, probeFor(decision.protocol, decision.host, message.fields.get('path')!, settings.timeoutMs));
  if (cached.kind === 'hit') {
    if (!heal || (await beforeServe(heal, entryName(cached.key), cached.token)) === 'serve') {
      trace('cache.hit', { scope, id: cached.token.id, secondsLeft: Math.floor(secondsLeft(cached.token, io.now())) });
      return answerLines(cached.token);
    }
    // Refused by the server (revoked, or expired early): never served again; a fresh one below.
    cache.removeIfSecret(cached.key, cached.token.secret);
  }
  trace('cache.miss', { scope, reason: cached.kind === 'miss' ? cached.reason : 'the server refused the cached token' });
  const key = cached.key;
  const { obtainToken } = await import('./obtain.js');
  const warn = (message: string): void => say(tool, io.stderr, message);
  const token = await obtainToken({ key, cache, settings, env: io.env, now: io.now, trace, ref: decision.ref, warn, create });
  if (heal) markMinted(heal, entryName(key), token);
  trace('answer', { scope, id: token.id, form: 'basic' });
  return answerLines(token);
}

/** erase drops only the entry whose secret git says failed: never a newer token, never others. */
function erase(cache: TokenCache, fields: Map<string, string>, keyOf: (scope: 'read' | 'write') => CacheKey, trace: Trace): Lines {
  const secret = fields.get('password') ?? fields.get('credential')?.split('?expires=')[0];
  if (!secret) return [];
  for (const s of ['read', 'write'] as const) {
    if (cache.removeIfSecret(keyOf(s), secret)) trace('erase', { scope: s });
  }
  return [];
}
