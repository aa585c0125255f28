// doctor's network checks, judged by pure functions (the verify answer, the repository a URL
// names), and the whole list gathered through a Deps whose git, HTTP, uid and clock are the
// test's own: what each fact turns into, with no network and no git.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryIo } from '../../support/in-process.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/child-process.js';
import type { HttpCall } from '../../../src/controlplane/http-request.js';
import { collectChecks } from '../../../src/doctor/collect.js';
import type { DoctorDeps } from '../../../src/doctor/gather.js';
import type { Configured } from '../../../src/doctor/origins.js';
import { judgeToken } from '../../../src/doctor/probe.js';
import { probeTarget } from '../../../src/doctor/repo-probe.js';
import { FileStore } from '../../../src/store/file-store.js';
import { TokenCache } from '../../../src/token/cache.js';

const cfApi = 'https://api.cloudflare.com/client/v4';
const gw = 'https://gw.example/v1/api';
const account = '0123456789abcdef0123456789abcdef';

describe('judgeToken', () => {
  const active = JSON.stringify({ result: { status: 'active' } });
  it.each([
    { api: cfApi, status: 200, body: active, want: ['ok', `${cfApi} accepts the API token from keychain`] },
    { api: cfApi, status: 401, body: '', want: ['fail', `${cfApi} refuses the API token from keychain (401): invalid, expired or revoked`] },
    { api: cfApi, status: 403, body: active, want: ['fail', `${cfApi} refuses the API token from keychain (403): invalid, expired or revoked`] },
    { api: cfApi, status: 200, body: JSON.stringify({ result: { status: 'disabled' } }), want: ['fail', 'the API token from keychain is not active (200, disabled)'] },
    { api: cfApi, status: 200, body: 'not json', want: ['fail', 'the API token from keychain is not active (200)'] },
    { api: cfApi, status: 500, body: active, want: ['fail', 'the API token from keychain is not active (500, active)'] },
    { api: gw, status: 404, body: '', want: ['ok', `${gw} accepts the gateway JWT from keychain`] },
    { api: gw, status: 401, body: '', want: ['fail', `${gw} refuses the gateway JWT from keychain (401): invalid, expired or revoked`] },
  ])('$api $status', ({ api, status, body, want }) => {
    const c = judgeToken(api, 'keychain', { status, body });
    expect([c.status, c.found]).toEqual(want);
    expect(c.id).toBe('api-token');
    if (c.status === 'fail') expect(c.fix).toMatch(api === gw ? /login --api-url https:\/\/gw\.example\/v1\/api \(a current gateway JWT\)/ : /^git-credential-artifacts login with a token that has "Artifacts Edit"/);
  });
});

describe('probeTarget', () => {
  const c = (o: Partial<Configured>): Configured => ({ pattern: 'https://*.artifacts.cloudflare.net', helper: '', apiUrl: cfApi, account: undefined, ...o });
  it.each([
    { name: 'the account from the Cloudflare host', c: c({}), url: `https://${account}.artifacts.cloudflare.net/git/ns/r.git`, want: { ref: { namespace: 'ns', repo: 'r' }, cp: { shape: 'account', apiUrl: cfApi, account } } },
    { name: "configure's account wins", c: c({ account: 'acc' }), url: `https://${account}.artifacts.cloudflare.net/git/ns/r.git`, want: { cp: { shape: 'account', apiUrl: cfApi, account: 'acc' } } },
    { name: 'a namespace-scoped API has no account', c: c({ apiUrl: gw }), url: 'https://gw.example/ns/r.git', want: { ref: { namespace: 'ns', repo: 'r' }, cp: { shape: 'namespace', apiUrl: gw } } },
    { name: 'no repository path', c: c({}), url: `https://${account}.artifacts.cloudflare.net/nothing`, want: { id: 'repo', status: 'fail', found: expect.stringContaining('is not an Artifacts repository URL (https://<host>/git/<namespace>/<repo>.git)') } },
    { name: 'not a URL', c: c({}), url: 'nonsense', want: { id: 'repo', status: 'fail' } },
    { name: 'no account anywhere', c: c({}), url: 'https://git.example.com/git/ns/r.git', want: { id: 'repo', status: 'fail', found: 'no account for https://git.example.com/git/ns/r.git: cannot mint a probe token', fix: 'configure with --account <ACCOUNT_ID>' } },
  ])('$name', ({ c: configured, url, want }) => {
    expect(probeTarget(configured, url)).toMatchObject(want);
  });
});

