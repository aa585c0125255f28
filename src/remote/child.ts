// Starts git's own transport, `git-remote-https|http <name> <url>`, and waits for it. Its
// stdout and stderr are ours (the same file descriptors, so not one byte passes through this
// process); only its stdin is a pipe, fed by relay.ts. Returns the exit code git should see.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { start } from '../child-process.js';

export interface ChildOptions {
  scheme: 'https' | 'http';
  name: string;
  url: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: Writable;
  stderr: Writable;
}

function fdOf(stream: Writable): number | undefined {
  const fd = (stream as Writable & { fd?: unknown }).fd;
  return typeof fd === 'number' ? fd : undefined;
}

/** The argv for the child: git's remote name, unless git passed a URL as the name. */
export function childArgs(scheme: string, name: string, url: string): string[] {
  // `git ls-remote artifacts://ns/repo` names the remote by its URL; git remote-https would
  // then see our URL as a remote name, so give it the one it can use instead.
  return [`remote-${scheme}`, /[:/]/.test(name) ? url : name, url];
}

/**
 * The transport program. git puts GIT_EXEC_PATH into the environment of every remote helper it
 * starts (it is where git-remote-https lives), so start that program itself: `git remote-https`
 * would be one more git process whose only job is to find it, on every push and fetch through
 * us. Without GIT_EXEC_PATH (started by hand), `git` finds it.
 */
export function transportCommand(scheme: string, env: NodeJS.ProcessEnv, exists: (file: string) => boolean = existsSync): [string, ...string[]] {
  const dir = env.GIT_EXEC_PATH;
  if (dir && path.isAbsolute(dir)) {
    const file = path.join(dir, `git-remote-${scheme}${process.platform === 'win32' ? '.exe' : ''}`);
    if (exists(file)) return [file];
  }
  return ['git'];
}

export function startChild(o: ChildOptions): { child: ChildProcess; exited: Promise<number> } {
  const outFd = fdOf(o.stdout);
  const errFd = fdOf(o.stderr);
  // No time bound of ours and no process group: this is git's own transport, which lives as
  // long as the clone or push git is running, and gets the terminal's Ctrl-C as git does.
  const command = transportCommand(o.scheme, o.env);
  const args = childArgs(o.scheme, o.name, o.url);
  const { child, exited } = start(command[0] === 'git' ? ['git', ...args] : [command[0], ...args.slice(1)], {
    env: o.env,
    cwd: o.cwd,
    stdio: ['pipe', outFd ?? 'pipe', errFd ?? 'pipe'],
    label: `git remote-${o.scheme}`,
    hint: 'check that git is installed and on PATH',
  });
  // In-process callers (tests) hand us plain streams: copy into them, never end them.
  if (outFd === undefined) child.stdout?.pipe(o.stdout, { end: false });
  if (errFd === undefined) child.stderr?.pipe(o.stderr, { end: false });
  return { child, exited };
}
