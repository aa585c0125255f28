// configure / unconfigure against real git config files in an isolated home.
import { spawnSync } from 'node:child_process';
import { chownSync, copyFileSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialBundle, makeGitHome, repoRoot, type GitHome } from '../../support/git-home.js';

const acct = '0123456789abcdef0123456789abcdef';
let home: GitHome;
const cli = (...args: string[]) => home.run(process.execPath, [credentialBundle, ...args]);
const gitconfig = () => readFileSync(home.env.GIT_CONFIG_GLOBAL!, 'utf8');

beforeEach(() => {
  home = makeGitHome();
  writeFileSync(home.env.GIT_CONFIG_GLOBAL!, '[credential]\n\thelper = store\n[credential "https://*.artifacts.cloudflare.net"]\n\thelper = osxkeychain\n');
});
afterEach(() => home.cleanup());

describe('configure', () => {
  it('makes our helper the only one git runs for Artifacts hosts, and leaves other hosts alone', async () => {
    expect((await cli('configure', '--account', acct)).code).toBe(0);
    // Which helpers git really runs for our host: GIT_TRACE shows every helper it starts.
    const fill = await home.git(['credential', 'fill'], {
      input: `protocol=https\nhost=${acct}.artifacts.cloudflare.net\npath=git/default/r.git\n\n`,
      env: { GIT_TRACE: '1', ARTIFACTS_API_TOKEN: '', PATH: `/nonexistent:${home.env.PATH}` },
    });
    const started = fill.stderr.split('\n').filter((l) => l.includes('run_command:'));
    expect(started.some((l) => /git-credential-artifacts(\.cjs)? /.test(l))).toBe(true);
    expect(started.filter((l) => /credential-(store|osxkeychain)/.test(l))).toEqual([]);
    expect(fill.stderr).toMatch(/told us to quit/);
    const other = await home.git(['config', '--get-urlmatch', 'credential.helper', 'https://github.com/o/r.git']);
    expect(other.stdout.trim()).toBe('store');
    const useHttpPath = await home.git(['config', '--get-urlmatch', 'credential.useHttpPath', `https://${acct}.artifacts.cloudflare.net/`]);
    expect(useHttpPath.stdout.trim()).toBe('true');
    const push = await home.git(['config', '--get-regexp', '^url\\..*\\.pushinsteadof$']);
    expect(push.stdout.trim()).toBe(`url.artifacts::https://${acct}.artifacts.cloudflare.net/.pushinsteadof https://${acct}.artifacts.cloudflare.net/`);
  });

  it('asks git (>= 2.46) to authenticate proactively on our hosts only, with or without push routing; unconfigure takes it back', async () => {
    const proactive = async (url: string) => (await home.git(['config', '--get-urlmatch', 'http.proactiveAuth', url])).stdout.trim();
    expect((await cli('configure')).code).toBe(0);
    expect(await proactive(`https://${acct}.artifacts.cloudflare.net/git/default/r.git`)).toBe('basic');
    expect(await proactive('https://github.com/o/r.git')).toBe('');
    expect((await cli('unconfigure')).code).toBe(0);
    expect(gitconfig()).not.toMatch(/proactiveAuth/);
    expect((await cli('configure', '--account', acct)).code).toBe(0);
    expect(await proactive(`https://${acct}.artifacts.cloudflare.net/git/default/r.git`)).toBe('basic');
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const before = gitconfig();
    const r = await cli('configure', '--account', acct, '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/would be added/);
    expect(gitconfig()).toBe(before);
  });

  it("the README's --dry-run example is what --dry-run prints, and its block what configure writes (issue 21)", async () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const after = readme.slice(readme.indexOf('`--dry-run`\nprints the plan and changes nothing:'));
    const [shown, written] = [...after.matchAll(/```(?:text|ini)\n([\s\S]*?)```/g)].slice(0, 2).map((m) => m[1]);
    const file = home.env.GIT_CONFIG_GLOBAL!;
    // The README's placeholders for what differs per machine: the account, the file, how git starts us.
    const placeholders = (text: string) =>
      text
        .replaceAll(acct, '<ACCOUNT_ID>')
        .replaceAll(file, '~/.gitconfig')
        .replace(/exec (?:\S+ )?\S*git-credential-artifacts(?:\.cjs)? --heal-dir/g, 'exec /usr/bin/node /…/git-credential-artifacts.cjs --heal-dir')
        // The heal dir lives in the token cache directory, here under the home's XDG_RUNTIME_DIR.
        .replaceAll(`${home.env.XDG_RUNTIME_DIR}/`, '/run/user/1000/');
    const dry = await cli('configure', '--account', acct, '--dry-run');
    expect(dry.code).toBe(0);
    expect(placeholders(dry.stdout)).toBe(shown);
    rmSync(file);
    expect((await cli('configure', '--account', acct)).code).toBe(0);
    expect(placeholders(gitconfig())).toBe(written);
  });

  it('without an account: credentials only, with a warning about pushes', async () => {
    const r = await cli('configure');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--account/);
    expect(gitconfig()).not.toMatch(/pushInsteadOf/);
  });

  it('is idempotent and unconfigure restores the file byte for byte', async () => {
    const before = gitconfig();
    for (let i = 0; i < 3; i++) expect((await cli('configure', '--account', acct)).code).toBe(0);
    const once = gitconfig();
    expect(once.match(/# >>> git-credential-artifacts/g)).toHaveLength(1);
    expect((await cli('unconfigure')).code).toBe(0);
    expect(gitconfig()).toBe(before);
  });

  it('no gitconfig before: configure creates one, unconfigure leaves none (it left an empty file)', async () => {
    rmSync(home.env.GIT_CONFIG_GLOBAL!);
    expect((await cli('configure', '--account', acct)).code).toBe(0);
    expect(gitconfig()).toMatch(/# >>> git-credential-artifacts/);
    expect((await cli('unconfigure')).code).toBe(0);
    expect(() => lstatSync(home.env.GIT_CONFIG_GLOBAL!)).toThrow(/ENOENT/);
    expect(() => lstatSync(`${home.env.GIT_CONFIG_GLOBAL!}.lock`)).toThrow(/ENOENT/);
    expect((await home.git(['config', '--global', '--list'])).code).not.toBe(0); // git: no such file, as before
  });

  it('a stale gitconfig lock: no success line, the lock named with its fix, exit 1, the file unchanged (issue 21, L3)', async () => {
    const file = home.env.GIT_CONFIG_GLOBAL!;
    writeFileSync(`${file}.lock`, '');
    const before = gitconfig();
    const r = await cli('configure', '--account', acct);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `git-credential-artifacts: cannot change ${file}: another git is writing ${file}, or a stale ${file}.lock is left\n` +
        `git-credential-artifacts: hint: remove ${file}.lock if no git is running, then run this again; ${file} is unchanged\n`,
    );
    expect(r.code).toBe(1);
    expect(gitconfig()).toBe(before);
    // The same for unconfigure, once there is something to remove.
    rmSync(`${file}.lock`);
    expect((await cli('configure', '--account', acct)).code).toBe(0);
    writeFileSync(`${file}.lock`, '');
    const configured = gitconfig();
    const u = await cli('unconfigure');
    expect(u.stdout).toBe('');
    expect(u.stderr).toMatch(/another git is writing .*, or a stale .*\.lock is left\n.*hint: remove .*\.lock if no git is running/);
    expect(u.code).toBe(1);
    expect(gitconfig()).toBe(configured);
  });

  const chattr = process.getuid?.() === 0 && spawnSync('chattr', ['--help']).error === undefined;
  it.skipIf(!chattr)('an immutable gitconfig (chattr +i; needs root and chattr): no success line, the errno in words, exit 1', async (ctx) => {
    const file = home.env.GIT_CONFIG_GLOBAL!;
    const before = gitconfig();
    const locked = spawnSync('chattr', ['+i', file]);
    if (locked.status !== 0) return ctx.skip(); // a file system without the attribute (tmpfs): nothing to test here
    try {
      const r = await cli('configure', '--account', acct);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^git-credential-artifacts: cannot (write|create) .*: the operation is not permitted \(the file may be immutable, e\.g\. `chattr \+i`, or belong to another user\) \(EPERM\)\n.*hint: .* is unchanged\n$/);
      expect(r.code).toBe(1);
    } finally {
      spawnSync('chattr', ['-i', file]);
    }
    expect(gitconfig()).toBe(before);
  });

  it.skipIf(process.getuid?.() !== 0)('a symlinked gitconfig whose target another user owns is refused before any write (needs root to chown)', async () => {
    const file = home.env.GIT_CONFIG_GLOBAL!;
    const theirs = path.join(path.dirname(file), 'their-gitconfig');
    writeFileSync(theirs, '[user]\n\tname = them\n');
    chownSync(theirs, 65534, 65534);
    rmSync(file);
    symlinkSync(theirs, file);
    const r = await cli('configure', '--account', acct);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `git-credential-artifacts: ${file} is a symbolic link to ${theirs}, which belongs to another user (uid 65534)\n` +
        'git-credential-artifacts: hint: point ' + file + ' at a config file of your own, or set GIT_CONFIG_GLOBAL to one; nothing was changed\n',
    );
    expect(r.code).toBe(2);
    expect(readFileSync(theirs, 'utf8')).toBe('[user]\n\tname = them\n');
  });

  it('an unreadable gitconfig (here a directory): one line and a hint, exit 1, no stack', async () => {
    rmSync(home.env.GIT_CONFIG_GLOBAL!);
    mkdirSync(home.env.GIT_CONFIG_GLOBAL!);
    for (const verb of ['configure', 'unconfigure']) {
      const r = await cli(verb, '--account', acct);
      expect(r.stderr).toMatch(/^git-credential-artifacts: cannot read .*: it is a directory \(EISDIR\)\ngit-credential-artifacts: hint: check that .* is a readable file\n$/);
      expect(r.code).toBe(1);
    }
  });

  it('keeps a setting git itself added inside our block', async () => {
    await cli('configure', '--account', acct);
    await home.git(['config', '--global', '--add', 'credential.https://*.artifacts.cloudflare.net.username', 'me']);
    await cli('unconfigure');
    const after = await home.git(['config', '--global', '--get', 'credential.https://*.artifacts.cloudflare.net.username']);
    expect(after.stdout.trim()).toBe('me');
    expect(gitconfig()).not.toMatch(/git-credential-artifacts/);
  });

  it.each([
    [['configure', '--account', 'nothex'], /not a Cloudflare account id/],
    [['configure', '--git-url', 'http://example.com:1', '--api-url', 'http://example.com:1/client/v4', '--account', 'a'], /http only for loopback/],
    [['configure', '--git-url', 'http://127.0.0.1:1'], /go together/],
    [['configure', '--git-url', 'http://127.0.0.1:1', '--api-url', 'http://127.0.0.1:1/client/v4'], /--account/],
  ])('rejects %j with a clear message and writes nothing', async (args, message) => {
    const before = gitconfig();
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(gitconfig()).toBe(before);
  });
});

