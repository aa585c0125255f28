// What a new user trips over (issue 21, item 4), through the built executables: each wrong
// input gets one line of what is wrong, a hint with the fix, the right exit code, and never a
// secret or a stack trace.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialBundle, distBin, makeGitHome, run, type GitHome } from '../../support/git-home.js';

let home: GitHome;
beforeEach(() => {
  home = makeGitHome();
});
afterEach(() => home.cleanup());

const cli = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) => home.run(process.execPath, [credentialBundle, ...args], options);
const secret = 'cfut_NeverEchoThis0123456789abcdefXYZ';

describe('a token on the command line is never echoed', () => {
  it.each([
    [['login', `--with-token=${secret}`], /^git-credential-artifacts: --with-token takes no value: the token is read from stdin, never from the command line/],
    [['login', `--token=${secret}`], /^git-credential-artifacts: unknown option '--token=…' \(its value is not shown\)\n/],
    [['login', '--api-url', 'https://api.cloudflare.com/client/v4', `--bogus=${secret}`], /unknown option '--bogus=…'/],
    [['revoke', `--scope=${secret}`, 'default/r'], /option '--scope <scope>' argument \(not shown\) is invalid/],
    [['doctor', '--json', `--with-token=${secret}`], /unknown option '--with-token=…'/],
  ])('%s (the secret in argv)', async (args, want) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(want);
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stdout + r.stderr).not.toContain('NeverEcho');
  });
});

describe('artifacts-emulator, the built executable', () => {
  const emulator = (args: string[]) => run(path.join(distBin, 'artifacts-emulator'), args, { env: { ...home.env, ARTIFACTS_EMULATOR_API_TOKEN: '', ARTIFACTS_EMULATOR_JWT: '' }, timeoutMs: 20_000 });
  it('--host nosuchhost.invalid: one line and a hint, exit 2, no stack, no made-up credentials printed', async () => {
    const r = await emulator(['--host', 'nosuchhost.invalid']);
    expect(r.stderr).toMatch(/^artifacts-emulator: --host nosuchhost\.invalid: no such host \(\w+\)\nartifacts-emulator: hint: pass an address of this machine, e\.g\. --host 127\.0\.0\.1 or --host ::1\n$/);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
  it.each([
    [['help'], 0, /^Usage: artifacts-emulator \[options\]/, /^$/],
    [['demo', '--version'], 0, /^(\d+\.\d+\.\d+|dev)\n$/, /^$/],
    [['help', 'demo'], 0, /^Usage: artifacts-emulator demo/, /^$/],
  ])('%j', async (args, code, stdout, stderr) => {
    const r = await emulator(args);
    expect(r.stdout).toMatch(stdout);
    expect(r.stderr).toMatch(stderr);
    expect(r.code).toBe(code);
  });
});
