// The origins configure set up, read from git's config list: our helper entries in trusted
// scopes, the flags their command carries, the URL doctor looks at for each and the configure
// command that sets each up again. Pure.
import { apiShape } from '../endpoint/api-shape.js';
import { flagsOf, helperFlagValues } from '../credential/args.js';
import { cloudflareApiUrl } from '../endpoint/endpoint.js';
import { parseHelperCommand } from '../gitconfig/helper-command.js';
import { credentialTool } from '../names.js';
import type { ConfigEntry } from './config-list.js';
import { helperChain, isOurHelper } from './helper-chain.js';
import { urlMatches } from './urlmatch.js';

/** An origin configure set up: the credential URL of one of our helper entries, and what its helper command says. */
export interface Configured {
  pattern: string;
  helper: string;
  apiUrl: string;
  account: string | undefined;
}

export const configureCommand = `${credentialTool} configure`;

/** `--api-url X` and `--account Y` in our helper command, read back as the words sh will pass and parsed as the helper parses them. */
function helperFlags(value: string): { apiUrl?: string; account?: string } {
  try {
    const { values } = helperFlagValues(flagsOf(parseHelperCommand(value) ?? []));
    return { apiUrl: values.get('--api-url'), account: values.get('--account') };
  } catch {
    return {};
  }
}

/**
 * The user's own config: a cloned repository's .git/config (scope local or worktree) or a `-c`
 * (command) is hostile and must not name an origin or API URL doctor sends a credential to
 * (docs/credential-flow.md, "Origin policy").
 */
const trustedScope = (e: ConfigEntry): boolean => e.scope === 'global' || e.scope === 'system';

export function configuredOrigins(entries: readonly ConfigEntry[]): Configured[] {
  const seen = new Map<string, Configured>();
  for (const e of entries) {
    if (!trustedScope(e) || e.section !== 'credential' || e.name !== 'helper' || e.subsection === undefined || !isOurHelper(e.value ?? '')) continue;
    const flags = helperFlags(e.value!);
    const account = flags.account ?? entries.filter((x) => trustedScope(x) && x.section === 'artifacts' && x.name === 'account').pop()?.value;
    seen.set(e.subsection, { pattern: e.subsection, helper: e.value!, apiUrl: flags.apiUrl ?? cloudflareApiUrl, account });
  }
  return [...seen.values()];
}

/** A URL git would ask about for pattern: `*` filled with the account (or a placeholder one). */
export function sampleUrl(c: Configured): string {
  const host = c.pattern.replace('*', c.account ?? '0'.repeat(32)).replace(/\/+$/, '');
  // The repo path form of the API's shape (docs/git-and-artifacts-behaviour.md): git/<ns>/<repo> or <ns>/<repo>.
  return `${host}/${apiShape(c.apiUrl) === 'namespace' ? '' : 'git/'}default/example.git`;
}

/**
 * The origin that answers for url: only one whose own pattern matches it (git's urlmatch: exact
 * host, one-label `*`), so a repo-local copy of our helper line for another host cannot lend it
 * our API token; of those, the one git's helper chain for url runs.
 */
export function originFor(origins: readonly Configured[], entries: readonly ConfigEntry[], url: string): Configured | undefined {
  const covering = origins.filter((o) => urlMatches(o.pattern, url));
  return covering.find((o) => helperChain(entries, url).some((l) => l.value === o.helper)) ?? covering[0];
}

/** The configure command that writes c's block again. */
export function configureAgain(c: Configured): string {
  const account = c.account ? ` --account ${c.account}` : '';
  return c.pattern.includes('*') ? `${configureCommand}${account}` : `${configureCommand} --git-url ${c.pattern.replace(/\/$/, '')} --api-url ${c.apiUrl}${account}`;
}
