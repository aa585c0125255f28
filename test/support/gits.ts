// Which gits the end-to-end suite runs against. Always the git on PATH (the team floor is
// 2.39); plus every bin directory listed in ARTIFACTS_TEST_GIT_DIRS (path-delimited), which
// .ci/run sets to a freshly built current git so the newer credential protocol is covered.
import { execFileSync } from 'node:child_process';
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
  for (const dir of dirs) gits.push({ binDir: dir, version: versionOf(path.join(dir, 'git')), label: '' });
  for (const g of gits) g.label = `git ${g.version.join('.')}`;
  return gits;
}

export function atLeast(git: GitUnderTest, major: number, minor: number): boolean {
  const [a, b] = git.version;
  return a > major || (a === major && b >= minor);
}
