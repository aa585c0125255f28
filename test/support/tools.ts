import { spawnSync } from 'node:child_process';

/** Whether `command args` runs here. Under Wine there is no git and no sh (Debian has no Git for Windows). */
function runs(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

export const gitRuns: boolean = runs('git', ['--version']);
export const shRuns: boolean = runs('sh', ['-c', 'exit 0']);
export const noGit = 'no git on PATH (Wine here has no Git for Windows)';
export const noSh = 'no POSIX sh on PATH (Wine here has no Git for Windows)';

/** The release is built with GNU tar (--sort=name, --mtime for reproducible bytes); Windows' bsdtar has neither, Wine here has no tar. */
export const gnuTarRuns: boolean = /GNU tar/.test(spawnSync('tar', ['--version'], { encoding: 'utf8', timeout: 10_000 }).stdout ?? '');
export const noGnuTar = 'no GNU tar on PATH (release archives are built on Linux; Wine here has no tar)';

/** The shells `completion` writes scripts for (issue 23); CI installs zsh and fish (.ci/run). */
export const bashRuns: boolean = runs('bash', ['-c', 'exit 0']);
export const zshRuns: boolean = runs('zsh', ['-fc', 'zmodload zsh/zpty']);
export const fishRuns: boolean = runs('fish', ['--no-config', '-c', 'exit 0']);
export const noShell = (name: string): string => `no ${name} on PATH (apt-get install ${name}; Wine here has none)`;
