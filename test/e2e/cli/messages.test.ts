// What a new user trips over (issue 21, item 4), through the built executables: each wrong
// input gets one line of what is wrong, a hint with the fix, the right exit code, and never a
// secret or a stack trace.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialBundle, distBin, makeGitHome, run, seaDir, type GitHome } from '../../support/git-home.js';

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

describe('settings from the environment, through the built helper', () => {
  const get = (env: NodeJS.ProcessEnv) =>
    home.run(process.execPath, [credentialBundle, '--git-url', 'http://127.0.0.1:9', '--api-url', 'http://127.0.0.1:9/client/v4', '--account', 'acct', 'get'], {
      input: 'protocol=http\nhost=127.0.0.1:9\npath=git/default/r.git\n\n',
      env: { CLOUDFLARE_API_TOKEN: 'x', ...env },
    });

  it('ARTIFACTS_READ_TTL=10 is refused with the range, as configure --read-ttl 10 is', async () => {
    const r = await get({ ARTIFACTS_READ_TTL: '10' });
    // git is told to stop asking other helpers: a setting of ours is wrong, not the credential.
    expect(r.stdout).toBe('quit=1\n');
    expect(r.stderr).toMatch(/^git-credential-artifacts: ARTIFACTS_READ_TTL must be between 60 and 31536000 seconds, got 10\ngit-credential-artifacts: hint: unset ARTIFACTS_READ_TTL or set it from 60 to 31536000 \(default 3600\)\n$/);
    const c = await cli(['configure', '--read-ttl', '10']);
    expect(c.stderr).toMatch(/^git-credential-artifacts: --read-ttl must be between 60 and 31536000 seconds, got 10\n/);
    expect(c.code).toBe(2);
  });

  it('a relative ARTIFACTS_TRACE path: a notice on stderr, no file written', async () => {
    const r = await get({ ARTIFACTS_TRACE: 'trace.log', ARTIFACTS_READ_TTL: '10' });
    expect(r.stderr).toMatch(/^git-credential-artifacts: ARTIFACTS_TRACE=trace\.log ignored: give 1 \(trace to stderr\) or an absolute path to append to\n/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(path.join(home.dir, 'trace.log'))).toBe(false);
  });
});

describe('help for what does not exist', () => {
  it('help nosuch: one line naming the commands, exit 2', async () => {
    const r = await cli(['help', 'nosuch']);
    expect(r.stderr).toMatch(/^git-credential-artifacts: no command "nosuch"; the commands are configure, unconfigure, login, logout, status, revoke, token, completion, doctor\n.*hint:/);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

describe('Ctrl-C at the login prompt, on a real terminal', () => {
  // A pseudo-terminal from Python's pty module (no node-pty dependency): the prompt sees a TTY,
  // raw mode turns Ctrl-C into the byte 0x03, and the exit status is what a shell would show.
  const python = spawnSync('python3', ['-c', 'import pty']).status === 0;
  it.skipIf(!python)('exits 130, prints that nothing was stored, echoes nothing typed (needs python3 for a pty)', async () => {
    const driver = [
      'import os, pty, sys, time',
      'pid, fd = pty.fork()',
      'if pid == 0:',
      '    os.execve(sys.argv[1], sys.argv[1:] + ["login"], dict(os.environ))',
      'out = b""',
      'deadline = time.time() + 20',
      'while b"API token: " not in out and time.time() < deadline:',
      '    out += os.read(fd, 1024)',
      'os.write(fd, b"typed-secret-abc\\x03")',
      'while True:',
      '    try:',
      '        chunk = os.read(fd, 1024)',
      '    except OSError:',
      '        break',
      '    if not chunk:',
      '        break',
      '    out += chunk',
      '_, status = os.waitpid(pid, 0)',
      'sys.stdout.write(out.decode("utf8", "replace"))',
      'sys.stdout.write("\\nEXIT %d\\n" % os.waitstatus_to_exitcode(status))',
    ].join('\n');
    const helper = seaDir ? [path.join(seaDir, 'git-credential-artifacts')] : [process.execPath, credentialBundle];
    const r = await home.run('python3', ['-c', driver, ...helper], { env: { CLOUDFLARE_API_TOKEN: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/API token: \r?\n(\r?\n)?git-credential-artifacts: interrupted \(Ctrl-C\); nothing was stored\r?\n/);
    expect(r.stdout).toMatch(/\nEXIT 130\n$/);
    expect(r.stdout).not.toContain('typed-secret');
  });
});

describe('a damaged logins.json, through the built helper', () => {
  it('login names it with its path and fix, exits 2, and leaves it as it was', async () => {
    const { mkdirSync, readFileSync, writeFileSync } = await import('node:fs');
    const dir = path.join(home.env.XDG_CONFIG_HOME ?? path.join(home.dir, '.config'), 'git-credential-artifacts');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, 'logins.json');
    writeFileSync(file, '{"v":1,"logins":[', { mode: 0o600 });
    const r = await cli(['login', '--with-token', '--api-url', 'http://127.0.0.1:9/client/v4'], { input: `${secret}\n` });
    expect(r.stderr).toBe(
      `git-credential-artifacts: the login index ${file} is damaged: it is not valid JSON\n` +
        `git-credential-artifacts: hint: repair it (it holds no secrets) or move it aside with \`mv ${file} ${file}.bak\` and run \`login\` again; nothing was changed\n`,
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe('{"v":1,"logins":[');
  });
});
