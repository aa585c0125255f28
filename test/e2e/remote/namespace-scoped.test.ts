// The namespace-scoped control plane end to end, on every git under test: with only
// ARTIFACTS_JWT set, `configure --git-url <emulator> --api-url <emulator>/v1/api` (and
// /edge/v1/api), then clone (read token), push (write token, routed through
// git-remote-artifacts) and artifacts:// of <emulator>/<ns>/<repo>.git, every token minted
// through the namespace-scoped route with the JWT. The emulator's request log shows the
// account-scoped API is never called, so the JWT is never sent to it; and the other way
// round, a Cloudflare API token is never sent to the namespace-scoped API.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import { type CreatedRepo, type Emulator, type LogEntry } from '../../support/emulator.js';
import { credentialBundle, makeGitHome, type GitHome } from '../../support/git-home.js';
import { gitsUnderTest, pathGit } from '../../support/gits.js';
import { FileStore, fileStorePath } from '../../../src/store/file-store.js';
import { recordLogin } from '../../../src/store/logins.js';
import { storeKey } from '../../../src/store/token-store.js';
import { commitFile, expectScopesNeverCrossed, mints, settledLog } from './support.js';

const restCalls = (log: LogEntry[]) => log.filter((e) => e.kind === 'rest' || e.kind === 'mint');

/** Nothing reached the account-scoped API, and every control-plane call carried the JWT. */
function expectNamespaceScopedOnly(log: LogEntry[]): void {
  const calls = restCalls(log);
  expect(calls.filter((e) => e.api === 'account'), 'calls to the account-scoped API').toEqual([]);
  expect(calls.filter((e) => e.credential !== 'jwt'), 'calls without the gateway JWT').toEqual([]);
}

let emu: Emulator;
withEmulator((e) => (emu = e));

const createNamespaced = async (ns: string, name: string): Promise<CreatedRepo> => {
  const r = await emu.rest<CreatedRepo>('POST', `/v1/api/namespaces/${ns}/repos`, { name }, emu.jwt);
  expect(r.status, JSON.stringify(r.body.errors)).toBe(201);
  return r.body.result;
};

