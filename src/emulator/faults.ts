// TEST AIDS ONLY: injected faults and the request log. Nothing here exists in the real
// service; tests drive it through the /__emulator/ routes (test-aids.ts), which need the API token.
import { invalid } from './envelope.js';
import type { Scope } from './state.js';

/** Routes a fault can target; `git` is every git smart-HTTP request. */
export const faultRoutes = [
  'mint', 'revoke', 'token-list', 'repo-get', 'repo-list', 'repo-create', 'repo-delete',
  'fork', 'import', 'namespace', 'repo-content', 'git', 'verify', 'accounts',
] as const;
export type FaultRoute = (typeof faultRoutes)[number];

export interface RouteFault {
  route: FaultRoute;
  /** How many matching requests it affects (default 1). */
  count?: number;
  /** Wait this long first (then answer normally unless `status` is set). */
  delayMs?: number;
  /** Answer with this status instead: e.g. 429, 500, 503, 409, 404. */
  status?: number;
  /** REST error code (default by status: 409→10302, 404→10200, 5xx/429→10400, else 10100). */
  code?: number;
  message?: string;
  /** Seconds, sent as a Retry-After header. */
  retryAfter?: number;
}

export interface FaultSettings {
  /** Faults to add (appended to the queue; the first matching one fires). */
  routes?: RouteFault[];
  /** Server-side lifetime cap for newly minted tokens (null: as asked). */
  tokenLifetimeSeconds?: number | null;
  /** With a lifetime cap: report the asked expiry (suffix, expires_at) instead of the real one. */
  reportAskedExpiry?: boolean;
  /** Prefix for new token secrets instead of `art_v1_` (null: default), e.g. `art_v2_e_`. */
  tokenPrefix?: string | null;
  /** Extra time every import spends "in progress". */
  importDelayMs?: number;
  /** Extra time every fork spends "in progress" (listed as `forking`, GET answers 409 10303). */
  forkDelayMs?: number;
}

export class Faults {
  private queue: (RouteFault & { remaining: number })[] = [];
  tokenLifetimeSeconds: number | null = null;
  reportAskedExpiry = false;
  tokenPrefix: string | null = null;
  importDelayMs = 0;
  forkDelayMs = 0;

  /** Validates and applies settings; throws a 400 RestError on bad input. */
  apply(settings: Record<string, unknown>): void {
    const s = settings as FaultSettings;
    const routes = s.routes === undefined ? [] : s.routes;
    if (!Array.isArray(routes)) throw invalid('routes must be an array');
    const parsed = routes.map(parseRouteFault);
    if (s.tokenLifetimeSeconds !== undefined) {
      if (s.tokenLifetimeSeconds !== null && !isInt(s.tokenLifetimeSeconds, 1, 31_536_000)) {
        throw invalid('tokenLifetimeSeconds must be null or an integer of seconds');
      }
      this.tokenLifetimeSeconds = s.tokenLifetimeSeconds;
    }
    if (s.reportAskedExpiry !== undefined) this.reportAskedExpiry = s.reportAskedExpiry === true;
    if (s.tokenPrefix !== undefined) {
      if (s.tokenPrefix !== null && !/^[a-z0-9_]{1,32}$/.test(s.tokenPrefix)) throw invalid('tokenPrefix must match [a-z0-9_]{1,32}');
      this.tokenPrefix = s.tokenPrefix;
    }
    if (s.importDelayMs !== undefined) {
      if (!isInt(s.importDelayMs, 0, 600_000)) throw invalid('importDelayMs must be an integer 0..600000');
      this.importDelayMs = s.importDelayMs;
    }
    if (s.forkDelayMs !== undefined) {
      if (!isInt(s.forkDelayMs, 0, 600_000)) throw invalid('forkDelayMs must be an integer 0..600000');
      this.forkDelayMs = s.forkDelayMs;
    }
    this.queue.push(...parsed);
  }

  /** The fault for this request, if any; consumes one of its count. */
  take(route: string): RouteFault | undefined {
    const i = this.queue.findIndex((f) => f.route === route);
    const fault = this.queue[i];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.queue.splice(i, 1);
    return fault;
  }

  clear(): void {
    this.queue = [];
    this.tokenLifetimeSeconds = null;
    this.reportAskedExpiry = false;
    this.tokenPrefix = null;
    this.importDelayMs = 0;
    this.forkDelayMs = 0;
  }

  snapshot(): object {
    return {
      routes: this.queue.map(({ remaining, ...f }) => ({ ...f, count: remaining })),
      tokenLifetimeSeconds: this.tokenLifetimeSeconds,
      reportAskedExpiry: this.reportAskedExpiry,
      tokenPrefix: this.tokenPrefix,
      importDelayMs: this.importDelayMs,
      forkDelayMs: this.forkDelayMs,
    };
  }
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function parseRouteFault(raw: unknown): RouteFault & { remaining: number } {
  const f = (raw ?? {}) as Record<string, unknown>;
  if (!(faultRoutes as readonly unknown[]).includes(f.route)) throw invalid(`route must be one of: ${faultRoutes.join(', ')}`);
  const count = f.count ?? 1;
  if (!isInt(count, 1, 1_000_000)) throw invalid('count must be a positive integer');
  if (f.delayMs !== undefined && !isInt(f.delayMs, 0, 120_000)) throw invalid('delayMs must be an integer 0..120000');
  if (f.status !== undefined && !isInt(f.status, 400, 599)) throw invalid('status must be an integer 400..599');
  if (f.code !== undefined && !isInt(f.code, 1, 99_999)) throw invalid('code must be a positive integer');
  if (f.message !== undefined && typeof f.message !== 'string') throw invalid('message must be a string');
  if (f.retryAfter !== undefined && !isInt(f.retryAfter, 0, 86_400)) throw invalid('retryAfter must be an integer of seconds');
  return { ...(f as unknown as RouteFault), count, remaining: count };
}

/** The default REST error code for an injected status. */
export function faultCode(fault: RouteFault): number {
  if (fault.code !== undefined) return fault.code;
  if (fault.status === 409) return 10302;
  if (fault.status === 404) return 10200;
  if (fault.status === 429 || (fault.status ?? 0) >= 500) return 10400;
  return 10100;
}

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
