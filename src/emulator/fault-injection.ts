// TEST AIDS ONLY: injected faults, token settings and latches. Nothing here exists in the real
// service; tests drive it through the /__emulator/ routes (test-aids.ts), which need the API token.
import { codes, invalid } from './envelope.js';
import { Latches } from './latches.js';

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
  /** Wait at the latch named after the route until POST /__emulator/release (then as above). */
  hold?: boolean;
  /** Answer with this status instead: e.g. 429, 500, 503, 409, 404. */
  status?: number;
  /** REST error code (default by status: 409→10302, 404→10200, 5xx/429→10400, else 10100). */
  code?: number;
  message?: string;
  /** Seconds, sent as a Retry-After header. */
  retryAfter?: number;
}

interface Setting<T> {
  initial: T;
  valid: (v: unknown) => boolean;
  /** What a valid value is, for the 400. */
  rule: string;
}

const setting = <T>(initial: T, valid: (v: unknown) => boolean, rule: string): Setting<T> => ({ initial, valid, rule });
const isBoolean = (v: unknown): boolean => typeof v === 'boolean';

/** The settings beside the route faults, each with its starting value and its rule: one table for apply, clear and snapshot. */
const settingRules = {
  /** Server-side lifetime cap for newly minted tokens (null: as asked). */
  tokenLifetimeSeconds: setting<number | null>(null, (v) => v === null || isInt(v, 1, 31_536_000), 'null or an integer of seconds'),
  /** With a lifetime cap: report the asked expiry (suffix, expires_at) instead of the real one. */
  reportAskedExpiry: setting(false, isBoolean, 'true or false'),
  /** Prefix for new token secrets instead of `art_v1_` (null: default), e.g. `art_v2_e_`. */
  tokenPrefix: setting<string | null>(null, (v) => v === null || (typeof v === 'string' && /^[a-z0-9_]{1,32}$/.test(v)), 'null or [a-z0-9_]{1,32}'),
  /** Extra time every import spends "in progress". */
  importDelayMs: setting(0, (v) => isInt(v, 0, 600_000), 'an integer 0..600000'),
  /** Extra time every fork spends "in progress" (listed as `forking`, GET answers 409 10303). */
  forkDelayMs: setting(0, (v) => isInt(v, 0, 600_000), 'an integer 0..600000'),
  /** Every import waits at the latch `import` until released. */
  holdImports: setting(false, isBoolean, 'true or false'),
  /** Every fork waits at the latch `fork` until released. */
  holdForks: setting(false, isBoolean, 'true or false'),
};

export type Settings = { [K in keyof typeof settingRules]: (typeof settingRules)[K]['initial'] };
const settingNames = Object.keys(settingRules) as (keyof Settings)[];

export interface FaultSettings extends Partial<Settings> {
  /** Faults to add (appended to the queue; the first matching one fires). */
  routes?: RouteFault[];
}

const initialSettings = (): Settings => Object.fromEntries(settingNames.map((k) => [k, settingRules[k].initial])) as Settings;

export class Faults {
  private queue: (RouteFault & { remaining: number })[] = [];
  settings: Settings = initialSettings();
  readonly latches = new Latches();

  /** Validates every setting, then applies them all; throws a 400 RestError on bad input and changes nothing. */
  apply(raw: Record<string, unknown>): void {
    const routes = raw.routes === undefined ? [] : raw.routes;
    if (!Array.isArray(routes)) throw invalid('routes must be an array');
    const parsed = routes.map(parseRouteFault);
    const changes: Partial<Record<keyof Settings, unknown>> = {};
    for (const k of settingNames) {
      if (raw[k] === undefined) continue;
      if (!settingRules[k].valid(raw[k])) throw invalid(`${k} must be ${settingRules[k].rule}`);
      changes[k] = raw[k];
    }
    Object.assign(this.settings, changes);
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

  /** Removes every fault, resets the settings and lets go of everything held. */
  clear(): void {
    this.queue = [];
    this.settings = initialSettings();
    this.latches.release();
  }

  snapshot(): object {
    return { routes: this.queue.map(({ remaining, ...f }) => ({ ...f, count: remaining })), ...this.settings };
  }
}

/** Waits as a route fault says (its delay, its latch) before the request goes on. */
export async function waitAsFaulted(faults: Faults, fault: RouteFault | undefined): Promise<void> {
  if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault?.hold) await faults.latches.hold(fault.route);
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
  if (f.hold !== undefined && typeof f.hold !== 'boolean') throw invalid('hold must be true or false');
  if (f.status !== undefined && !isInt(f.status, 400, 599)) throw invalid('status must be an integer 400..599');
  if (f.code !== undefined && !isInt(f.code, 1, 99_999)) throw invalid('code must be a positive integer');
  if (f.message !== undefined && typeof f.message !== 'string') throw invalid('message must be a string');
  if (f.retryAfter !== undefined && !isInt(f.retryAfter, 0, 86_400)) throw invalid('retryAfter must be an integer of seconds');
  return { ...(f as unknown as RouteFault), count, remaining: count };
}

/** The default REST error code for an injected status. */
export function faultCode(fault: RouteFault): number {
  if (fault.code !== undefined) return fault.code;
  if (fault.status === 409) return codes.importInProgress;
  if (fault.status === 404) return codes.notFound;
  if (fault.status === 429 || (fault.status ?? 0) >= 500) return codes.internal;
  return codes.invalidInput;
}