describe.each(gitsUnderTest())('namespace-scoped endpoint with $label', (git) => {
  describe.each([['/v1/api'], ['/edge/v1/api']])('at %s', (base) => {
    let home: GitHome;
    // One emulator for the file: a namespace per git and base.
    const ns = `ns${git.version.join('')}${base.replace(/\W/g, '')}`;
    const ok = async (args: string[], cwd?: string, env: NodeJS.ProcessEnv = {}) => {
      const r = await home.git(args, { cwd: cwd && path.join(home.dir, cwd), env });
      expect(r.code, `git ${args.join(' ')}\n${r.stderr}`).toBe(0);
      return r;
    };

    beforeAll(async () => {
      // Only the JWT: no CLOUDFLARE_API_TOKEN, no account anywhere.
      home = makeGitHome(git, { ARTIFACTS_JWT: emu.jwt });
      const r = await home.run(process.execPath, [credentialBundle, 'configure', '--git-url', emu.url, '--api-url', `${emu.url}${base}`]);
      expect(r.code, r.stderr).toBe(0);
    });
    afterAll(() => home?.cleanup());

    it('configure writes no account, and the helper command names the namespace-scoped API', async () => {
      const cfg = await ok(['config', '--global', '--list']);
      expect(cfg.stdout).not.toMatch(/artifacts\.account|--account/);
      expect(cfg.stdout).toContain(`--api-url ${emu.url}${base}`);
      expect(cfg.stdout).toContain(`artifacts.apiurl=${emu.url}${base}`);
    });

    it('clones with a read token and pushes with a write token, minted by the namespace-scoped route', async () => {
      const repo = await createNamespaced(ns, 'plain');
      expect(repo.remote).toBe(`${emu.url}/${ns}/plain.git`);
      await emu.clearLog();
      await ok(['clone', '-q', repo.remote, 'plain']);
      await commitFile(home, 'plain', 'a.txt', 'one');
      await ok(['push', '-q', 'origin', 'HEAD:refs/heads/main'], 'plain');
      await ok(['clone', '-q', repo.remote, 'plain-again']);
      expect((await ok(['log', '--format=%s'], 'plain-again')).stdout.trim()).toBe('a.txt: one');

      const log = await settledLog(emu);
      expect(mints(log).map((m) => [m.api, m.credential, m.namespace, m.repo, m.scope])).toEqual([
        ['namespace', 'jwt', ns, 'plain', 'read'],
        ['namespace', 'jwt', ns, 'plain', 'write'],
      ]);
      expectNamespaceScopedOnly(log);
      expectScopesNeverCrossed(log);
      const gitForms = new Set(log.filter((e) => e.kind === 'git').map((e) => e.kind === 'git' && e.form));
      expect(gitForms).toEqual(new Set(['namespace']));
    });

    it('resolves artifacts://<ns>/<repo> through the namespace-scoped API and pushes there', async () => {
      await createNamespaced(ns, 'named');
      await emu.clearLog();
      await ok(['clone', '-q', `artifacts://${ns}/named`, 'named']);
      await commitFile(home, 'named', 'b.txt', 'two');
      await ok(['push', '-q', 'origin', 'HEAD:refs/heads/main'], 'named');
      const log = await settledLog(emu);
      expect(restCalls(log).filter((e) => e.kind === 'rest').map((e) => e.kind === 'rest' && [e.route, e.namespace, e.status])).toEqual([['repo-get', ns, 200]]);
      expect(mints(log).map((m) => m.scope)).toEqual(['read', 'write']);
      expectNamespaceScopedOnly(log);
      expectScopesNeverCrossed(log);
    });

    // Push-to-create (issue 23) on this API shape: POST <base>/namespaces/<ns>/repos with the JWT.
    it('a push to a missing repo creates it through the namespace-scoped API, in both remote forms', async () => {
      await ok(['init', '-q', '-b', 'main', 'brand-new']);
      await commitFile(home, 'brand-new', 'c.txt', 'three');
      await emu.clearLog();
      const named = await ok(['push', `artifacts://${ns}/created-named`, 'HEAD:main'], 'brand-new');
      expect(named.stderr).toContain(`git-remote-artifacts: created ${ns}/created-named\n`);
      const https = await ok(['push', `${emu.url}/${ns}/created-https.git`, 'HEAD:main'], 'brand-new');
      expect(https.stderr).toContain(`git-credential-artifacts: created ${ns}/created-https\n`);
      const log = await settledLog(emu);
      const creates = restCalls(log).filter((e) => e.kind === 'rest' && e.route === 'repo-create');
      expect(creates.map((e) => e.kind === 'rest' && [e.namespace, e.status])).toEqual([[ns, 201], [ns, 201]]);
      expect(mints(log).map((m) => [m.repo, m.scope])).toEqual([['created-named', 'write'], ['created-https', 'write']]);
      expectNamespaceScopedOnly(log);
      for (const repo of ['created-named', 'created-https']) {
        expect((await ok(['ls-remote', `artifacts://${ns}/${repo}`])).stdout).toMatch(/\trefs\/heads\/main\n/);
      }
    });

    it('does not answer the account-scoped path form on this host', async () => {
      await createNamespaced(ns, 'form');
      const r = await home.run(process.execPath, [credentialBundle, '--git-url', emu.url, '--api-url', `${emu.url}${base}`, 'get'], {
        input: `protocol=http\nhost=${new URL(emu.url).host}\npath=git/${ns}/form.git\n`,
      });
      expect(r.stdout).toBe('quit=1\n');
      expect(r.stderr).toMatch(/is not an Artifacts repo path/);
    });
  });
});

