// `git-credential-artifacts doctor` against real git config in a temp HOME, configured by the
// real `configure` for the emulator: each misconfiguration a user (or another tool) can make,
// found by the check that names it, with a fix; and the fix, run, makes doctor pass again.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import { tokenCacheDir } from '../../../src/paths.js';
import { configuredHome, mints } from '../../support/artifacts-home.js';
import type { Emulator } from '../../support/emulator.js';
import { credentialBundle, makeGitHome, type GitHome } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';

interface Report {
  ok: boolean;
  checks: Array<{ id: string; status: 'ok' | 'warn' | 'fail'; found: string; fix?: string }>;
}

let emu: Emulator;
withEmulator((e) => (emu = e));

async function doctor(home: GitHome, args: string[] = [], env: NodeJS.ProcessEnv = {}, cwd?: string) {
  const r = await home.run(process.execPath, [credentialBundle, 'doctor', '--json', ...args], { env, cwd });
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as Report; // one JSON document, whatever was found
  expect(r.code).toBe(report.ok ? 0 : 1);
  return { ...report, code: r.code, failed: report.checks.filter((c) => c.status === 'fail') };
}

describe.each(gitsUnderTest())('doctor with $label', (git) => {
  it('a fresh configure: nothing fails (exit 0), API and token checked against the emulator', async () => {
    const home = await configuredHome(git, emu);
    try {
      const r = await doctor(home);
      expect(r.failed).toEqual([]);
      expect(r.code).toBe(0);
      const ids = r.checks.filter((c) => c.status === 'ok').map((c) => c.id);
      for (const id of ['configured', 'helper-paths', 'helper-chain', 'use-http-path', 'extra-header', 'push-routing', 'protocol-allow', 'remote-helper', 'token-source', 'api-reachable', 'api-token', 'clock-skew', 'cache-dir']) expect(ids).toContain(id);
      const text = await home.run(process.execPath, [credentialBundle, 'doctor']);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^0 failed, \d+ warnings, \d+ ok\n$/m);
    } finally {
      home.cleanup();
    }
  });

  it('a gitconfig git cannot parse: one git-config failure with git\'s own words, nothing else guessed', async () => {
    const home = await configuredHome(git, emu);
    try {
      writeFileSync(home.env.GIT_CONFIG_GLOBAL!, `${readFileSync(home.env.GIT_CONFIG_GLOBAL!, 'utf8')}[broken\n`);
      const r = await doctor(home);
      expect(r.failed).toEqual([expect.objectContaining({ id: 'git-config', found: expect.stringMatching(/bad config line \d+ in file .*\.gitconfig/) })]);
    } finally {
      home.cleanup();
    }
  });

  it('no block of ours: fails with configure as the fix', async () => {
    const home = makeGitHome(git);
    try {
      const r = await doctor(home);
      expect(r.failed).toEqual([expect.objectContaining({ id: 'configured', fix: expect.stringContaining('git-credential-artifacts configure') })]);
    } finally {
      home.cleanup();
    }
  });

  it('Cloudflare without --account: the chain checked on a sample account host, pushes warned about, no token a failure', async () => {
    const home = makeGitHome(git);
    try {
      expect((await home.run(process.execPath, [credentialBundle, 'configure'])).code).toBe(0);
      const r = await doctor(home, [], { ARTIFACTS_API_TOKEN: '', PATH: [git.binDir, '/usr/bin', '/bin'].filter(Boolean).join(path.delimiter) });
      const status = (id: string) => r.checks.filter((c) => c.id === id).map((c) => c.status);
      expect(status('helper-chain')).toEqual(['ok']);
      expect(r.checks.find((c) => c.id === 'helper-chain')!.found).toMatch(/https:\/\/0{32}\.artifacts\.cloudflare\.net\/git\//);
      expect(r.checks.find((c) => c.id === 'push-routing')).toMatchObject({ status: 'warn', fix: 'git-credential-artifacts configure --account <ACCOUNT_ID>' });
      expect(r.failed.map((c) => c.id)).toEqual(['token-source']);
    } finally {
      home.cleanup();
    }
  });

  it('a namespace-scoped API (gateway JWT): its path form, the JWT checked, and the probe', async () => {
    const home = makeGitHome(git, { ARTIFACTS_JWT: emu.jwt });
    try {
      expect((await home.run(process.execPath, [credentialBundle, 'configure', '--git-url', emu.url, '--api-url', emu.gatewayUrl])).code).toBe(0);
      const r = await doctor(home);
      expect(r.failed).toEqual([]);
      expect(r.checks.find((c) => c.id === 'helper-chain')!.found).toContain(`${emu.url}/default/example.git`);
      expect(r.checks.find((c) => c.id === 'api-token')!.found).toMatch(/accepts the gateway JWT from ARTIFACTS_JWT/);
      const refused = await doctor(home, [], { ARTIFACTS_JWT: 'not-the-jwt' });
      expect(refused.failed.map((c) => c.id)).toEqual(['api-token']);
    } finally {
      home.cleanup();
    }
  });

  const rows: Array<{ name: string; breakIt: (home: GitHome) => Promise<void> | void; env?: (home: GitHome) => NodeJS.ProcessEnv; cwd?: (home: GitHome) => string; id: string; fix: RegExp }> = [
    { name: 'a later credential.helper=store (get-urlmatch shows only ours)', breakIt: (h) => gitOk(h, ['config', '--global', '--add', 'credential.helper', 'store']), id: 'helper-chain', fix: /^git config --file ".*\.gitconfig" --unset-all credential\.helper "\^store\$"$/ },
    { name: 'a repository-level reset and helper', breakIt: async (h) => {
      await gitOk(h, ['init', '-q', 'repo']);
      await gitOk(h, ['-C', 'repo', 'config', 'credential.helper', '']);
      await gitOk(h, ['-C', 'repo', 'config', '--add', 'credential.helper', 'cache']);
    }, cwd: (h) => path.join(h.dir, 'repo'), id: 'helper-chain', fix: /configure/ },
    { name: 'useHttpPath turned off by a later generic entry', breakIt: (h) => gitOk(h, ['config', '--global', 'credential.useHttpPath', 'false']), id: 'use-http-path', fix: /configure/ },
    { name: 'an Authorization extraHeader for our host', breakIt: (h) => gitOk(h, ['config', '--global', `http.${emu.url}/.extraHeader`, 'Authorization: Basic eDp5']), id: 'extra-header', fix: /--unset-all http\..*\.extraheader/ },
    { name: 'protocol.artifacts.allow=never', breakIt: (h) => gitOk(h, ['config', '--global', '--replace-all', 'protocol.artifacts.allow', 'never']), id: 'protocol-allow', fix: /git config --global protocol\.artifacts\.allow always/ },
    { name: 'the helper command points at an install that is gone', breakIt: (h) => {
      const file = h.env.GIT_CONFIG_GLOBAL!;
      writeFileSync(file, readFileSync(file, 'utf8').replace(/in get\|erase\) exec \S+/, 'in get|erase) exec /nonexistent/git-credential-artifacts'));
    }, id: 'helper-paths', fix: /configure --git-url/ },
    { name: 'git-remote-artifacts not on git\'s PATH', breakIt: () => undefined, env: () => ({ PATH: [git.binDir, '/usr/bin', '/bin'].filter(Boolean).join(path.delimiter) }), id: 'remote-helper', fix: /PATH/ },
    { name: 'an API token the API refuses', breakIt: () => undefined, env: () => ({ ARTIFACTS_API_TOKEN: 'not-the-token' }), id: 'api-token', fix: /login/ },
    { name: 'no API token anywhere', breakIt: () => undefined, env: () => ({ ARTIFACTS_API_TOKEN: '', PATH: [git.binDir, '/usr/bin', '/bin'].filter(Boolean).join(path.delimiter) }), id: 'token-source', fix: /login/ },
    { name: 'a token cache others can read', breakIt: (h) => {
      const dir = tokenCacheDir(h.env);
      mkdirSync(dir, { recursive: true });
      chmodSync(dir, 0o755);
    }, id: 'cache-dir', fix: /^chmod 700 / },
  ];
  it.each(rows)('$name: the $id check fails and says how to fix it', async ({ breakIt, env, cwd, id, fix }) => {
    const home = await configuredHome(git, emu);
    try {
      await breakIt(home);
      const r = await doctor(home, [], { ...env?.(home) }, cwd?.(home));
      expect(r.code).toBe(1);
      const found = r.failed.filter((c) => c.id === id);
      expect(found, JSON.stringify(r.failed)).toHaveLength(1);
      expect(found[0]!.fix).toMatch(fix);
    } finally {
      home.cleanup();
    }
  });

  it('a clock ten minutes off the API\'s: clock-skew fails', async () => {
    const home = await configuredHome(git, emu);
    try {
      await emu.setClockOffset(-10 * 60_000);
      const r = await doctor(home);
      expect(r.failed).toEqual([expect.objectContaining({ id: 'clock-skew', found: expect.stringMatching(/^this machine's clock is 6\d\d s ahead of the API's$/), fix: expect.stringContaining('timedatectl') })]);
    } finally {
      await emu.setClockOffset(0);
      home.cleanup();
    }
  });

  it('running the printed fix for a helper after ours makes doctor pass again', async () => {
    const home = await configuredHome(git, emu);
    try {
      await gitOk(home, ['config', '--global', '--add', 'credential.helper', 'store']);
      const fix = (await doctor(home)).failed.find((c) => c.id === 'helper-chain')!.fix!;
      expect((await home.run('sh', ['-c', fix])).code).toBe(0);
      expect((await doctor(home)).failed).toEqual([]);
    } finally {
      home.cleanup();
    }
  });

  it('with a repository URL or a remote name: checks that URL', async () => {
    const home = await configuredHome(git, emu);
    try {
      const repo = await emu.createRepo('default', `doctor-${Date.now()}`);
      const seen = (await emu.settledLog()).length;
      const byUrl = await doctor(home, [repo.remote]);
      expect(byUrl.failed).toEqual([]);
      expect(byUrl.checks.find((c) => c.id === 'helper-chain')!.found).toContain(repo.remote);
      // The permission probe: a real ls-remote with a minted read token, and a write mint; both revoked.
      expect(byUrl.checks.filter((c) => c.id.startsWith('repo-')).map((c) => `${c.id}:${c.status}`)).toEqual(['repo-read:ok', 'repo-write:ok']);
      const log = (await emu.settledLog()).slice(seen);
      const probeMints = mints(log).filter((e) => e.repo === repo.name);
      expect(probeMints.map((e) => e.scope)).toEqual(['read', 'write']);
      expect(log.filter((e) => e.kind === 'rest' && e.method === 'DELETE' && e.route === 'revoke' && e.status === 200)).toHaveLength(2);
      expect(log.some((e) => e.kind === 'git' && e.repo === repo.name && e.scope === 'read')).toBe(true);
      await gitOk(home, ['init', '-q', 'clone']);
      await gitOk(home, ['-C', 'clone', 'remote', 'add', 'origin', repo.remote]);
      const byName = await home.run(process.execPath, [credentialBundle, 'doctor', '--json', 'origin'], { cwd: path.join(home.dir, 'clone') });
      expect(JSON.parse(byName.stdout).ok).toBe(true);
      const unknown = await doctor(home, ['no-such-remote']);
      expect(unknown.failed).toEqual([expect.objectContaining({ id: 'target' })]);
    } finally {
      home.cleanup();
    }
  });

  it('inside an artifacts:// clone, `doctor origin` checks the https remote the API names for it, and passes (issue 21)', async () => {
    const home = await configuredHome(git, emu);
    try {
      const repo = await emu.createRepo('default', `doctor-named-${Date.now()}`);
      await gitOk(home, ['init', '-q', 'named']);
      await gitOk(home, ['-C', 'named', 'remote', 'add', 'origin', `artifacts://default/${repo.name}`]);
      const r = await doctor(home, ['origin'], {}, path.join(home.dir, 'named'));
      expect(r.failed).toEqual([]);
      expect(r.checks.find((c) => c.id === 'helper-chain')!.found).toContain(repo.remote);
      expect(r.checks.filter((c) => c.id.startsWith('repo-')).map((c) => `${c.id}:${c.status}`)).toEqual(['repo-read:ok', 'repo-write:ok']);
      // One the API does not know: named as such, with the API's hint, not "no block of ours".
      await gitOk(home, ['-C', 'named', 'remote', 'add', 'other', 'artifacts://default/no-such-repo']);
      const missing = await doctor(home, ['other'], {}, path.join(home.dir, 'named'));
      expect(missing.failed).toEqual([expect.objectContaining({ id: 'target', found: expect.stringMatching(/^cannot find the repository "other" names: repo default\/no-such-repo not found/) })]);
    } finally {
      home.cleanup();
    }
  });
});

async function gitOk(home: GitHome, args: string[]): Promise<void> {
  const r = await home.git(args);
  expect(r.code, r.stderr).toBe(0);
}
