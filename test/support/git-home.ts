// An isolated git world for one test: its own HOME, global gitconfig, no system config, and
// the git under test first on PATH. Nothing a test does can touch the developer's real config.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GitUnderTest } from './gits.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const credentialBundle = path.join(repoRoot, 'dist', 'git-credential-artifacts.cjs');
/** ARTIFACTS_TEST_SEA_DIR=sea: the suite runs the single executable (install/sea.mjs) instead of dist/. */
export const seaDir = process.env.ARTIFACTS_TEST_SEA_DIR ? path.resolve(process.env.ARTIFACTS_TEST_SEA_DIR) : undefined;
export const distBin = seaDir ?? path.join(repoRoot, 'dist', 'bin');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GitHome {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** Runs git (from the git under test) in cwd; never throws on a non-zero exit. */
  git(args: string[], options?: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  /** Runs any program with this home's environment. */
  run(file: string, args: string[], options?: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  cleanup(): void;
}

export function run(
  file: string,
  args: string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  // Tests start the helper as `node <bundle> …`; with a single executable that is the binary.
  if (seaDir && file === process.execPath && args[0] === credentialBundle) {
    [file, args] = [path.join(seaDir, 'git-credential-artifacts'), args.slice(1)];
  }
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: options.timeoutMs ?? 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    // A program may exit without reading its input (that is fine); don't crash on EPIPE.
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input ?? '');
  });
}

export function makeGitHome(gitUnderTest?: GitUnderTest, extraEnv: NodeJS.ProcessEnv = {}): GitHome {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'artifacts-test-'));
  mkdirSync(path.join(dir, 'run'), { mode: 0o700 });
  const gitconfig = path.join(dir, '.gitconfig');
  writeFileSync(gitconfig, '[user]\n\tname = Test\n\temail = test@example.invalid\n[init]\n\tdefaultBranch = main\n');
  // The git under test first, then the built bundles by the names git looks for.
  const pathVar = [gitUnderTest?.binDir, distBin, process.env.PATH].filter(Boolean).join(path.delimiter);
  const env: NodeJS.ProcessEnv = {
    PATH: pathVar,
    HOME: dir,
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    XDG_CONFIG_HOME: path.join(dir, '.config'),
    XDG_STATE_HOME: path.join(dir, '.local', 'state'),
    XDG_CACHE_HOME: path.join(dir, '.cache'),
    XDG_RUNTIME_DIR: path.join(dir, 'run'),
    TMPDIR: os.tmpdir(),
    LANG: 'C',
    ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    ...extraEnv,
  };
  const runHere: GitHome['run'] = (file, args, options = {}) =>
    run(file, args, { cwd: options.cwd ?? dir, input: options.input, env: { ...env, ...options.env } });
  return {
    dir,
    env,
    run: runHere,
    git: (args, options = {}) => runHere('git', args, options),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
