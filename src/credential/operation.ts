// Which scope this request needs. git's credential protocol never says whether it fetches or
// pushes (docs/git-and-artifacts-behaviour.md, "What a credential helper never sees").
// git-remote-artifacts knows, and records it in a private file named by
// ARTIFACTS_OPERATION_FILE before git makes any HTTP request (docs/credential-flow.md, "What
// the wrapper does").
// Without that file the answer is read: least privilege, and a fetch never gets write.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { Scope } from '../token/settings.js';
import { remoteTool } from '../names.js';

export const operationFileEnv = 'ARTIFACTS_OPERATION_FILE';

export function parseOperation(text: string): Scope | undefined {
  const word = text.trim();
  return word === 'write' || word === 'read' ? word : undefined;
}

export function operationScope(env: NodeJS.ProcessEnv): { scope: Scope; source: string } {
  const file = env[operationFileEnv];
  if (!file || !path.isAbsolute(file)) return { scope: 'read', source: 'default' };
  let fd: number;
  try {
    // O_NOFOLLOW: no symlink redirects the read; O_NONBLOCK: a FIFO planted at that path
    // opens at once (and is then refused as no regular file) instead of hanging git forever.
    fd = openSync(file, constants.O_RDONLY | (process.platform === 'win32' ? 0 : constants.O_NOFOLLOW | constants.O_NONBLOCK));
  } catch {
    return { scope: 'read', source: 'default (operation file unreadable)' };
  }
  try {
    const st = fstatSync(fd);
    // Only a private regular file of ours may raise the scope to write.
    if (!st.isFile() || (process.platform !== 'win32' && (st.uid !== process.getuid!() || (st.mode & 0o077) !== 0))) {
      return { scope: 'read', source: 'default (operation file not private)' };
    }
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const scope = parseOperation(buf.toString('utf8', 0, n));
    return scope ? { scope, source: remoteTool } : { scope: 'read', source: 'default (operation not recorded)' };
  } finally {
    closeSync(fd);
  }
}