describe('a symlinked global gitconfig', () => {
  // As git's lockfile.c does: the link is followed (even a dangling one) and its target written.
  const gitList = async (env: NodeJS.ProcessEnv = {}) => {
    const r = await home.git(['config', '--global', '--list'], { env });
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };

  it('a dangling relative ~/.gitconfig link: configure creates its target and the link stays', async () => {
    const dot = path.join(home.dir, '.gitconfig');
    rmSync(dot);
    mkdirSync(path.join(home.dir, 'dotfiles'));
    symlinkSync('dotfiles/gitconfig', dot);
    // No GIT_CONFIG_GLOBAL: git and configure both pick ~/.gitconfig.
    const env = { GIT_CONFIG_GLOBAL: undefined };
    const r = await home.run(process.execPath, [credentialBundle, 'configure', '--account', acct], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(readlinkSync(dot)).toBe('dotfiles/gitconfig');
    expect(readFileSync(path.join(home.dir, 'dotfiles', 'gitconfig'), 'utf8')).toMatch(/# >>> git-credential-artifacts/);
    expect(await gitList(env)).toMatch(/^credential\.https:\/\/\*\.artifacts\.cloudflare\.net\.usehttppath=true$/m);
    // git writes the same file through the link.
    expect((await home.git(['config', '--global', 'alias.st', 'status'], { env })).code).toBe(0);
    expect(readFileSync(path.join(home.dir, 'dotfiles', 'gitconfig'), 'utf8')).toMatch(/\[alias\]/);
    expect(lstatSync(dot).isSymbolicLink()).toBe(true);
  });

  it('a chain of absolute and relative links: configure and unconfigure write the real file, byte for byte', async () => {
    const real = path.join(home.dir, 'store', 'gitconfig');
    mkdirSync(path.dirname(real));
    const before = gitconfig();
    writeFileSync(real, before);
    const file = home.env.GIT_CONFIG_GLOBAL!;
    rmSync(file);
    mkdirSync(path.join(home.dir, 'links'));
    symlinkSync(path.join(home.dir, 'links', 'b'), file); // absolute
    symlinkSync('../store/gitconfig', path.join(home.dir, 'links', 'b')); // relative to links/
    expect((await cli('configure', '--account', acct)).code).toBe(0);
    expect(lstatSync(file).isSymbolicLink() && lstatSync(path.join(home.dir, 'links', 'b')).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toMatch(/# >>> git-credential-artifacts/);
    expect(await gitList()).toMatch(/pushinsteadof=/);
    expect((await cli('unconfigure')).code).toBe(0);
    expect(readFileSync(real, 'utf8')).toBe(before);
    expect(await gitList()).not.toMatch(/pushinsteadof|proactiveauth|in get\|erase/);
  });

  it('a chain longer than git follows (or a loop) is refused, and nothing is written', async () => {
    const file = home.env.GIT_CONFIG_GLOBAL!;
    rmSync(file);
    symlinkSync(`${file}-loop`, file);
    symlinkSync(file, `${file}-loop`);
    const r = await cli('configure', '--account', acct);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/more than 5 symbolic links \(or a loop\)/);
    expect(r.stderr).toMatch(/hint: point .* straight at the real config file/);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(readlinkSync(file)).toBe(`${file}-loop`);
  });
});

describe('nothing a flag or the install path holds can inject config', () => {
  const api = 'https://api.example.com/client/v4';
  it.each([
    [['--git-url', 'https://a"b.example', '--api-url', api, '--account', 'a'], /--git-url "https:\/\/a\\"b\.example" holds '"': a URL here has no quote/],
    [['--git-url', 'https://a\\b.example', '--api-url', api, '--account', 'a'], /holds '\\': a URL here has no quote, backslash/],
    [['--git-url', 'https://a b.example', '--api-url', api, '--account', 'a'], /holds U\+0020: a URL here has no quote, backslash, whitespace/],
    [['--git-url', 'https://a.example\n[core]\n\tpager = evil', '--api-url', api, '--account', 'a'], /holds U\+000A/],
    [['--git-url', 'https://a\u0007b.example', '--api-url', api, '--account', 'a'], /holds U\+0007/],
    [['--git-url', "https://a'b.example", '--api-url', api, '--account', 'a'], /not a plain DNS name/],
    [['--git-url', 'https://*.example.com', '--api-url', api, '--account', 'a'], /not a plain DNS name/],
    [['--git-url', 'https://git.example.com', '--api-url', 'https://a"b.example/client/v4', '--account', 'a'], /--api-url .* holds '"'/],
    [['--git-url', 'https://git.example.com', '--api-url', api, '--account', 'a"b'], /--account ID/],
    // The public service's URL: the account lands in [url "artifacts::https://<account>…"].
    [['--git-url', 'https://*.artifacts.cloudflare.net', '--api-url', 'https://api.cloudflare.com/client/v4', '--account', 'a"] x'], /not a Cloudflare account id/],
    [['--git-url', 'https://a"b.artifacts.cloudflare.net', '--api-url', 'https://api.cloudflare.com/client/v4', '--account', acct], /holds '"'/],
    [['--account', acct, '--read-ttl', '60\n[core]'], /--read-ttl must be a number of seconds/],
  ])('configure %j: exit 2, a clear message, nothing written, git still reads the file', async (args, message) => {
    const before = gitconfig();
    const r = await cli('configure', ...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/hint: /);
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(gitconfig()).toBe(before);
    expect((await home.git(['config', '--global', '--list'])).code).toBe(0);
  });

  it('an install path with a line break: a clear error, not a stack, and nothing written', async () => {
    const dir = path.join(home.dir, 'bad\ndir');
    mkdirSync(dir);
    copyFileSync(credentialBundle, path.join(dir, 'git-credential-artifacts.cjs'));
    const before = gitconfig();
    const r = await home.run(process.execPath, [path.join(dir, 'git-credential-artifacts.cjs'), 'configure', '--account', acct]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/path holds a line break/);
    expect(r.stderr).toMatch(/hint: install git-credential-artifacts .* whose path has no line breaks/);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(gitconfig()).toBe(before);
  });

  it('an install path with quotes, backslashes, $ and spaces: git reads the file and runs the helper', async () => {
    const dir = path.join(home.dir, `it's "q\\uo $HOME te"`);
    mkdirSync(dir);
    const bundle = path.join(dir, 'git-credential-artifacts.cjs');
    copyFileSync(credentialBundle, bundle);
    const r = await home.run(process.execPath, [bundle, 'configure', '--account', acct]);
    expect(r.code, r.stderr).toBe(0);
    const helpers = await home.git(['config', '--global', '--get-all', 'credential.https://*.artifacts.cloudflare.net.helper']);
    expect(helpers.code, helpers.stderr).toBe(0);
    expect(helpers.stdout).toContain(bundle.replace(/'/g, `'\\''`));
    const fill = await home.git(['credential', 'fill'], {
      input: `protocol=https\nhost=${acct}.artifacts.cloudflare.net\npath=git/default/r.git\n\n`,
      env: { GIT_TRACE: '1', ARTIFACTS_API_TOKEN: '', PATH: `/nonexistent:${home.env.PATH}` },
    });
    // Our helper ran from that directory (it says quit: no token here) and nothing else did.
    expect(fill.stderr).toMatch(/told us to quit/);
    expect(fill.stderr).not.toMatch(/credential-(store|osxkeychain)/);
    expect((await home.run(process.execPath, [bundle, 'unconfigure'])).code).toBe(0);
    expect(gitconfig()).not.toMatch(/git-credential-artifacts/);
  });
});

describe('what others put in the file survives', () => {
  const cfUrl = 'credential.https://*.artifacts.cloudflare.net';
  const helpers = async () => (await home.git(['config', '--global', '--get-all', `${cfUrl}.helper`])).stdout.split('\n').slice(0, -1);

  it('a key git added inside our block survives configure with other flags, and git still reads it', async () => {
    expect((await cli('configure', '--account', acct)).code).toBe(0);
    // git appends to the last section of that name: ours (the user's own one comes earlier).
    expect((await home.git(['config', '--global', '--add', `${cfUrl}.username`, 'me'])).code).toBe(0);
    expect((await home.git(['config', '--global', 'artifacts.note', 'kept'])).code).toBe(0);
    const begin = gitconfig().indexOf('# >>> git-credential-artifacts');
    const end = gitconfig().indexOf('# <<< git-credential-artifacts');
    expect(gitconfig().slice(begin, end)).toMatch(/\tusername = me\n[^]*\tnote = kept\n/);
    for (const args of [['--account', acct, '--read-ttl', '600'], [] as string[]]) {
      const r = await cli('configure', ...args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/updated/);
      expect((await home.git(['config', '--global', '--get', `${cfUrl}.username`])).stdout.trim()).toBe('me');
      expect((await home.git(['config', '--global', '--get', 'artifacts.note'])).stdout.trim()).toBe('kept');
      // The user's osxkeychain, then the reset and ours: still one block, still in charge.
      expect(await helpers()).toEqual(['osxkeychain', '', expect.stringContaining('in get|erase) exec ')]);
    }
    expect(gitconfig().match(/# >>> git-credential-artifacts/g)).toHaveLength(1);
    expect((await cli('unconfigure')).code).toBe(0);
    expect((await home.git(['config', '--global', '--get', `${cfUrl}.username`])).stdout.trim()).toBe('me');
    expect((await home.git(['config', '--global', '--get', 'artifacts.note'])).stdout.trim()).toBe('kept');
    expect(gitconfig()).not.toMatch(/git-credential-artifacts|in get\|erase/);
  });

  it('configure, then configure --account for the same hosts: one block, rewritten in place', async () => {
    expect((await cli('configure')).code).toBe(0);
    writeFileSync(home.env.GIT_CONFIG_GLOBAL!, `${gitconfig()}[alias]\n\tco = checkout\n`);
    const r = await cli('configure', '--account', acct);
    expect(r.stdout).toMatch(/updated/);
    expect(gitconfig().match(/# >>> git-credential-artifacts/g)).toHaveLength(1);
    expect(gitconfig().endsWith('[alias]\n\tco = checkout\n')).toBe(true);
    expect(await helpers()).toEqual(['osxkeychain', '', expect.stringContaining('in get|erase) exec ')]);
    expect((await cli('unconfigure', '--account', acct)).code).toBe(0);
    expect(gitconfig()).not.toMatch(/git-credential-artifacts/);
  });

  it('a CRLF gitconfig: our lines in CRLF, configure twice = once, git reads it, unconfigure restores it', async () => {
    const crlf = gitconfig().replace(/\n/g, '\r\n');
    writeFileSync(home.env.GIT_CONFIG_GLOBAL!, crlf);
    expect((await cli('configure', '--account', acct)).code).toBe(0);
    const once = gitconfig();
    expect(once.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const again = await cli('configure', '--account', acct);
    expect(again.stdout).toMatch(/already has this configuration/);
    expect(gitconfig()).toBe(once);
    expect(await helpers()).toEqual(['osxkeychain', '', expect.stringContaining('in get|erase) exec ')]);
    expect((await cli('unconfigure')).code).toBe(0);
    expect(gitconfig()).toBe(crlf);
  });

  it('lines that look like our markers are user lines: unconfigure never deletes or moves them', async () => {
    const id = 'https://*.artifacts.cloudflare.net';
    const user = [
      `# >>> git-credential-artifacts ${id} >>>`, // a copy of a begin marker (its next marker is not its end)
      '[alias]',
      '\tco = checkout',
      `# <<< git-credential-artifacts ${id} account ${acct} <<<`, // an end marker of another id
      `# <<< git-credential-artifacts ${id} <<<`, // an end marker without a begin
      '[user]',
      '\tname = Test',
      '\temail = test@example.invalid',
      `  # >>> git-credential-artifacts ${id} account ${acct} >>>`, // not a whole-line marker
      `# >>> git-credential-artifacts ${id} >>>`, // a begin marker that never ends
      '',
    ].join('\n');
    writeFileSync(home.env.GIT_CONFIG_GLOBAL!, user);
    expect((await cli('configure', '--account', acct)).code).toBe(0);
    expect(gitconfig().startsWith(user)).toBe(true);
    expect((await home.git(['config', '--global', '--list'])).code).toBe(0);
    expect(await helpers()).toEqual(['', expect.stringContaining('in get|erase) exec ')]);
    expect((await cli('configure', '--account', acct)).stdout).toMatch(/already has this configuration/);
    expect((await cli('unconfigure')).code).toBe(0);
    expect(gitconfig()).toBe(user);
    expect((await home.git(['config', '--global', 'alias.co'])).stdout.trim()).toBe('checkout');
  });
});
