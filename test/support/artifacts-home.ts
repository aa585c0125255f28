// A git home configured for the emulator through the real `configure` command, as a user
// would: `git-credential-artifacts configure --git-url … --api-url … --account …`.
import { expect } from 'vitest';
import type { Emulator } from './emulator.js';
import { credentialBundle, makeGitHome, type GitHome } from './git-home.js';
import type { GitUnderTest } from './gits.js';

export async function configuredHome(git: GitUnderTest, emu: Emulator, extraEnv: NodeJS.ProcessEnv = {}): Promise<GitHome> {
  const home = makeGitHome(git, { CLOUDFLARE_API_TOKEN: emu.apiToken, ...extraEnv });
  const r = await home.run(process.execPath, [credentialBundle, 'configure', '--git-url', emu.url, '--api-url', emu.apiUrl, '--account', emu.account]);
  expect(r.code, r.stderr).toBe(0);
  return home;
}

/** Runs the credential helper directly with a request on stdin, configured for emu. */
export function helperGet(home: GitHome, emu: Emulator, input: string, env: NodeJS.ProcessEnv = {}) {
  return home.run(process.execPath, [credentialBundle, '--git-url', emu.url, '--api-url', emu.apiUrl, '--account', emu.account, 'get'], { input, env });
}

export function mints(log: Awaited<ReturnType<Emulator['log']>>, scope?: 'read' | 'write') {
  return log.filter((e) => e.kind === 'mint' && e.status === 201 && (scope === undefined || e.scope === scope));
}

export function gitRequests(log: Awaited<ReturnType<Emulator['log']>>) {
  return log.flatMap((e) => (e.kind === 'git' ? [e] : []));
}
