// TEST AIDS ONLY: the request log, read through /__emulator/log (test-aids.ts): every mint, git
// request and other REST call, with the API and the credential it came with. Nothing like it
// exists in the real service.
import type { Scope } from './state.js';

/** What a REST request's Authorization header carried: one of ours, something else, or nothing. */
export type Credential = 'api-token' | 'jwt' | 'other' | 'none';

export interface MintLogEntry {
  kind: 'mint';
  at: string;
  /** The API the request came through: /client/v4 (account) or /v1/api, /edge/v1/api (namespace). */
  api: 'account' | 'namespace';
  credential: Credential;
  namespace: string;
  /** As asked (null when absent or not a string). */
  repo: string | null;
  scope: string | null;
  ttl: number | null;
  status: number;
  /** The minted token's id on success. */
  tokenId: string | null;
}

export interface GitLogEntry {
  kind: 'git';
  at: string;
  /** The path form: /git/<ns>/<repo>.git (account) or /<ns>/<repo>.git (namespace). */
  form: 'account' | 'namespace';
  namespace: string;
  repo: string;
  service: 'upload-pack' | 'receive-pack' | null;
  /** The token that authenticated the request, or null. */
  tokenId: string | null;
  scope: Scope | null;
  auth: 'basic' | 'bearer' | null;
  status: number;
}

export interface RestLogEntry {
  kind: 'rest';
  at: string;
  api: 'account' | 'namespace';
  credential: Credential;
  method: string;
  route: string;
  namespace: string | null;
  status: number;
}

export type LogEntry = MintLogEntry | GitLogEntry | RestLogEntry;

/** The in-memory request log, capped so a long-running emulator can't grow without bound. */
export class RequestLog {
  private entries: LogEntry[] = [];
  /** Requests (other than test aids) being answered: their entries are not in yet. */
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  /** server.ts: a request arrived. */
  begin(): void {
    this.inFlight++;
  }

  /** server.ts: its handler is done, its entry (if any) added. */
  end(): void {
    this.inFlight--;
    if (this.inFlight === 0) for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves true once no request is in flight, or false after `boundMs` with some still are. */
  settled(boundMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve(false);
      }, boundMs);
      this.waiters.push(wake);
    });
  }

  add(entry: LogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > 10_000) this.entries.splice(0, this.entries.length - 10_000);
  }
  all(): LogEntry[] {
    return [...this.entries];
  }
  clear(): void {
    this.entries = [];
  }
}
