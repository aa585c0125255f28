// `configure --dry-run` in-process for both API shapes: which endpoint the flags and
// ARTIFACTS_BASE_URL name (endpointFromFlags, shared with the helper's own arguments), what the
// helper command carries, and the refusals. Rows {argv, env, want…}, through programMain.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { programMain } from '../../../src/cli/program.js';
import { runInProcess, type InProcessResult } from '../../support/in-process.js';

const acct = '0123456789abcdef0123456789abcdef';
let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'configure-shapes-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<InProcessResult> {
  return runInProcess(programMain, { argv, env: { HOME: home, GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'), PATH: path.join(home, 'no-bin'), ...env }, cwd: home });
}

/** The plan lines configure --dry-run prints, as `section.key=value`. */
const plan = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim());
/** The endpoint flags baked into the helper command (after `exec <node> <script>`). */
const helperArgs = (lines: string[]): string | undefined => {
  const helper = lines.find((l) => l.includes('.helper=!f()'));
  // The heal dir (--heal-dir, last) is the same for every shape: it is not an endpoint flag.
  const args = helper === undefined ? undefined : (/ exec \S+ \S+ (?:(.*?) )?"\$@" ;; (?:esac|store)/.exec(helper)?.[1] ?? '');
  return args?.replace(/ ?--heal-dir \S+$/, '');
};

describe('configure --dry-run for both API shapes', () => {
  it.each([
    {
      name: 'namespace-scoped /v1/api: no --account anywhere',
      argv: ['--git-url', 'http://127.0.0.1:9', '--api-url', 'http://127.0.0.1:9/v1/api'],
      env: {},
      block: 'http://127.0.0.1:9',
      args: '--git-url http://127.0.0.1:9 --api-url http://127.0.0.1:9/v1/api',
      apiUrl: 'http://127.0.0.1:9/v1/api',
    },
    {
      name: 'namespace-scoped /edge/v1/api',
      argv: ['--git-url', 'http://127.0.0.1:9', '--api-url', 'http://127.0.0.1:9/edge/v1/api/'],
      env: {},
      block: 'http://127.0.0.1:9',
      args: '--git-url http://127.0.0.1:9 --api-url http://127.0.0.1:9/edge/v1/api',
      apiUrl: 'http://127.0.0.1:9/edge/v1/api',
    },
    {
      name: 'a namespace-scoped --api-url alone: git on its origin',
      argv: ['--api-url', 'https://artifacts.cloudflare.net/v1/api'],
      env: {},
      block: 'https://artifacts.cloudflare.net',
      args: '--git-url https://artifacts.cloudflare.net --api-url https://artifacts.cloudflare.net/v1/api',
      apiUrl: 'https://artifacts.cloudflare.net/v1/api',
    },
    {
      name: 'ARTIFACTS_BASE_URL naming a namespace: its base',
      argv: [],
      env: { ARTIFACTS_BASE_URL: 'https://artifacts.cloudflare.net/v1/api/namespaces/team' },
      block: 'https://artifacts.cloudflare.net',
      args: '--git-url https://artifacts.cloudflare.net --api-url https://artifacts.cloudflare.net/v1/api',
      apiUrl: 'https://artifacts.cloudflare.net/v1/api',
    },
    {
      name: '--api-url wins over ARTIFACTS_BASE_URL',
      argv: ['--api-url', 'https://api.cloudflare.com/client/v4', '--account', acct],
      env: { ARTIFACTS_BASE_URL: 'https://artifacts.cloudflare.net/v1/api' },
      block: `https://*.artifacts.cloudflare.net account ${acct}`,
      args: '',
      apiUrl: 'https://api.cloudflare.com/client/v4',
    },
    {
      name: 'account-scoped custom endpoint, as before',
      argv: ['--git-url', 'http://127.0.0.1:9', '--api-url', 'http://127.0.0.1:9/client/v4', '--account', 'local'],
      env: {},
      block: 'http://127.0.0.1:9',
      args: '--git-url http://127.0.0.1:9 --api-url http://127.0.0.1:9/client/v4 --account local',
      apiUrl: 'http://127.0.0.1:9/client/v4',
    },
  ])('$name', async (row) => {
    const r = await run(['configure', '--dry-run', ...row.argv], row.env);
    expect(r.code, r.stderr).toBe(0);
    const lines = plan(r.stdout);
    expect(r.stdout).toContain(`Artifacts configuration would be added`);
    expect(lines).toContain(`artifacts.apiUrl=${row.apiUrl}`);
    expect(helperArgs(lines) ?? '').toBe(row.args);
    if (row.apiUrl.endsWith('/v1/api')) {
      expect(lines.filter((l) => l.startsWith('artifacts.account='))).toEqual([]);
      expect(lines).toContain(`url "artifacts::${row.block}/".pushInsteadOf=${row.block}/`);
    }
  });

  it.each([
    { name: '--account with a namespace-scoped API', argv: ['--git-url', 'http://127.0.0.1:9', '--api-url', 'http://127.0.0.1:9/v1/api', '--account', 'a'], env: {}, code: 2, err: /namespace-scoped .*no place/ },
    { name: "--account while ARTIFACTS_BASE_URL is namespace-scoped says where the URL came from", argv: ['--account', acct], env: { ARTIFACTS_BASE_URL: 'https://artifacts.cloudflare.net/v1/api' }, code: 2, err: /ARTIFACTS_BASE_URL from the environment/ },
    { name: "Cloudflare's account hosts with a namespace-scoped API", argv: ['--git-url', 'https://*.artifacts.cloudflare.net', '--api-url', 'https://artifacts.cloudflare.net/v1/api'], env: {}, code: 2, err: /does not serve the https:\/\/<ACCOUNT_ID>\.artifacts\.cloudflare\.net git hosts/ },
    { name: 'an account-scoped custom endpoint without --account', argv: ['--git-url', 'http://127.0.0.1:9', '--api-url', 'http://127.0.0.1:9/client/v4'], env: {}, code: 2, err: /needs --account/ },
    { name: '--git-url without any API URL', argv: ['--git-url', 'http://127.0.0.1:9'], env: {}, code: 2, err: /go together/ },
  ])('refuses $name', async (row) => {
    const r = await run(['configure', '--dry-run', ...row.argv], row.env);
    expect(r.code).toBe(row.code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(row.err);
    expect(r.stderr.trim().split('\n')).toHaveLength(2); // message + hint
  });
});
