// Which gits the end-to-end suite runs against. Always the git on PATH (the team floor is
// 2.39); plus every bin directory listed in ARTIFACTS_TEST_GIT_DIRS (path-delimited), which
// .ci/run sets to gits built from Debian's source packages: 2.47 (Debian 13, inside the
// 2.46-2.53 range whose large-push probe drops authtype credentials) and the newest.
// Every suite that runs git names the git in its title (`… with $label`), so a failure says which.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface GitUnderTest {
  /** e.g. "git 2.39.5" */
  label: string;
  /** Directory to put first on PATH so git and its helpers (git-remote-https) come from it. */
  binDir: string | undefined;
  version: [number, number, number];
}

function versionOf(gitCommand: string): [number, number, number] {
  const out = execFileSync(gitCommand, ['--version'], { encoding: 'utf8' });
  const m = /git version (\d+)\.(\d+)\.(\d+)/.exec(out);
  if (!m) throw new Error(`cannot read the version of ${gitCommand}: ${out}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function gitsUnderTest(env: NodeJS.ProcessEnv = process.env): GitUnderTest[] {
  const dirs = (env.ARTIFACTS_TEST_GIT_DIRS ?? '').split(path.delimiter).filter(Boolean);
  const gits: GitUnderTest[] = [{ binDir: undefined, version: versionOf('git'), label: '' }];
  for (const dir of dirs) {
    if (!existsSync(path.join(dir, 'git'))) throw new Error(`ARTIFACTS_TEST_GIT_DIRS lists ${dir}, which holds no git (build one with .ci/build-git.sh)`);
    gits.push({ binDir: dir, version: versionOf(path.join(dir, 'git')), label: '' });
  }
  for (const g of gits) g.label = `git ${g.version.join('.')}`;
  return gits;
}

/** The git on PATH: for suites that run one git only; put its label in the suite's title. */
export function pathGit(): GitUnderTest {
  return gitsUnderTest({ ...process.env, ARTIFACTS_TEST_GIT_DIRS: '' })[0]!;
}

export function atLeast(git: GitUnderTest, major: number, minor: number): boolean {
  const [a, b] = git.version;
  return a > major || (a === major && b >= minor);
}
