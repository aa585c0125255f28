// `git-credential-artifacts token` (issue 23) on every git under test, in a home set up by the
// real `configure`: the printed line authenticates `git ls-remote` as a Bearer header, with no
// credential helper in play, and it is git's own cache entry: a second call, and git's own
// helper afterwards, mint nothing (the emulator's request log says what went over the wire).
import { describe, expect, it } from 'vitest';
import { credentialBundle } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';
import { configuredWorld, gitRequests, mints, ok, seededRepo, settledLog } from './support.js';

const tokenShape = /^art_v\d+_(?:[a-z0-9]+_)*[0-9a-f]{40}\?expires=\d+$/;

describe.each(gitsUnderTest())('token <ns>/<repo> with $label', (git) => {
  const w = configuredWorld(git);
  const token = (args: string[], env: NodeJS.ProcessEnv = {}) => w.home.run(process.execPath, [credentialBundle, 'token', ...args], { env });
  /** git with no gitconfig at all (so no helper), the header given in the environment, not argv. */
  const withHeader = (value: string): NodeJS.ProcessEnv => ({ GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: value });

  it('token default/demo --scope read: one line that git ls-remote takes as a Bearer header; --json and git itself then mint nothing', async () => {
    const remote = await seededRepo(w.emu, w.home, 'demo', { 'a.txt': 'a\n' });
    await w.emu.clearLog();

    // Traced: the trace names the token's id, never the token.
    const first = await token(['default/demo', '--scope', 'read'], { ARTIFACTS_TRACE: '1' });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^[^\n]+\n$/);
    const printed = first.stdout.trim();
    expect(printed).toMatch(tokenShape);
    expect(first.stderr).toContain('mint.done');
    expect(first.stderr).not.toContain(printed.split('?')[0]);

    const ls = await ok(w.home, ['ls-remote', remote], undefined, { env: withHeader(`Authorization: Bearer ${printed}`) });
    expect(ls.stdout).toMatch(/^[0-9a-f]{40}\trefs\/heads\/main$/m);

    const second = await token(['default/demo', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toBe('');
    const json = JSON.parse(second.stdout) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['expires_at', 'scope', 'token']);
    expect(json).toMatchObject({ token: printed, scope: 'read' });
    expect(json.expires_at).toBe(new Date(Number(printed.split('?expires=')[1]) * 1000).toISOString());

    // git's own helper (configure's line) answers from the same cache entry.
    await ok(w.home, ['ls-remote', remote]);

    const log = await settledLog(w.emu);
    const minted = mints(log);
    expect(minted.map((m) => [m.namespace, m.repo, m.scope])).toEqual([['default', 'demo', 'read']]);
    const requests = gitRequests(log).filter((r) => r.tokenId !== null);
    expect(requests.map((r) => [r.auth, r.status, r.tokenId])).toContainEqual(['bearer', 200, minted[0]!.tokenId]);
    expect(requests.map((r) => r.auth)).toContain('basic');
    expect(requests.every((r) => r.tokenId === minted[0]!.tokenId && r.status === 200)).toBe(true);
  });

  it('--scope write --ttl 600: a new write token of that lifetime; a cached one that outlives --ttl is not handed out', async () => {
    await w.emu.createRepo('default', 'ttl');
    await w.emu.clearLog();
    const long = await token(['default/ttl', '--scope', 'write', '--json']);
    expect(long.code, long.stderr).toBe(0);
    const short = await token(['default/ttl', '--scope', 'write', '--ttl', '600', '--json']);
    expect(short.code, short.stderr).toBe(0);
    const again = await token(['default/ttl', '--scope', 'write', '--ttl', '600', '--json']);
    const [a, b, c] = [long, short, again].map((r) => JSON.parse(r.stdout) as { token: string; expires_at: string });
    expect(b!.token).not.toBe(a!.token);
    expect(c!.token).toBe(b!.token);
    const log = await settledLog(w.emu);
    expect(mints(log, 'write').map((m) => m.ttl)).toEqual([900, 600]);
  });
});
