// Property tests (fast-check) for every parser that reads hostile input: the credential wire
// format, remote URLs, repo paths, cache entries, `<namespace>/<repo>` arguments and git config -z output. Each runs a few hundred generated cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCredential, parseCredential } from '../../../src/credential/protocol.js';
import { hasForbiddenChar } from '../../../src/forbidden-char.js';
import { isLoopbackHost } from '../../../src/endpoint/endpoint.js';
import { isNamespaceName, isRepoName, parseRepoPath } from '../../../src/endpoint/repo-path.js';
import { isArtifactsError } from '../../../src/errors.js';
import { parseRemoteUrl } from '../../../src/remote/url.js';
import { decodeEntry, keyString, type CacheKey } from '../../../src/token/cache.js';
import { parseRepoArg } from '../../../src/cli/repo-arg.js';
import { parseGetRegexpZ } from '../../../src/cli/deps.js';

const runs = { numRuns: 400 };

/** Strings with the characters attacks use: CR, LF, NUL, U+2028/9, =, /, %, @, ?, # and more. */
const nasty = fc
  .array(
    fc.oneof(
      fc.constantFrom('\r', '\n', '\0', '\u2028', '\u2029', '\u001b', '=', '/', '%', '@', '?', '#', ':', '.', '..', '[', ']', ' ', '\\', '"', 'é', '\uFFFD', '%0a', '%00'),
      fc.string({ unit: 'binary', maxLength: 3 }),
    ),
    { maxLength: 20 },
  )
  .map((parts) => parts.join(''));
const safeValue = fc.string({ unit: 'binary', maxLength: 40 }).filter((v) => !hasForbiddenChar(v) && !v.includes('\uFFFD') && Buffer.from(v).toString() === v);
const safeKey = fc.stringMatching(/^[a-z_]{1,12}$/).filter((k) => !['url'].includes(k));

describe('credential protocol', () => {
  it('format then parse is the identity for safe scalar fields', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(safeKey, safeValue), { selector: ([k]) => k, maxLength: 8 }), (pairs) => {
        const text = formatCredential(pairs);
        const { fields } = parseCredential(Buffer.from(text));
        expect([...fields]).toEqual(pairs.filter(([, v]) => v !== undefined));
      }),
      runs,
    );
  });

  it('parse never throws anything but an ArtifactsError, and never yields a forbidden character', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('protocol', 'host', 'path', 'url', 'username', 'password', 'capability[]', 'x'), nasty), { maxLength: 6 }), (lines) => {
        const input = lines.map(([k, v]) => `${k}=${v}`).join('\n');
        try {
          const { fields, lists } = parseCredential(Buffer.from(input));
          for (const v of fields.values()) expect(hasForbiddenChar(v)).toBe(false);
          for (const l of lists.values()) for (const v of l) expect(hasForbiddenChar(v)).toBe(false);
          // The message as read: LF-split lines up to the first blank one.
          const read: string[] = [];
          for (const l of input.split('\n')) {
            if (l === '' || l === '\r') break;
            read.push(l);
          }
          for (const k of ['protocol', 'host', 'path']) {
            // A repeated field is refused, never resolved to one of its values (CVE-2020-5260).
            expect(read.filter((l) => l.startsWith(`${k}=`)).length).toBeLessThanOrEqual(1);
          }
        } catch (e) {
          expect(isArtifactsError(e)).toBe(true);
        }
      }),
      runs,
    );
  });

  it('format refuses every value git would refuse (CR, LF, NUL, controls) instead of writing it', () => {
    fc.assert(
      fc.property(nasty.filter(hasForbiddenChar), (v) => {
        expect(() => formatCredential([['password', v]])).toThrow(/unsafe value/);
      }),
      runs,
    );
  });
});

describe('remote URLs', () => {
  const urlish = fc.oneof(
    nasty,
    fc.tuple(fc.constantFrom('artifacts://', 'https://', 'http://', 'file://', 'ssh://', 'ext::', ''), nasty, fc.constantFrom('', '/git/ns/r.git', '/ns/r')).map((p) => p.join('')),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
  );
  it('yields a valid named repo, or an https (http: loopback only) URL without credentials, or an ArtifactsError', () => {
    fc.assert(
      fc.property(urlish, (raw) => {
        let r;
        try {
          r = parseRemoteUrl(raw);
        } catch (e) {
          expect(isArtifactsError(e)).toBe(true);
          return;
        }
        if (r.kind === 'named') {
          expect(isNamespaceName(r.namespace) && isRepoName(r.repo)).toBe(true);
          return;
        }
        const u = new URL(r.url);
        expect(u.username + u.password + u.search + u.hash).toBe('');
        expect(r.scheme === 'https' || (r.scheme === 'http' && isLoopbackHost(u.hostname))).toBe(true);
        expect(r.origin).toBe(`${r.scheme}://${u.host}`);
        expect(hasForbiddenChar(r.url)).toBe(false);
      }),
      runs,
    );
  });
});