describe(`credentials never cross between the API shapes with ${pathGit().label}`, () => {
  const input = (p: string) => `protocol=http\nhost=${new URL(emu.url).host}\npath=${p}\n`;

  it('a namespace-scoped endpoint never sends CLOUDFLARE_API_TOKEN (nor asks wrangler)', async () => {
    const home = makeGitHome(pathGit(), { CLOUDFLARE_API_TOKEN: emu.apiToken });
    try {
      await createNamespaced('nojwt', 'r');
      await emu.clearLog();
      const r = await home.run(process.execPath, [credentialBundle, '--git-url', emu.url, '--api-url', emu.gatewayUrl, 'get'], { input: input('nojwt/r.git') });
      expect(r.stdout).toBe('quit=1\n');
      expect(r.stderr).toMatch(/no gateway JWT for the namespace-scoped API/);
      expect(r.stderr).toMatch(/ARTIFACTS_JWT/);
      expect(restCalls(await settledLog(emu))).toEqual([]);
    } finally {
      home.cleanup();
    }
  });

  it('an account-scoped endpoint never sends ARTIFACTS_JWT', async () => {
    const home = makeGitHome(pathGit(), { ARTIFACTS_JWT: emu.jwt, PATH: path.dirname(process.execPath) });
    try {
      await emu.createRepo('nokey', 'r');
      await emu.clearLog();
      const r = await home.run(process.execPath, [credentialBundle, '--git-url', emu.url, '--api-url', emu.apiUrl, '--account', emu.account, 'get'], { input: input('git/nokey/r.git') });
      expect(r.stdout).toBe('quit=1\n');
      expect(r.stderr).toMatch(/no API token for \S+, which is not Cloudflare's API/);
      expect(restCalls(await settledLog(emu))).toEqual([]);
    } finally {
      home.cleanup();
    }
  });

  it('a refused JWT is reported without showing it', async () => {
    const home = makeGitHome(pathGit(), { ARTIFACTS_JWT: `${emu.jwt.slice(0, -4)}AAAA` });
    try {
      await createNamespaced('badjwt', 'r');
      const r = await home.run(process.execPath, [credentialBundle, '--git-url', emu.url, '--api-url', emu.gatewayUrl, 'get'], {
        input: input('badjwt/r.git'),
        env: { ARTIFACTS_TRACE: '1' },
      });
      expect(r.stdout).toBe('quit=1\n');
      expect(r.stderr).toMatch(/the Artifacts API refused to mint a read token for badjwt\/r at http:\/\/127\.0\.0\.1:\d+\/v1\/api \(HTTP 401\)/);
      expect(r.stderr).toMatch(/hint: the gateway JWT \(ARTIFACTS_JWT, else the login for this API URL\) was refused.*login --api-url http:\/\/127\.0\.0\.1:\d+\/v1\/api` again/);
      expect(r.stderr).not.toContain(emu.jwt.split('.')[2]!.slice(0, 12));
    } finally {
      home.cleanup();
    }
  });
});

describe(`a stored login for the namespace-scoped API with ${pathGit().label}`, () => {
  it('serves when ARTIFACTS_JWT is unset, and only for its own API URL', async () => {
    const home = makeGitHome(pathGit());
    try {
      // What `login --api-url <emulator>/v1/api` leaves behind: the JWT in the file store, the index row.
      const key = storeKey(emu.gatewayUrl);
      await new FileStore(fileStorePath(home.env)).set(key, emu.jwt);
      recordLogin(home.env, key, 'file');
      const r = await home.run(process.execPath, [credentialBundle, 'configure', '--git-url', emu.url, '--api-url', emu.gatewayUrl]);
      expect(r.code, r.stderr).toBe(0);
      const repo = await createNamespaced('stored', 'r');
      await emu.clearLog();
      const cloned = await home.git(['clone', '-q', repo.remote, 'r']);
      expect(cloned.code, cloned.stderr).toBe(0);
      const log = await settledLog(emu);
      expect(mints(log).map((m) => [m.api, m.credential, m.scope])).toEqual([['namespace', 'jwt', 'read']]);
      expectNamespaceScopedOnly(log);

      // The login is for /v1/api: /edge/v1/api is another API URL, with no credential of its own.
      const edge = await home.run(process.execPath, [credentialBundle, '--git-url', emu.url, '--api-url', emu.edgeUrl, 'get'], {
        input: `protocol=http\nhost=${new URL(emu.url).host}\npath=stored/r.git\n`,
      });
      expect(edge.stdout).toBe('quit=1\n');
      expect(edge.stderr).toMatch(/no gateway JWT for the namespace-scoped API/);
    } finally {
      home.cleanup();
    }
  });
});

describe(`ARTIFACTS_BASE_URL with ${pathGit().label}`, () => {
  it('is the default --api-url of configure, namespace and all, and the git host defaults to its origin', async () => {
    const home = makeGitHome(pathGit(), { ARTIFACTS_JWT: emu.jwt, ARTIFACTS_BASE_URL: `${emu.gatewayUrl}/namespaces/base` });
    try {
      const r = await home.run(process.execPath, [credentialBundle, 'configure']);
      expect(r.code, r.stderr).toBe(0);
      const cfg = await home.git(['config', '--global', '--get-all', `credential.${emu.url}.helper`]);
      expect(cfg.stdout).toContain(`--git-url ${emu.url} --api-url ${emu.gatewayUrl} --heal-dir `);
      const repo = await createNamespaced('base', 'r');
      const cloned = await home.git(['clone', '-q', repo.remote, 'r']);
      expect(cloned.code, cloned.stderr).toBe(0);

      const refused = await home.run(process.execPath, [credentialBundle, 'configure', '--account', 'x']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/ARTIFACTS_BASE_URL from the environment/);
    } finally {
      home.cleanup();
    }
  });
});
