// Starts git's own transport, `git-remote-https|http <name> <url>`. Its stdout and stderr are
// ours (the same file descriptors, so not one byte of its output passes through this
// process); only its stdin is a pipe, fed through relay.ts once the wrapper lets it
// (main.ts). The start and the feeding are separate steps: the child may start while the
// wrapper still reads its config, because it makes no HTTP request before its first command.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { deliverableSignal, start } from '../child-process.js';
import { pumpCommands, type CommandGate } from './relay.js';

export interface TransportOptions {
  scheme: 'https' | 'http';
  name: string;
  url: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** git's stdin and stdout, or stand-ins for them (src/remote/deferred-create.ts). */
export interface Pipes {
  stdin: Readable;
  stdout: Writable;
}

export interface ChildOptions extends TransportOptions {
  stdout: Writable;
  stderr: Writable;
}

/** A started transport child (nodeTransport, bun-transport.ts). */
export interface Transport {
  /** The exit code git should see. */
  exited: Promise<number>;
  kill(signal: NodeJS.Signals): void;
  /** Starts feeding git's commands through gate; returns a function that stops reading. */
  relay(gate: CommandGate, onError: (e: unknown) => void): () => void;
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
export function transportCommand(
  scheme: string,
  env: NodeJS.ProcessEnv,
  exists: (file: string) => boolean = existsSync,
  platform: NodeJS.Platform = process.platform,
): [string, ...string[]] {
  const dir = env.GIT_EXEC_PATH;
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (dir && p.isAbsolute(dir)) {
    const file = p.join(dir, `git-remote-${scheme}${platform === 'win32' ? '.exe' : ''}`);
    if (exists(file)) return [file];
  }
  return ['git'];
}

/** How messages name the transport, and what to do when it cannot start. */
export const transportLabel = (scheme: string): string => `git remote-${scheme}`;
export const transportHint = 'check that git is installed and on PATH';

/** The whole argv that starts the transport. */
export function transportArgv(o: Pick<TransportOptions, 'scheme' | 'name' | 'url' | 'env'>): [string, ...string[]] {
  const command = transportCommand(o.scheme, o.env);
  const args = childArgs(o.scheme, o.name, o.url);
  return command[0] === 'git' ? ['git', ...args] : [command[0], ...args.slice(1)];
}

export function startChild(o: ChildOptions): { child: ChildProcess; exited: Promise<number> } {
  const outFd = fdOf(o.stdout);
  const errFd = fdOf(o.stderr);
  // No time bound of ours and no process group: this is git's own transport, which lives as
  // long as the clone or push git is running, and gets the terminal's Ctrl-C as git does.
  const { child, exited } = start(transportArgv(o), {
    env: o.env,
    cwd: o.cwd,
    stdio: ['pipe', outFd ?? 'pipe', errFd ?? 'pipe'],
    label: transportLabel(o.scheme),
    hint: transportHint,
  });
  // In-process callers (tests) hand us plain streams: copy into them, never end them.
  if (outFd === undefined) child.stdout?.pipe(o.stdout, { end: false });
  if (errFd === undefined) child.stderr?.pipe(o.stderr, { end: false });
  return { child, exited };
}

/** The transport on Node's child_process and streams; git's commands come from stdin. */
export function nodeTransport(o: ChildOptions & { stdin: Readable }): Transport {
  const { child, exited } = startChild(o);
  return {
    exited,
    kill: (signal) => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return; // never started, or ended: no `kill EINVAL`
      child.kill(deliverableSignal(signal));
    },
    relay: (gate, onError) => pumpCommands(o.stdin, child.stdin!, gate, onError),
  };
}
