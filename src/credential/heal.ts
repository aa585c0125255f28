// The cached `get`'s check that the token it is about to serve was not refused last time
// (src/token/served.ts explains the marks and why). On the hot path: two small file reads, one
// small write, and a probe only for a token whose last git process never confirmed it.
import type { CachedToken } from '../token/policy.js';
import { ensureMarkDir, judge, markFile, processAlive, pruneConfirmations, readMark, secretTag, takeConfirmation, writeMark } from '../token/served.js';
import type { Trace } from '../trace.js';
import type { ProbeResult } from './probe-token.js';

export interface HealContext {
  /** configure's --heal-dir: where marks and git's confirmations live. */
  dir: string;
  now: number;
  /** The git process we answer (our parent). */
  gitPid: number;
  trace: Trace;
  /** Asks the server about the token; loaded only when needed. */
  probe(secret: string): Promise<ProbeResult>;
}

/** 'serve' the cached token, or 'drop' it: the server refused it, so mint anew. Never throws. */
export async function beforeServe(ctx: HealContext, entry: string, token: CachedToken): Promise<'serve' | 'drop'> {
  try {
    const file = markFile(ctx.dir, entry);
    const mark = readMark(file);
    const tag = secretTag(token.secret);
    const confirmed = mark !== undefined && takeConfirmation(ctx.dir, mark.pid);
    let trusted = !confirmed && mark?.tag === tag ? mark.trusted : undefined;
    if (judge(mark, token.secret, ctx.now, confirmed, processAlive) === 'suspect') {
      const result = await ctx.probe(token.secret);
      ctx.trace('served.probe', { id: token.id, result, why: 'its last git process never confirmed it' });
      if (result === 'refused') return 'drop';
      if (result === 'good') trusted = ctx.now;
    }
    writeMark(ctx.dir, file, { tag, at: ctx.now, pid: ctx.gitPid, ...(trusted === undefined ? {} : { trusted }) });
  } catch (e) {
    // Marks only help; a broken heal dir must not break a cached get.
    ctx.trace('served.skipped', { why: (e as Error).message });
  }
  return 'serve';
}

/** After a mint: the new token's mark, so a refusal of even a fresh token heals. Never throws. */
export function markMinted(ctx: Pick<HealContext, 'dir' | 'now' | 'gitPid' | 'trace'>, entry: string, token: CachedToken): void {
  try {
    ensureMarkDir(ctx.dir);
    writeMark(ctx.dir, markFile(ctx.dir, entry), { tag: secretTag(token.secret), at: ctx.now, pid: ctx.gitPid });
    // On the mint path (it waits on the network anyway): confirmations no mark will ever ask
    // for (a session the wrapper answered itself) are dropped after a day.
    pruneConfirmations(ctx.dir, ctx.now - 86_400_000);
  } catch (e) {
    ctx.trace('served.skipped', { why: (e as Error).message });
  }
}
