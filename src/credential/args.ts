// The helper's command line, parsed by hand: commander costs start-up time that git pays on
// every fetch (docs/project-layout.md, "Start-up cost"). configure writes these flags into the
// helper command, which is how the helper learns its endpoint without running `git config` on
// the hot path.
import { isAbsolute } from 'node:path';
import { ArtifactsError } from '../errors.js';
import { endpointFromFlags, type Endpoint } from '../endpoint/endpoint.js';
import { settingFlags } from '../token/settings.js';

export interface HelperArgs {
  action: string | undefined;
  endpoint: Endpoint;
  /** Settings flags (--read-ttl …) by name, resolved later with the environment. */
  settings: Map<string, string>;
  /** --heal-dir: configure's private directory for served marks (src/token/served.ts); absent on older lines. */
  healDir?: string;
}

const endpointFlags = ['--git-url', '--api-url', '--account'];
const healFlag = '--heal-dir';
const valueFlags = new Set([...endpointFlags, ...settingFlags, healFlag]);

/** The actions git appends to a helper command (gitcredentials(7)). */
export const credentialActions: ReadonlySet<string> = new Set(['get', 'store', 'erase']);

/**
 * Whether git (or a program speaking git's protocol) is calling: the last argument is a
 * credential action and every other argument is a `--flag`, its value, or `--flag=value`.
 * Anything else (configure, --help, no arguments) is a person at the human CLI. Pure: the one
 * place that decides, so no parser has to guess from another's failure.
 */
export function isHelperCall(argv: readonly string[]): boolean {
  const action = argv[argv.length - 1];
  if (action === undefined || !credentialActions.has(action)) return false;
  for (let i = 0; i < argv.length - 1; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') return false;
    if (!arg.includes('=')) i++; // its value; a missing one is parseHelperArgs' to report
  }
  return true;
}

/**
 * The flags of a helper command line by name (`--flag value` or `--flag=value`, the last of a
 * repeated one wins) and its other words. Throws on an unknown flag or a missing value.
 */
export function helperFlagValues(argv: readonly string[]): { values: Map<string, string>; positionals: string[] } {
  const values = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!valueFlags.has(name)) throw usage(`unknown option ${name}`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw usage(`${name} needs a value`);
    values.set(name, value);
  }
  return { values, positionals };
}

/** The flags of a whole helper argv (the program, then its flags): from the first `--` word on. */
export function flagsOf(argv: readonly string[]): readonly string[] {
  const at = argv.findIndex((a) => a.startsWith('--'));
  return at === -1 ? [] : argv.slice(at);
}

export function parseHelperArgs(argv: readonly string[]): HelperArgs {
  const { values, positionals } = helperFlagValues(argv);
  if (positionals.length > 1) throw usage(`expected one action, got: ${positionals.join(' ')}`);
  // The rule configure used to write these flags (endpoint.ts), so both read them alike.
  const { endpoint } = endpointFromFlags({ gitUrl: values.get('--git-url'), apiUrl: values.get('--api-url'), account: values.get('--account') });
  const settings = new Map([...values].filter(([k]) => !endpointFlags.includes(k) && k !== healFlag));
  const healDir = values.get(healFlag);
  // Absolute, one line: configure writes it from the cache directory; anything else is not ours.
  if (healDir !== undefined && (!isAbsolute(healDir) || /[\0-\x1f\x7f]/.test(healDir))) throw usage(`${healFlag} must be an absolute path`);
  return { action: positionals[0], endpoint, settings, ...(healDir === undefined ? {} : { healDir }) };
}

function usage(message: string): ArtifactsError {
  return new ArtifactsError('usage', message, { hint: 'see `git-credential-artifacts --help`' });
}
