// Shared steps for the suites that run what users run (large pushes, many refs, rewritten
// history, partial clones, long-lived fetch loops) on every git under test, in a home set up by
// the real `configure`. What went over the wire is read from the emulator's request log.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { gitRequests, settledLog } from '../../support/artifacts-home.js';
import type { Emulator, GitLogEntry, LogEntry } from '../../support/emulator.js';
import { withConfiguredHome } from '../../support/fixtures.js';
import type { GitHome, RunResult } from '../../support/git-home.js';
import { atLeast, type GitUnderTest } from '../../support/gits.js';

export { configuredHome, gitRequests, mints, settledLog } from '../../support/artifacts-home.js';

export interface World {
  emu: Emulator;
  home: GitHome;
}

/**
 * An emulator and a home configured for it with git, for the calling describe: started in its
 * beforeAll (before any the suite adds after this call) and stopped in its afterAll.
 */
export function configuredWorld(git: GitUnderTest): World {
  const w = {} as World;
  withConfiguredHome(git, (x) => Object.assign(w, x));
  return w;
}

/** Runs git in home.dir/<cwd> and fails the test with git's stderr on a non-zero exit. */
export async function ok(home: GitHome, args: string[], cwd?: string, more: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<RunResult> {
  const r = await home.git(args, { cwd: cwd && path.join(home.dir, cwd), ...more });
  expect(r.code, `git ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

/** A new local repository with one commit of `files` (name → content). */
export async function localRepo(home: GitHome, dir: string, files: Record<string, string | Buffer>): Promise<void> {
  await ok(home, ['init', '-q', dir]);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(home.dir, dir, name)), { recursive: true });
    writeFileSync(path.join(home.dir, dir, name), content);
  }
  await ok(home, ['add', '.'], dir);
  await ok(home, ['commit', '-q', '-m', `${dir}: ${Object.keys(files).join(', ')}`], dir);
}

/** Random bytes do not compress, so the pack (and the push POST) is as large as the file. */
export const incompressible = (bytes: number): Buffer => randomBytes(bytes);

/**
 * Whether git sends credentials before the first request (http.<url>.proactiveAuth, git >= 2.46;
 * https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpproactiveAuth). Older
 * gits ignore the setting.
 */
export async function proactive(home: GitHome, git: GitUnderTest, url: string): Promise<boolean> {
  if (!atLeast(git, 2, 46)) return false;
  const r = await home.git(['config', '--get-urlmatch', 'http.proactiveAuth', url]);
  const value = r.stdout.trim().toLowerCase();
  return r.code === 0 && value !== '' && value !== 'none';
}

export const challenges = (log: LogEntry[]): GitLogEntry[] => gitRequests(log).filter((r) => r.status === 401);

/**
 * `processes` git-remote-http(s) processes ran one after another. Each may be challenged once,
 * on its first request (none at all with proactiveAuth); a 401 after that means git dropped the
 * credential mid-process, as git 2.46-2.53 do on a large push when the helper answers authtype
 * (remote-curl.c probe_rpc(), fixed by https://github.com/git/git/commit/ed0f7a62f7). Never 403.
 */
export function expectOneChallengePerProcess(log: LogEntry[], processes: number, proactiveAuth: boolean): void {
  const requests = gitRequests(log);
  expect(requests.filter((r) => r.status === 403), 'no request is refused with 403').toEqual([]);
  expect(challenges(log).length, `401s for ${processes} git process(es)`).toBe(proactiveAuth ? 0 : processes);
  // Every challenge opens a process: it is the first request or follows a finished one, never
  // two in a row (a retry that failed), and every request that carried a token succeeded.
  requests.forEach((r, i) => {
    if (r.status === 401) expect(requests[i + 1]?.status, `request ${i + 1} after the 401 at ${i}`).not.toBe(401);
  });
  expect(requests.filter((r) => r.tokenId !== null && r.status !== 200)).toEqual([]);
}

/** A repository on the emulator holding one commit of `files`, pushed with its creation token. */
export async function seededRepo(emu: Emulator, home: GitHome, name: string, files: Record<string, string | Buffer>): Promise<string> {
  const created = await emu.createRepo('default', name);
  await localRepo(home, `seed-${name}`, files);
  // Straight to the server with the creation token and without the configured helpers (no
  // global config): the set-up must not show up as mints or challenges in what a test checks.
  const env = {
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Bearer ${created.token}`,
  };
  await ok(home, ['push', '-q', created.remote, 'HEAD:refs/heads/main'], `seed-${name}`, { env });
  await settledLog(emu); // the push's last request is logged once answered: before any clearLog()
  return created.remote;
}
