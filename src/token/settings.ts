// Tunables for minting and caching, from the helper's own arguments (written by configure)
// and the environment (which wins). Pure: no git config subprocess on the hot path.
import { ArtifactsError } from '../errors.js';
import type { Scope } from '../scope.js';
import { refreshJitter } from './policy.js';

export type { Scope };

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

/**
 * The tuning knobs, once: flag, environment variable, default, the bounds configure accepts
 * and the help text. Argument parsing (credential/args.ts), configure's options and
 * validation (cli/) and the help are all derived from this list.
 */
export interface Knob {
  env: string;
  flag: `--${string}`;
  /** The option's name as commander hands it over (camelCase of the flag). */
  option: string;
  default: number;
  min: number;
  max: number;
  help: string;
  apply: (s: Settings, n: number) => void;
}

export const knobs: readonly Knob[] = [
  {
    env: 'ARTIFACTS_READ_TTL', flag: '--read-ttl', option: 'readTtl', default: defaultSettings.ttl.read, min: minTtl, max: maxTtl,
    help: 'TTL asked for read tokens, seconds', apply: (s, n) => (s.ttl.read = clampTtl(n)),
  },
  {
    env: 'ARTIFACTS_WRITE_TTL', flag: '--write-ttl', option: 'writeTtl', default: defaultSettings.ttl.write, min: minTtl, max: maxTtl,
    help: 'TTL asked for write tokens, seconds', apply: (s, n) => (s.ttl.write = clampTtl(n)),
  },
  {
    env: 'ARTIFACTS_REFRESH_MARGIN', flag: '--refresh-margin', option: 'refreshMargin', default: defaultSettings.refreshMargin, min: 0, max: 86_400,
    help: 'hand out cached tokens only with this much life left, seconds', apply: (s, n) => (s.refreshMargin = n),
  },
  {
    env: 'ARTIFACTS_TIMEOUT', flag: '--timeout', option: 'timeout', default: defaultSettings.timeoutMs / 1000, min: 1, max: 600,
    help: 'upper bound for one credential request, seconds', apply: (s, n) => (s.timeoutMs = n * 1000),
  },
];

export const settingFlags = knobs.map((k) => k.flag);

/**
 * Checks values a user wants baked into the helper command (configure), before anything is
 * written: numbers within each knob's bounds, and a refresh margin below both TTLs (or every
 * token would be re-minted on every git command). Returns the helper flags.
 */
export function checkSettingValues(values: ReadonlyMap<Knob, string>): string[] {
  const n = new Map<Knob, number>();
  for (const [knob, raw] of values) {
    if (!/^\d+(\.\d+)?$/.test(raw)) {
      throw new ArtifactsError('usage', `${knob.flag} must be a number of seconds, got ${JSON.stringify(raw)}`, { hint: `e.g. ${knob.flag} ${knob.default}` });
    }
    const v = Number(raw);
    if (v < knob.min || v > knob.max) {
      throw new ArtifactsError('usage', `${knob.flag} must be between ${knob.min} and ${knob.max} seconds, got ${raw}`, {
        hint: `the default is ${knob.default}`,
      });
    }
    n.set(knob, v);
  }
  const get = (flag: string): number => {
    const knob = knobs.find((k) => k.flag === flag)!;
    return n.get(knob) ?? knob.default;
  };
  const margin = get('--refresh-margin');
  for (const ttlFlag of ['--read-ttl', '--write-ttl']) {
    // The margin a token gets is widened by up to refreshJitter (policy.ts).
    if (margin * (1 + refreshJitter) >= get(ttlFlag)) {
      const margins = `--refresh-margin (${margin} s, plus up to ${refreshJitter * 100} % spread)`;
      throw new ArtifactsError('usage', `${margins} must be shorter than ${ttlFlag} (${get(ttlFlag)} s), or every git command would mint a new token`, {
        hint: `lower --refresh-margin or raise ${ttlFlag}`,
      });
    }
  }
  return [...values].flatMap(([knob, raw]) => [knob.flag, raw]);
}

/**
 * A value from the helper's flags or the environment, held to the same bounds configure holds
 * its flags to: `ARTIFACTS_READ_TTL=10` is refused with the range as `--read-ttl 10` is, not
 * quietly clamped (issue 21). Refusing loses nothing: git says the helper failed, with this.
 */
function seconds(knob: Knob, name: string, raw: string): number {
  const where = name === knob.env ? `unset ${knob.env} or set it` : `run \`git-credential-artifacts configure\` again with ${knob.flag}`;
  if (!/^\d+(\.\d+)?$/.test(raw.trim())) {
    throw new ArtifactsError('config.invalid', `${name} must be a number of seconds, got ${JSON.stringify(raw.slice(0, 40))}`, {
      hint: `${where} from ${knob.min} to ${knob.max} (default ${knob.default})`,
    });
  }
  const n = Number(raw);
  if (n < knob.min || n > knob.max) {
    throw new ArtifactsError('config.invalid', `${name} must be between ${knob.min} and ${knob.max} seconds, got ${raw.trim()}`, {
      hint: `${where} from ${knob.min} to ${knob.max} (default ${knob.default})`,
    });
  }
  return n;
}

/** flags: values given on the helper command line, by flag name. */
export function resolveSettings(flags: ReadonlyMap<string, string>, env: NodeJS.ProcessEnv): Settings {
  const s: Settings = { ...defaultSettings, ttl: { ...defaultSettings.ttl } };
  for (const knob of knobs) {
    const fromFlag = flags.get(knob.flag);
    if (fromFlag !== undefined) knob.apply(s, seconds(knob, knob.flag, fromFlag));
    const fromEnv = env[knob.env];
    if (fromEnv !== undefined && fromEnv !== '') knob.apply(s, seconds(knob, knob.env, fromEnv));
  }
  return s;
}
