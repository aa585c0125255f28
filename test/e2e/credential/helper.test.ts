// The credential helper end to end: real git, configured by `configure`, against the emulator.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import { configuredHome, gitRequests, helperAction, helperGet, mints, settledLog } from '../../support/artifacts-home.js';
import type { Emulator } from '../../support/emulator.js';
import { makeGitHome, type GitHome } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';

describe.each(gitsUnderTest())('credential helper with $label', (git) => {
  let emu: Emulator;
  let seed: GitHome;
  let n = 0;
  /** A fresh repo with one commit, pushed with the emulator's own creation token. */
  const freshRepo = async (): Promise<{ name: string; remote: string }> => {
    const name = `repo-${++n}`;
    const created = await emu.createRepo('default', name);
    const work = `${seed.dir}/${name}`;
    await seed.git(['init', '-q', work]);
    await seed.git(['-C', work, 'commit', '-q', '--allow-empty', '-m', 'first']);
    const pushed = await seed.git(['-C', work, 'push', '-q', created.remote, 'HEAD:refs/heads/main'], {
      env: { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Bearer ${created.token}` },
    });
    expect(pushed.code, pushed.stderr).toBe(0);
    await settledLog(emu); // let the push's last request land in the log before clearing it
    await emu.clearLog();
    return { name, remote: created.remote };
  };

  /** Runs body with a fresh repo and a home configured by `configure`; cleans both up. */
  const withHome = async (env: NodeJS.ProcessEnv, body: (home: GitHome, repo: { name: string; remote: string }) => Promise<void>) => {
    const repo = await freshRepo();
    const home = await configuredHome(git, emu, env);
    try {
      await body(home, repo);
    } finally {
      await emu.clearFaults();
      home.cleanup();
    }
  };

  withEmulator((e) => (emu = e));
  beforeAll(async () => {
    seed = makeGitHome(git);
  });
  afterAll(async () => {
    seed?.cleanup();
  });

  it('clone mints one read token; a second clone and a fetch mint none', () =>
    withHome({}, async (home, { remote }) => {
      const first = await home.git(['clone', '-q', remote, 'a']);
      expect(first.code, first.stderr).toBe(0);
      const second = await home.git(['clone', '-q', remote, 'b']);
      expect(second.code, second.stderr).toBe(0);
      const fetched = await home.git(['-C', 'a', 'fetch', '-q']);
      expect(fetched.code, fetched.stderr).toBe(0);
      const log = await emu.log();
      expect(mints(log)).toHaveLength(1);
      expect(mints(log, 'read')).toHaveLength(1);
      const authed = gitRequests(log).filter((r) => r.tokenId);
      expect(authed.length).toBeGreaterThan(0);
      expect(authed.map((r) => [r.scope, r.status])).toEqual(authed.map(() => ['read', 200]));
      // Basic on every git, even where git >= 2.46 announces capability[]=authtype (answer.ts).
      expect(new Set(authed.map((r) => r.auth))).toEqual(new Set(['basic']));
    }));

  // Token expiry and the refresh margin: expiry.test.ts, in-process with a fake clock.

  it('16 parallel ls-remote cause one mint', () =>
    withHome({}, async (home, { remote }) => {
      const results = await Promise.all(Array.from({ length: 16 }, () => home.git(['ls-remote', remote])));
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      expect(mints(await emu.log())).toHaveLength(1);
    }));

  it('two transient 503s on mint still give a working clone', () =>
    withHome({}, async (home, { remote }) => {
      await emu.faults({ routes: [{ route: 'mint', status: 503, count: 2 }] });
      const r = await home.git(['clone', '-q', remote, 'd']);
      expect(r.code, r.stderr).toBe(0);
      const log = await emu.log();
      expect(log.filter((e) => e.kind === 'mint').map((e) => e.status)).toEqual([503, 503, 201]);
    }));

  // How long a Retry-After makes it wait: test/unit/controlplane/client.test.ts, on a fake clock.
  it('429 with Retry-After is retried to a working ls-remote', () =>
    withHome({}, async (home, { remote }) => {
      await emu.faults({ routes: [{ route: 'mint', status: 429, retryAfter: 1 }] });
      const r = await home.git(['ls-remote', remote]);
      expect(r.code, r.stderr).toBe(0);
      expect((await emu.log()).filter((e) => e.kind === 'mint').map((e) => e.status)).toEqual([429, 201]);
    }));

  it('a mint route that always fails gives a fast, clear failure and no prompt', () =>
    withHome({ ARTIFACTS_TIMEOUT: '5' }, async (home, { remote }) => {
      await emu.faults({ routes: [{ route: 'mint', status: 500, count: 1000 }] });
      const r = await home.git(['clone', '-q', remote, 'e']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/git-credential-artifacts: could not mint a read token for default\/repo-\d+ .*HTTP 500/);
      expect(r.stderr).toMatch(/told us to quit/);
    }));

  it('a rejected API token says which permission is needed', () =>
    withHome({ ARTIFACTS_API_TOKEN: 'wrong' }, async (home, { remote }) => {
      const r = await home.git(['ls-remote', remote]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/Artifacts Edit/);
    }));

  it('no API token at all fails fast with what to set', () =>
    withHome({ ARTIFACTS_API_TOKEN: '' }, async (home, { remote }) => {
      const r = await home.git(['ls-remote', remote], { env: { PATH: home.env.PATH!.split(':').filter((p) => !p.includes('wrangler')).join(':') } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/ARTIFACTS_API_TOKEN/);
    }));

  it('a missing repo names the repo and account', async () => {
    const home = await configuredHome(git, emu);
    try {
      const r = await home.git(['ls-remote', `${emu.url}/git/default/nope.git`]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/default\/nope in account test-account/);
    } finally {
      home.cleanup();
    }
  });

  it('git credential fill through the configured chain answers for our host only', () =>
    withHome({}, async (home, { name }) => {
      const host = new URL(emu.url).host;
      const ours = await home.git(['credential', 'fill'], { input: `protocol=http\nhost=${host}\npath=git/default/${name}.git\n\n` });
      expect(ours.code, ours.stderr).toBe(0);
      expect(ours.stdout).toMatch(/^username=x$/m);
      expect(ours.stdout).toMatch(/^password=art_v1_[0-9a-f]{40}$/m);
      // Another host: our helper says nothing; git would prompt, which is disabled here.
      const other = await home.git(['credential', 'fill'], { input: 'protocol=https\nhost=example.com\n\n' });
      expect(other.stdout).not.toMatch(/art_v/);
    }));

  it('ARTIFACTS_TRACE=<path> writes the decisions to that file, never a token', () =>
    withHome({}, async (home, { remote }) => {
      const file = `${home.dir}/trace.log`;
      for (let i = 0; i < 2; i++) {
        const r = await home.git(['ls-remote', remote], { env: { ARTIFACTS_TRACE: file } });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).not.toMatch(/cache\.(hit|miss)/);
      }
      const trace = readFileSync(file, 'utf8');
      for (const event of ['request', 'decision=owned', 'scope=read', 'cache.miss', 'mint.done', 'status=201', 'cache.hit']) expect(trace).toContain(event);
      expect(trace).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z git-credential-artifacts\[\d+\] /m);
      const minted = mints(await emu.log());
      expect(minted).toHaveLength(1);
      expect(trace).not.toMatch(/art_v\d/);
      expect(trace).toContain(`id=${minted[0]!.tokenId}`);
    }));

  it('a cached token with less than the refresh margin left is not handed out', () =>
    // Tokens of 120 s against a 300 s margin: each is used once, then replaced.
    withHome({ ARTIFACTS_READ_TTL: '120', ARTIFACTS_REFRESH_MARGIN: '300' }, async (home, { remote }) => {
      for (let i = 0; i < 2; i++) expect((await home.git(['ls-remote', remote])).code).toBe(0);
      const minted = mints(await emu.log());
      expect(minted.map((m) => m.ttl)).toEqual([120, 120]);
    }));

  it('a corrupt cache entry is discarded and replaced', () =>
    withHome({}, async (home, { remote }) => {
      expect((await home.git(['ls-remote', remote])).code).toBe(0);
      const dir = `${home.env.XDG_RUNTIME_DIR}/git-credential-artifacts`;
      const [entry] = readdirSync(dir).filter((f) => f.endsWith('.json'));
      writeFileSync(`${dir}/${entry}`, '{"v":1,"key":');
      const r = await home.git(['ls-remote', remote]);
      expect(r.code, r.stderr).toBe(0);
      expect(mints(await emu.log())).toHaveLength(2);
      expect(JSON.parse(readFileSync(`${dir}/${entry}`, 'utf8')).v).toBe(1);
    }));

  it('erase drops only the entry whose secret matches', () =>
    withHome({}, async (home, { name }) => {
      const req = `protocol=http\nhost=${new URL(emu.url).host}\npath=git/default/${name}.git\n`;
      const first = await helperGet(home, emu, req);
      const secret = /^password=(.*)$/m.exec(first.stdout)![1]!;
      await helperAction(home, emu, 'erase', `${req}username=x\npassword=not-it\n`);
      expect((await helperGet(home, emu, req)).stdout).toContain(secret);
      expect(mints(await emu.log())).toHaveLength(1);
      await helperAction(home, emu, 'erase', `${req}username=x\npassword=${secret}\n`);
      expect((await helperGet(home, emu, req)).stdout).not.toContain(secret);
      expect(mints(await emu.log())).toHaveLength(2);
    }));
});
