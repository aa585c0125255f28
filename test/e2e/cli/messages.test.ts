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
