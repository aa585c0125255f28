// install/install.sh run from inside an extracted release archive (npm run release; install/release/layout.mjs):
// with no --sea, it finds the executable and keyring.node in the folder above install/ and installs them.
// The archive tree is laid out here exactly as layout.mjs says (the release itself takes minutes; .ci/run builds and
// verifies the real archives). Its executable is the single executable when ARTIFACTS_TEST_SEA_DIR is set, else the
// npm build's self-contained dist/git-credential-artifacts.cjs: install.sh only copies it and runs its `configure`.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectedEntries } from '../../../install/release/layout.mjs';
import { credentialBundle, repoRoot, run, seaDir } from '../../support/git-home.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'archive-install-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const exe = seaDir ? path.join(seaDir, 'git-credential-artifacts') : credentialBundle;

/** An extracted archive for linux-x64 under dir; returns its top folder. */
function extractedArchive(dir: string, { withExecutable = true } = {}) {
  for (const e of expectedEntries('0.0.0-test', 'linux-x64')) {
    const dest = path.join(dir, e.path);
    if (e.type === 'dir') mkdirSync(dest, { recursive: true });
    else if (e.type === 'symlink') symlinkSync(e.target!, dest);
    else if (e.from === 'exe') { if (withExecutable) copyFileSync(exe, dest); }
    else if (e.from === 'keyring') writeFileSync(dest, seaDir ? '' : 'the npm build does not load keyring.node\n');
    else copyFileSync(path.join(repoRoot, e.from!), dest);
  }
  if (seaDir) copyFileSync(path.join(seaDir, 'keyring.node'), path.join(dir, 'git-credential-artifacts-0.0.0-test-linux-x64', 'keyring.node'));
  return path.join(dir, 'git-credential-artifacts-0.0.0-test-linux-x64');
}

function home(name: string) {
  const h = path.join(root, name);
  mkdirSync(path.join(h, 'tmp'), { recursive: true });
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(GIT_|ARTIFACTS_|CLOUDFLARE_|XDG_)/.test(k)));
  return { h, env: { ...inherited, HOME: h, TMPDIR: path.join(h, 'tmp'), GIT_CONFIG_NOSYSTEM: '1' }, prefix: path.join(h, '.local') };
}

describe.skipIf(process.platform === 'win32')('install.sh from an extracted release archive (POSIX sh; Windows gets the zip)', () => {
  it('installs the executable and keyring.node found beside install/, configures git, and uninstall.sh removes it all', async () => {
    const top = extractedArchive(path.join(root, 'a'));
    const { h, env, prefix } = home('home-a');
    const r = await run('sh', [path.join(top, 'install', 'install.sh'), '--prefix', prefix], { env, timeoutMs: 60_000 });
    expect(r.stderr).not.toMatch(/install\.sh:/);
    expect(r.code).toBe(0);
    const lib = path.join(prefix, 'lib', 'git-credential-artifacts');
    expect(r.stdout).toContain(`installed the single executable in ${lib}, linked from ${path.join(prefix, 'bin')}`);
    expect(readdirSync(lib).sort()).toEqual(['git-credential-artifacts', 'keyring.node']);
    for (const t of ['git-credential-artifacts', 'git-remote-artifacts', 'artifacts-emulator']) {
      expect(readlinkSync(path.join(prefix, 'bin', t))).toBe(path.join(lib, 'git-credential-artifacts'));
    }
    expect(existsSync(path.join(h, '.gitconfig'))).toBe(true);
    const u = await run('sh', [path.join(top, 'install', 'uninstall.sh'), '--prefix', prefix], { env, timeoutMs: 60_000 });
    expect(u.code).toBe(0);
    expect(u.stdout).toContain(`removed git-credential-artifacts from ${prefix}`);
    expect(existsSync(lib)).toBe(false);
    expect(readdirSync(path.join(prefix, 'bin'))).toEqual([]);
    expect(existsSync(path.join(h, '.gitconfig'))).toBe(false);
  });

  it('says where it looked when the archive has no executable, and installs nothing', async () => {
    const top = extractedArchive(path.join(root, 'b'), { withExecutable: false });
    const { env, prefix } = home('home-b');
    const r = await run('sh', [path.join(top, 'install', 'install.sh'), '--prefix', prefix], { env, timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`install.sh: no single executable in ${top} (a release archive) nor in ${top}/sea (a checkout); ` +
      'build it with `node install/sea.mjs`, or pass --sea DIR or --npm TARBALL (from `npm pack`)\n');
    expect(existsSync(prefix)).toBe(false);
  });
});
