// A git home configured for the emulator through the real `configure` command, as a user
// would: `git-credential-artifacts configure --git-url … --api-url … --account …`.
import { expect } from 'vitest';
import type { Emulator, GitLogEntry, LogEntry, MintLogEntry } from './emulator.js';
import { credentialBundle, makeGitHome, type GitHome } from './git-home.js';
import type { GitUnderTest } from './gits.js';

export async function configuredHome(git: GitUnderTest, emu: Emulator, extraEnv: NodeJS.ProcessEnv = {}): Promise<GitHome> {
  const home = makeGitHome(git, { ARTIFACTS_API_TOKEN: emu.apiToken, ...extraEnv });
  const r = await home.run(process.execPath, [credentialBundle, 'configure', '--git-url', emu.url, '--api-url', emu.apiUrl, '--account', emu.account]);
  expect(r.code, r.stderr).toBe(0);
  return home;
}

/** Runs the credential helper directly (as git would, with the configured arguments for emu). */
export function helperAction(home: GitHome, emu: Emulator, action: 'get' | 'erase', input: string, env: NodeJS.ProcessEnv = {}) {
  return home.run(process.execPath, [credentialBundle, '--git-url', emu.url, '--api-url', emu.apiUrl, '--account', emu.account, action], { input, env });
}

export function helperGet(home: GitHome, emu: Emulator, input: string, env: NodeJS.ProcessEnv = {}) {
  return helperAction(home, emu, 'get', input, env);
}

/** Successful mints, optionally of one scope. */
export function mints(log: LogEntry[], scope?: 'read' | 'write'): MintLogEntry[] {
  return log.filter((e): e is MintLogEntry => e.kind === 'mint' && e.status === 201 && (scope === undefined || e.scope === scope));
}

export function gitRequests(log: LogEntry[]): GitLogEntry[] {
  return log.filter((e): e is GitLogEntry => e.kind === 'git');
}

/**
 * The emulator logs a request once its handler is done, a moment after the client has its
 * answer: this asks it for the log once nothing is in flight (GET /__emulator/log/settled).
 */
export function settledLog(emu: Emulator): Promise<LogEntry[]> {
  return emu.settledLog();
}