describe('collectChecks through Deps', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'doctor-probe-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const emu = 'http://127.0.0.1:9';
  const helper = `!f() { case "$1" in get|erase) exec /nowhere/node /nowhere/git-credential-artifacts.cjs --api-url ${emu}/client/v4 --account ${account} "$@" ;; esac; }; f`;
  const list = ['global', 'file:/h/.gitconfig', `credential.${emu}.helper\n`, 'global', 'file:/h/.gitconfig', `credential.${emu}.helper\n${helper}`, 'global', 'file:/h/.gitconfig', `credential.${emu}.usehttppath\ntrue`].join('\0') + '\0';
  const answer = (stdout: string, exitCode = 0): RunResult => ({ exitCode, stdout, stderr: '', stdoutBytes: Buffer.from(stdout), truncated: false });
  const nowMs = Date.parse('2030-01-02T03:04:05Z');

  function deps(o: { git: Record<string, RunResult>; http: (call: HttpCall) => { status: number; body: string; date?: string } }) {
    const ran: string[] = [];
    const sent: HttpCall[] = [];
    const cacheDir = path.join(home, 'cache');
    const inner = new FileStore(path.join(home, 'k.json'));
    const keychain = { get: inner.get.bind(inner), set: inner.set.bind(inner), delete: inner.delete.bind(inner), list: inner.list.bind(inner) };
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const d: DoctorDeps = {
      io: memoryIo({ argv: [], env: { ARTIFACTS_API_TOKEN: 'emu-token-0123456789', ARTIFACTS_CACHE_DIR: cacheDir, PATH: path.join(home, 'no-bin'), HOME: home }, now: () => nowMs, cwd: home }).io,
      stores: { keychain: { ...keychain, kind: 'keychain', label: 'test keychain', unavailableReason: () => 'no D-Bus here' }, file: new FileStore(path.join(home, 'f.json')) },
      cache: new TokenCache(cacheDir),
      api: async () => {
        throw new Error('no API calls without a repository');
      },
      run: async (argv) => {
        ran.push(argv.slice(1).join(' '));
        const r = o.git[argv.slice(1).join(' ')];
        if (!r) throw new Error(`unexpected ${argv.join(' ')}`);
        return r;
      },
      http: async (call) => {
        sent.push(call);
        const a = o.http(call);
        return { status: a.status, body: a.body, header: (n) => (n === 'date' ? (a.date ?? null) : null) };
      },
      uid: () => 4242,
      now: () => nowMs,
      namedRemote: async (url) => url,
    };
    return { d, ran, sent };
  }
  const git = { version: answer('git version 2.46.0\n'), 'config --show-origin --show-scope -z --list': answer(list), '--exec-path': answer(path.join(home, 'no-exec')) };

  it("every fact from Deps: git's answers, the API's, the uid and the clock", async () => {
    const { d, ran, sent } = deps({ git, http: () => ({ status: 200, body: '{"result":{"status":"active"}}', date: new Date(nowMs).toUTCString() }) });
    const checks = await collectChecks(d, undefined);
    const by = Object.fromEntries(checks.map((c) => [c.id, c]));
    expect(by['git-version']).toMatchObject({ status: 'ok' });
    expect(by.configured).toMatchObject({ status: 'ok', found: `configured for ${emu}` });
    expect(by['helper-paths']).toMatchObject({ status: 'fail', fix: `git-credential-artifacts configure --git-url ${emu} --api-url ${emu}/client/v4 --account ${account}` });
    expect(by['api-reachable']).toMatchObject({ status: 'ok', found: `${emu}/client/v4 answered 200` });
    expect(by['clock-skew']).toMatchObject({ status: 'ok', found: "clock within 1 s of the API's" });
    expect(by['api-token']).toMatchObject({ status: 'ok' });
    expect(by['cache-dir']).toMatchObject({ status: 'fail', found: expect.stringContaining(`not to you (4242)`) });
    expect(by.keychain).toMatchObject({ status: 'warn', found: expect.stringContaining('no D-Bus here') });
    expect(ran).toEqual(['version', 'config --show-origin --show-scope -z --list', '--exec-path']);
    expect(sent.map((c) => [c.method, c.url, c.headers.authorization])).toEqual([['GET', `${emu}/client/v4/user/tokens/verify`, 'Bearer emu-token-0123456789']]);
  });

  it.each([
    { name: 'git config fails with its words', git: { ...git, 'config --show-origin --show-scope -z --list': { ...answer('', 128), stderr: 'fatal: bad config line 1 in file /h/.gitconfig\n' } }, want: ['git-version:ok', 'git-config:fail'] },
    { name: 'no block of ours', git: { ...git, 'config --show-origin --show-scope -z --list': answer('', 1) }, want: ['git-version:ok', 'configured:fail'] },
    { name: 'no git at all', git: {}, want: ['git-version:fail', 'git-config:fail'] },
  ])('$name: the list ends there', async ({ git: scripted, want }) => {
    const { d, sent } = deps({ git: scripted, http: () => ({ status: 500, body: '' }) });
    expect((await collectChecks(d, undefined)).map((c) => `${c.id}:${c.status}`)).toEqual(want);
    expect(sent).toEqual([]);
  });

  it('the API refusing the token and a clock 2 minutes off', async () => {
    const { d } = deps({ git, http: () => ({ status: 401, body: '', date: new Date(nowMs - 120_000).toUTCString() }) });
    const by = Object.fromEntries((await collectChecks(d, undefined)).map((c) => [c.id, c]));
    expect(by['clock-skew']).toMatchObject({ status: 'fail', found: "this machine's clock is 120 s ahead of the API's" });
    expect(by['api-token']).toMatchObject({ status: 'fail', found: expect.stringContaining('refuses the API token from ARTIFACTS_API_TOKEN (401)') });
  });
});
