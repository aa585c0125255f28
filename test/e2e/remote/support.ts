// Shared steps for the git-remote-artifacts end-to-end suites.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { gitRequests } from '../../support/artifacts-home.js';

export { mints, settledLog } from '../../support/artifacts-home.js';
import type { LogEntry } from '../../support/emulator.js';
import type { GitHome } from '../../support/git-home.js';
import { sessionsDir } from '../../../src/operation-file.js';

/** receive-pack never with a read token, upload-pack never with a write token. */
export function expectScopesNeverCrossed(log: LogEntry[]): void {
  const authed = gitRequests(log).filter((r) => r.tokenId);
  expect(authed.filter((r) => r.service === 'receive-pack' && r.scope !== 'write')).toEqual([]);
  expect(authed.filter((r) => r.service === 'upload-pack' && r.scope !== 'read')).toEqual([]);
}

export async function commitFile(home: GitHome, dir: string, name: string, text: string): Promise<void> {
  const cwd = path.join(home.dir, dir);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path.join(cwd, name), text);
  for (const args of [['add', name], ['commit', '-q', '-m', `${name}: ${text}`]]) {
    const r = await home.git(args, { cwd });
    expect(r.code, r.stderr).toBe(0);
  }
}

/** Every token our credential helper cached in this home (plaintext and secret). */
export function cachedSecrets(home: GitHome): string[] {
  const dir = path.join(home.env.XDG_RUNTIME_DIR!, 'git-credential-artifacts');
  const out: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return out;
  }
  for (const n of names) {
    const e = JSON.parse(readFileSync(path.join(dir, n), 'utf8')) as { plaintext?: string; secret?: string };
    if (e.plaintext) out.push(e.plaintext, encodeURIComponent(e.plaintext));
    if (e.secret) out.push(e.secret);
  }
  return out;
}

/** Session dirs our remote helper leaves in the token cache (src/operation-file.ts), and anything of ours in TMPDIR: it must leave none. */
export function leftoverOperationDirs(home: GitHome, tmp = home.env.TMPDIR): string[] {
  const list = (dir: string | undefined, prefix: string): string[] => {
    try {
      return dir ? readdirSync(dir).filter((n) => n.startsWith(prefix)) : [];
    } catch {
      return [];
    }
  };
  return [...list(sessionsDir(home.env), 'remote-'), ...list(tmp, 'artifacts-')];
}
