// git-remote-artifacts in-process: table rows {argv, env, config} -> exit code, stdout,
// stderr. Every row here ends before the child transport starts (usage, refusals), so the
// only subprocess is the one `git config` read, against a private global config file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { remoteMain } from '../../../src/remote/main.js';
import { runInProcess } from '../../support/in-process.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'remote-main-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const globalConfig = path.join(home, 'gitconfig');
writeFileSync(globalConfig, '[artifacts]\n\tapiUrl = http://127.0.0.1:9/client/v4\n');

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runInProcess((io) => remoteMain(io), {
    argv,
    env: { PATH: process.env.PATH, HOME: home, GIT_CONFIG_GLOBAL: globalConfig, GIT_CONFIG_NOSYSTEM: '1', TMPDIR: home, ...env },
    cwd: home,
  });
}

describe('remoteMain in-process', () => {
  it.each([
    { name: '--help: usage on stdout', argv: ['--help'], wantCode: 0, wantStdout: /^Usage: git-remote-artifacts <remote> <url>/, wantStderr: /^$/ },
    { name: '--version', argv: ['--version'], wantCode: 0, wantStdout: /^(dev|\d+\.\d+\.\d+\S*)\n$/, wantStderr: /^$/ },
    { name: 'no arguments: how git starts it', argv: [], wantCode: 2, wantStdout: /^$/, wantStderr: /^git-remote-artifacts: git-remote-artifacts is started by git/ },
    {
      name: 'an unregistered loopback origin: refused with the command that registers it',
      argv: ['origin', 'http://127.0.0.1:9/git/default/r.git'],
      wantCode: 1,
      wantStdout: /^$/,
      wantStderr: /refusing to send Artifacts credentials to http:\/\/127\.0\.0\.1:9: [^\n]+\n[^\n]+hint: if you trust http:\/\/127\.0\.0\.1:9, register it: git-credential-artifacts configure --git-url http:\/\/127\.0\.0\.1:9 --api-url http:\/\/127\.0\.0\.1:9\/client\/v4 --account <ACCOUNT_ID>\n$/,
    },
    { name: 'plain http to a public host', argv: ['origin', 'http://example.com/git/a/b.git'], wantCode: 1, wantStdout: /^$/, wantStderr: /must be https \(http only for loopback hosts\)/ },
    { name: 'a backslash authority trick', argv: ['origin', 'http://127.0.0.1:9\\@evil.example/git/a/b.git'], wantCode: 1, wantStdout: /^$/, wantStderr: /must not contain a backslash/ },
    { name: 'credentials in the URL', argv: ['origin', 'https://x:secret-value@0123456789abcdef0123456789abcdef.artifacts.cloudflare.net/git/a/b.git'], wantCode: 1, wantStdout: /^$/, wantStderr: /must not carry a user name or password/ },
  ])('$name', async (row) => {
    const r = await run(row.argv);
    expect(r.code).toBe(row.wantCode);
    expect(r.stdout).toMatch(row.wantStdout);
    expect(r.stderr).toMatch(row.wantStderr);
    expect(r.stderr).not.toContain('secret-value');
  });
});