describe('repo paths', () => {
  const name = fc.oneof(nasty, fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,12}$/));
  const path = fc.oneof(
    nasty,
    fc.tuple(fc.constantFrom('git/', 'git//', '', '/git/', '/'), name, fc.constantFrom('/', '//', ''), name, fc.constantFrom('', '.git', '/', '.git/', '/x')).map((p) => p.join('')),
  );
  it.each(['account', 'namespace'] as const)('%s-scoped: parse yields only documented names, or nothing', (shape) => {
    fc.assert(
      fc.property(path, (p) => {
        const ref = parseRepoPath(p, shape);
        if (!ref) return;
        expect(isNamespaceName(ref.namespace) && isRepoName(ref.repo) && !ref.repo.endsWith('.git')).toBe(true);
        // Each shape reads its own form only: git/<ns>/<repo> or <ns>/<repo>, nothing around it.
        const bare = p.replace(/\/+$/, '');
        const want = shape === 'account' ? [`git/${ref.namespace}/${ref.repo}`, `git/${ref.namespace}/${ref.repo}.git`] : [`${ref.namespace}/${ref.repo}`, `${ref.namespace}/${ref.repo}.git`];
        expect(want).toContain(bare);
      }),
      runs,
    );
  });
  it('valid names round-trip in both forms, and neither shape takes the other form', () => {
    const ns = fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,20}[a-zA-Z0-9._]$/).filter(isNamespaceName);
    const repo = fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,30}$/).filter((r) => isRepoName(r) && !r.endsWith('.git'));
    fc.assert(
      fc.property(ns, repo, fc.constantFrom('', '.git'), (n, r, suffix) => {
        expect(parseRepoPath(`git/${n}/${r}${suffix}`, 'account')).toEqual({ namespace: n, repo: r });
        expect(parseRepoPath(`${n}/${r}${suffix}`, 'namespace')).toEqual({ namespace: n, repo: r });
        expect(parseRepoPath(`${n}/${r}${suffix}`, 'account')).toBeUndefined();
        // git/<ns>/<repo> has three segments: never a namespace-scoped path.
        expect(parseRepoPath(`git/${n}/${r}${suffix}`, 'namespace')).toBeUndefined();
      }),
      runs,
    );
  });
});

describe('cache entries', () => {
  const key: CacheKey = { origin: 'http://127.0.0.1:1', apiUrl: 'http://127.0.0.1:1/client/v4', account: 'a', namespace: 'ns', repo: 'r', scope: 'read' };
  const entry = fc.record(
    {
      v: fc.oneof(fc.constant(1), fc.anything()),
      key: fc.oneof(fc.constant(keyString(key)), fc.string()),
      plaintext: fc.oneof(nasty, fc.anything()),
      secret: fc.oneof(nasty, fc.anything()),
      expiresAt: fc.oneof(fc.integer(), fc.double(), fc.anything()),
      id: fc.oneof(nasty, fc.anything()),
    },
    { requiredKeys: [] },
  );
  it('decode never throws, and whatever it returns is safe to answer to git', () => {
    fc.assert(
      fc.property(fc.oneof(entry.map((e) => JSON.stringify(e) ?? ''), nasty), (text) => {
        const t = decodeEntry(text, key);
        if (!t) return;
        expect(formatCredential([['password', t.secret], ['password_expiry_utc', String(t.expiresAt ?? '')]])).toContain('password=');
        expect(hasForbiddenChar(t.plaintext) || (t.id !== undefined && hasForbiddenChar(t.id))).toBe(false);
        expect(t.plaintext.startsWith(t.secret) && t.secret.length > 0).toBe(true);
      }),
      runs,
    );
  });
});

describe('<namespace>/<repo> arguments (revoke, token)', () => {
  it('accepts only valid names, and refuses with a usage error, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, fc.tuple(nasty, nasty).map(([a, b]) => `${a}/${b}`)), (arg) => {
        let ref;
        try {
          ref = parseRepoArg(arg);
        } catch (e) {
          expect(isArtifactsError(e) && e.code === 'usage').toBe(true);
          return;
        }
        expect(isNamespaceName(ref.namespace) && isRepoName(ref.repo)).toBe(true);
        expect([`${ref.namespace}/${ref.repo}`, `${ref.namespace}/${ref.repo}.git`]).toContain(arg);
      }),
      runs,
    );
  });
});

describe('git config -z --get-regexp output', () => {
  const key = fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !/[\n\0]/.test(k));
  const value = nasty.filter((v) => !v.includes('\0'));
  it('gives back every key and value, a value with newlines included', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 6 }), (entries) => {
        const text = entries.map(([k, v]) => `${k}\n${v}\0`).join('');
        expect(parseGetRegexpZ(text)).toEqual(entries);
      }),
      runs,
    );
  });
});
