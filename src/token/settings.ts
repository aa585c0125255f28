// Tunables for minting and caching, from the helper's own arguments (written by configure)
// and the environment (which wins). Pure: no git config subprocess on the hot path.
import { ArtifactsError } from '../errors.js';

export type Scope = 'read' | 'write';

export interface Settings {
  /** TTL asked for per scope, seconds, clamped to the API's 60..31536000. */
  ttl: Record<Scope, number>;
  /** A cached token is handed out only while at least this much life remains (seconds). */
  refreshMargin: number;
  /** Upper bound on everything a `get` may spend on the network and waiting (ms). */
  timeoutMs: number;
}

export const minTtl = 60;
export const maxTtl = 31_536_000;

export const defaultSettings: Settings = {
  ttl: { read: 3600, write: 900 },
  refreshMargin: 300,
  timeoutMs: 20_000,
};

export function clampTtl(ttl: number): number {
  return Math.min(maxTtl, Math.max(minTtl, Math.round(ttl)));
}

interface Knob {
  env: string;
  flag: string;
  apply: (s: Settings, n: number) => void;
}

const knobs: Knob[] = [
  { env: 'ARTIFACTS_READ_TTL', flag: '--read-ttl', apply: (s, n) => (s.ttl.read = clampTtl(n)) },
  { env: 'ARTIFACTS_WRITE_TTL', flag: '--write-ttl', apply: (s, n) => (s.ttl.write = clampTtl(n)) },
  { env: 'ARTIFACTS_REFRESH_MARGIN', flag: '--refresh-margin', apply: (s, n) => (s.refreshMargin = n) },
  { env: 'ARTIFACTS_TIMEOUT', flag: '--timeout', apply: (s, n) => (s.timeoutMs = n * 1000) },
];

export const settingFlags = knobs.map((k) => k.flag);

function seconds(name: string, raw: string): number {
  if (!/^\d+(\.\d+)?$/.test(raw.trim())) {
    throw new ArtifactsError('config.invalid', `${name} must be a number of seconds, got "${raw}"`);
  }
  return Number(raw);
}

/** flags: values given on the helper command line, by flag name. */
export function resolveSettings(flags: ReadonlyMap<string, string>, env: NodeJS.ProcessEnv): Settings {
  const s: Settings = { ...defaultSettings, ttl: { ...defaultSettings.ttl } };
  for (const knob of knobs) {
    const fromFlag = flags.get(knob.flag);
    if (fromFlag !== undefined) knob.apply(s, seconds(knob.flag, fromFlag));
    const fromEnv = env[knob.env];
    if (fromEnv !== undefined && fromEnv !== '') knob.apply(s, seconds(knob.env, fromEnv));
  }
  return s;
}
