// What a release archive holds (issue 20), one pure description shared by the build (main.mjs) and the check
// (verify.mjs), so the two cannot drift apart.
export const PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'windows-x64'];
export const TOOL = 'git-credential-artifacts';
export const SIBLINGS = ['git-remote-artifacts', 'artifacts-emulator'];

export const isWindows = (platform) => platform.startsWith('windows-');
export const extOf = (platform) => (isWindows(platform) ? 'zip' : 'tar.gz');
export const topFolder = (version, platform) => `${TOOL}-${version}-${platform}`;
export const archiveName = (version, platform) => `${topFolder(version, platform)}.${extOf(platform)}`;
/** sea.mjs's --target for a platform. */
export const bunTarget = (platform) => `bun-${platform}`;

/** Pure: `--only a,b` as a list of known platforms, in release order; all of them without the flag. */
export function parseOnly(arg) {
  if (arg === undefined) return [...PLATFORMS];
  const asked = arg.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = asked.filter((p) => !PLATFORMS.includes(p));
  if (!asked.length || unknown.length) {
    const what = unknown.join(', ') || '(none given)';
    throw new Error(`release: --only ${JSON.stringify(arg)}: unknown platform ${what}; use a comma list of ${PLATFORMS.join(', ')}`);
  }
  return PLATFORMS.filter((p) => asked.includes(p));
}

/**
 * Pure: every entry of a platform's archive, paths relative to the archive root, sorted by path (as tar --sort=name
 * and our zip writer store them). type: 'dir' | 'file' | 'symlink'; mode for dirs and files; target for symlinks;
 * from: where the bytes come from ('exe' the built binary, 'keyring', or a repository path).
 */
export function expectedEntries(version, platform) {
  const top = topFolder(version, platform);
  const exe = isWindows(platform) ? '.exe' : '';
  const entries = [
    { path: `${top}/`, type: 'dir', mode: 0o755 },
    { path: `${top}/${TOOL}${exe}`, type: 'file', mode: 0o755, from: 'exe' },
    { path: `${top}/keyring.node`, type: 'file', mode: 0o644, from: 'keyring' },
    { path: `${top}/README.md`, type: 'file', mode: 0o644, from: 'README.md' },
    { path: `${top}/LICENSE`, type: 'file', mode: 0o644, from: 'LICENSE' },
  ];
  for (const s of SIBLINGS) {
    // A symlink is how the binary knows which tool to be (cmd/sea.ts); Windows has no symlinks a user can rely on.
    entries.push(isWindows(platform)
      ? { path: `${top}/${s}${exe}`, type: 'file', mode: 0o755, from: 'exe' }
      : { path: `${top}/${s}`, type: 'symlink', target: TOOL });
  }
  entries.push({ path: `${top}/install/`, type: 'dir', mode: 0o755 });
  const scripts = isWindows(platform) ? ['install.ps1', 'uninstall.ps1'] : ['install.sh', 'uninstall.sh'];
  for (const f of scripts) entries.push({ path: `${top}/install/${f}`, type: 'file', mode: isWindows(platform) ? 0o644 : 0o755, from: `install/${f}` });
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
