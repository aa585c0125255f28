// Whether git took the cached token we served (issue 21: a revoked cached token heals).
//
// Artifacts answers a revoked token with 403 `Invalid or expired token`
// (docs/git-and-artifacts-behaviour.md), and on a 403 git calls neither `erase` nor `store`
// (http.c: credential_reject() only on 401, credential_approve() only on success; the same in
// git 2.39, 2.47 and 2.55). So without help, a cached token revoked on the server fails every
// git command until it expires. What git does do, once per process, is call `store` after the
// first request that the credential got through. So:
// - a cached `get` leaves a mark beside the entry: a tag of the secret (never the secret), when,
//   and the pid of the git process it answered (our parent: configure's `!f() … exec` line makes
//   the helper a direct child of git's transport);
// - `store` from that git process confirms it: configure's line runs `: > <dir>/c-$PPID` in sh
//   for `store`, so confirming costs no runtime start (helper-command.ts);
// - a later `get` that finds a mark never confirmed, whose git has ended (or that is a minute
//   old), asks the server once whether the token still works (probe-token.ts); a refused token is
//   dropped and a fresh one minted, so at most one git command fails.
// A caller that never calls `store` (a tool running `git credential fill` alone) costs one probe
// per token per `trustForMs`, not one per get. Pure but for the small I/O functions at the end.
import { closeSync, constants, lstatSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, removeQuietly } from '../private-file.js';
import { sha256Hex } from '../sha256.js';

export interface ServedMark {
  /** secretTag() of the token served. */
  tag: string;
  /** When it was served, ms. */
  at: number;
  /** The git process it was served to. */
  pid: number;
  /** When the server last said it is good, ms: no probe again until trustForMs later. */
  trusted?: number;
}

/** A git process that has not confirmed within this long is taken as having failed. */
export const confirmWithinMs = 60_000;
/** A probe that found the token good is believed this long for callers that never confirm. */
export const trustForMs = 10 * 60_000;

let lastTag: { secret: string; tag: string } | undefined;

/** Names the secret without revealing it: 64 bits of its SHA-256 (a cached get asks twice: one hash). */
export function secretTag(secret: string): string {
  if (lastTag?.secret !== secret) lastTag = { secret, tag: sha256Hex(`served\n${secret}`).slice(0, 16) };
  return lastTag.tag;
}

export type Verdict = 'fine' | 'suspect';

/**
 * Whether the token with secret may be served as is, given the mark of its last serve and
 * whether that git process confirmed. Pure.
 */
export function judge(mark: ServedMark | undefined, secret: string, now: number, confirmed: boolean, alive: (pid: number) => boolean): Verdict {
  if (!mark || mark.tag !== secretTag(secret) || confirmed) return 'fine';
  if (mark.trusted !== undefined && now - mark.trusted >= 0 && now - mark.trusted < trustForMs) return 'fine';
  // That git may still be on its way to the first answer that lets it call store.
  if (now - mark.at >= 0 && now - mark.at < confirmWithinMs && alive(mark.pid)) return 'fine';
  return 'suspect';
}

/** Decodes a mark file; undefined for anything else. Never throws. */
export function decodeMark(text: string): ServedMark | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const m = raw as Partial<ServedMark> | null;
  if (!m || typeof m.tag !== 'string' || !/^[0-9a-f]{16}$/.test(m.tag)) return undefined;
  if (!Number.isSafeInteger(m.at) || !Number.isSafeInteger(m.pid) || m.pid! < 0) return undefined;
  if (m.trusted !== undefined && !Number.isSafeInteger(m.trusted)) return undefined;
  return { tag: m.tag, at: m.at!, pid: m.pid!, ...(m.trusted === undefined ? {} : { trusted: m.trusted }) };
}

/** The mark's file for a cache entry file name, and git's confirmation file for a pid. */
export function markFile(dir: string, entryName: string): string {
  return path.join(dir, `${entryName.replace(/\.json$/, '')}.served`);
}
export function confirmFile(dir: string, pid: number): string {
  return path.join(dir, `c-${pid}`);
}

const noFollow = constants.O_NOFOLLOW ?? 0;
const nonBlock = constants.O_NONBLOCK ?? 0;

/** Reads a mark; undefined when there is none or it is unreadable (never follows a link, never blocks on a FIFO). */
export function readMark(file: string): ServedMark | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | noFollow | nonBlock);
  } catch {
    return undefined;
  }
  try {
    return decodeMark(readFileSync(fd, 'utf8').slice(0, 512));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a mark in place (it holds no secret, and a torn one decodes as none, so no temp file and
 * rename: this is on the cached path). A missing directory is made private, as for cache
 * entries; an existing one is checked and tightened by the mint path (ensureMarkDir), not on
 * every cached get.
 */
export function writeMark(dir: string, file: string, mark: ServedMark): void {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | noFollow | nonBlock;
  let fd: number;
  try {
    fd = openSync(file, flags, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    ensurePrivateDir(dir);
    fd = openSync(file, flags, 0o600);
  }
  try {
    writeSync(fd, JSON.stringify(mark));
  } finally {
    closeSync(fd);
  }
}

/** Whether git process pid confirmed (its `store` left the file); the file is consumed. */
export function takeConfirmation(dir: string, pid: number): boolean {
  const file = confirmFile(dir, pid);
  try {
    // throwIfNoEntry: the usual "not confirmed yet" costs no error object on the cached path.
    if (!lstatSync(file, { throwIfNoEntry: false })?.isFile()) return false;
  } catch {
    return false;
  }
  removeQuietly(file);
  return true;
}

/**
 * The verdict on a token's last use, for a reader that writes no mark of its own (the wrapper's
 * answer from the cache): a confirmed mark is consumed, so it is not judged again. Never throws.
 */
export function lastUseVerdict(dir: string, entry: string, secret: string, now: number): Verdict {
  try {
    const file = markFile(dir, entry);
    const mark = readMark(file);
    if (mark && takeConfirmation(dir, mark.pid)) {
      removeQuietly(file);
      return 'fine';
    }
    return judge(mark, secret, now, false, processAlive);
  } catch {
    return 'fine';
  }
}

/** The heal dir made private (0700, ours, not a link); on the mint path, before its mark. */
export const ensureMarkDir = ensurePrivateDir;

/** Removes confirmation files older than before (ms); cold: called on the mint path only. */
export function pruneConfirmations(dir: string, before: number): void {
  for (const name of readdirSync(dir)) {
    if (!/^c-\d+$/.test(name)) continue;
    const file = path.join(dir, name);
    try {
      if (lstatSync(file).mtimeMs < before) removeQuietly(file);
    } catch {
      // gone meanwhile
    }
  }
}

/** process.kill(pid, 0): true while the process exists (EPERM: it exists, another user's). */
export function processAlive(pid: number): boolean {
  if (pid <= 1) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
