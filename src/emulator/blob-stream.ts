// A blob from a bare repo to an HTTP answer without holding it whole: `git cat-file --batch-check`
// says its type and size (the 413 check and Content-Length), then `git cat-file blob <id>` is
// piped to the response with back-pressure, so a 31 MB blob costs the emulator a few 64 KiB
// chunks, not 31 MB (issue 21, L4). The child gets the content routes' time bound and is ended,
// with its group, when the bound passes or the client goes away.
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { start } from '../child-process.js';
import type { Started } from '../child-process.js';
import { codes, RestError, sendError } from './envelope.js';
import { gitEnv } from './git-ops.js';
import type { GitEnv } from './git-ops.js';
import { runGit } from './git-read.js';

export interface ObjectHead {
  type: string;
  size: number;
}

/** Parses one line of `git cat-file --batch-check`: `<id> <type> <size>`, or null for `<id> missing`. */
export function parseBatchCheck(line: string): ObjectHead | null {
  const m = /^[0-9a-f]{40} ([a-z]+) (\d{1,16})$/.exec(line.replace(/\n$/, ''));
  const size = Number(m?.[2]);
  return m && Number.isSafeInteger(size) ? { type: m[1]!, size } : null;
}

/** The type and size of a validated object id, or null when the repo does not have it. */
export async function objectHead(env: GitEnv, dir: string, hash: string): Promise<ObjectHead | null> {
  if (!/^[0-9a-f]{40}$/.test(hash)) throw new RestError(500, codes.internal, 'object ids must be 40 hex');
  const out = await runGit(env, dir, ['cat-file', '--batch-check'], { input: `${hash}\n`, maxBytes: 200 });
  if (out.code !== 0) throw new RestError(500, codes.internal, `git cat-file --batch-check exited with ${out.code}`);
  return parseBatchCheck(out.stdout.toString('latin1'));
}

/** Enough of the start of a file for contentTypeOf (git-objects.ts), which looks at 8000 bytes as git's buffer_is_binary does. */
export const sniffBytes = 8000;

export interface BlobAnswer {
  env: GitEnv;
  dir: string;
  hash: string;
  /** From objectHead: Content-Length, and what must arrive. */
  size: number;
  /** The answer's headers, from the first bytes (up to sniffBytes) of the blob. */
  headers: (first: Buffer) => Record<string, string>;
}

/** Streams the blob as a 200 answer; on failure before the headers, the 500 envelope; after them, a cut connection. */
export function streamBlob(res: ServerResponse, blob: BlobAnswer): Promise<void> {
  return new Promise((resolve) => {
    // The client left while this request waited for a slot. A pipelined request's response is
    // not yet bound to the socket, so it sees neither `destroyed` nor 'close': ask the socket.
    if (res.destroyed || res.req?.socket?.destroyed === true) return resolve();
    let child: Started;
    try {
      child = start(['git', '--git-dir', blob.dir, 'cat-file', 'blob', blob.hash], {
        env: gitEnv(blob.env.tmpDir),
        stdio: ['ignore', 'pipe', 'ignore'],
        group: true,
        label: 'git cat-file',
      });
    } catch (e) {
      sendError(res, new RestError(500, codes.internal, e instanceof Error ? e.message : String(e)));
      return resolve();
    }
    new BlobPipe(res, blob, child, resolve);
  });
}

/** One blob on its way out: the first bytes held back for the headers, then back-pressured writes. */
class BlobPipe {
  private first: Buffer[] = [];
  private firstBytes = 0;
  private sent = 0;
  private over = false;
  private readonly timer: NodeJS.Timeout;
  private readonly socket: Socket | undefined;
  /** The client went away (its response, or for a pipelined request its socket, closed). */
  private readonly gone = (): void => {
    if (this.res.writableFinished) return;
    this.child.kill('SIGKILL');
    this.finish();
  };

  constructor(
    private readonly res: ServerResponse,
    private readonly blob: BlobAnswer,
    private readonly child: Started,
    private readonly done: () => void,
  ) {
    this.socket = res.req?.socket ?? undefined;
    const ms = blob.env.timeoutMs;
    this.timer = setTimeout(() => this.fail(`git cat-file did not finish within ${ms} ms`), ms);
    res.on('close', this.gone);
    this.socket?.once('close', this.gone);
    child.child.stdout!.on('data', (chunk: Buffer) => this.data(chunk));
    child.exited.then(
      (code) => this.exited(code),
      (e: unknown) => this.fail(e instanceof Error ? e.message : String(e)),
    );
  }

  private data(chunk: Buffer): void {
    if (this.over) return;
    if (this.res.headersSent) return this.write(chunk);
    this.first.push(chunk);
    this.firstBytes += chunk.length;
    if (this.firstBytes >= sniffBytes) this.writeHead();
  }

  private exited(code: number): void {
    if (this.over) return;
    if (code !== 0) return this.fail(`git cat-file exited with ${code}`);
    if (!this.res.headersSent) this.writeHead();
    if (this.sent !== this.blob.size) return this.fail(`git cat-file gave ${this.sent} bytes, not ${this.blob.size}`);
    this.res.end(() => this.finish());
  }

  private writeHead(): void {
    const start = Buffer.concat(this.first);
    this.first = [];
    this.res.writeHead(200, { 'Cache-Control': 'no-store', ...this.blob.headers(start), 'Content-Length': String(this.blob.size) });
    this.write(start);
  }

  private write(chunk: Buffer): void {
    this.sent += chunk.length;
    if (this.res.write(chunk)) return;
    const out = this.child.child.stdout!;
    out.pause();
    this.res.once('drain', () => out.resume());
  }

  private fail(message: string): void {
    this.child.kill('SIGKILL');
    if (this.res.headersSent) this.res.destroy();
    else sendError(this.res, new RestError(500, codes.internal, message));
    this.finish();
  }

  private finish(): void {
    if (this.over) return;
    this.over = true;
    clearTimeout(this.timer);
    this.socket?.off('close', this.gone); // a kept-alive socket serves many answers
    this.done();
  }
}
