// The credential helpers git really runs for a URL, and what is wrong with that list for us.
// git collects every `credential.helper` and matching `credential.<url>.helper` in config order
// across all files (credential.c sets urlmatch's select_fn to select_all, so a more specific
// URL does not win: https://github.com/git/git/blob/master/credential.c), and an empty value
// resets the list so far (https://git-scm.com/docs/gitcredentials#_custom_helpers). This is why
// `git config --get-urlmatch credential.helper <url>` cannot answer it: it returns one entry.
import { helperMarker } from '../names.js';
import { fail, ok, warn, type Check } from './check.js';
import { configBool, originFile, type ConfigEntry } from './config-list.js';
import { urlMatches } from './urlmatch.js';

export interface ChainLink {
  value: string;
  entry: ConfigEntry;
}

function applies(e: ConfigEntry, url: string): boolean {
  return e.subsection === undefined || urlMatches(e.subsection, url);
}

/** The helpers git would run for url, in order, after the last reset. */
export function helperChain(entries: readonly ConfigEntry[], url: string): ChainLink[] {
  let chain: ChainLink[] = [];
  for (const e of entries) {
    if (e.section !== 'credential' || e.name !== 'helper' || !applies(e, url)) continue;
    const value = e.value ?? '';
    if (value === '') chain = [];
    else chain.push({ value, entry: e });
  }
  return chain;
}

export const isOurHelper = (value: string): boolean => value.includes(helperMarker);

/** The last matching value of a single-valued credential.<url>.<name> (git: last one read wins). */
export function lastMatching(entries: readonly ConfigEntry[], section: string, name: string, url: string): ConfigEntry | undefined {
  let found: ConfigEntry | undefined;
  for (const e of entries) if (e.section === section && e.name === name && applies(e, url)) found = e;
  return found;
}

function where(e: ConfigEntry): string {
  return `${e.scope} config ${originFile(e) ?? e.origin}`;
}

function unsetCommand(e: ConfigEntry): string {
  const key = e.subsection === undefined ? `${e.section}.${e.name}` : `${e.section}.${e.subsection}.${e.name}`;
  const file = originFile(e);
  return file ? `git config --file ${JSON.stringify(file)} --unset-all ${key} ${JSON.stringify(`^${e.value?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') ?? ''}$`)}` : `remove ${key} from where it is set (${e.origin})`;
}

/** Our helper in the chain, alone: any other helper answers for our hosts or is handed our tokens on `store`. */
export function checkHelperChain(entries: readonly ConfigEntry[], url: string, configureCommand: string): Check[] {
  const chain = helperChain(entries, url);
  const id = 'helper-chain';
  const oursAt = chain.findIndex((l) => isOurHelper(l.value));
  const checks: Check[] = [];
  if (oursAt === -1) {
    const found =
      chain.length === 0 ? `no credential helper runs for ${url}` : `git runs ${chain.map((l) => JSON.stringify(l.value)).join(', ')} for ${url}, not ours`;
    checks.push(fail(id, found, configureCommand));
  } else {
    const others = chain.filter((_l, i) => i !== oursAt);
    if (others.length === 0) checks.push(ok(id, `git runs only our helper for ${url} (from ${where(chain[oursAt]!.entry)})`));
    for (const [i, l] of chain.entries()) {
      if (i === oursAt) continue;
      const role =
        i > oursAt
          ? 'after ours: git hands it every token we answer (`store`)'
          : 'before ours: it may answer with a stale password, and git hands it our tokens (`store`)';
      checks.push(fail(id, `helper ${JSON.stringify(l.value)} from ${where(l.entry)} runs ${role}`, unsetCommand(l.entry)));
    }
  }
  const useHttpPath = lastMatching(entries, 'credential', 'usehttppath', url);
  if (configBool(useHttpPath?.value) === true && useHttpPath) checks.push(ok('use-http-path', `credential.useHttpPath is true for ${url}`));
  else {
    checks.push(
      fail(
        'use-http-path',
        useHttpPath
          ? `credential.useHttpPath is ${JSON.stringify(useHttpPath.value)} for ${url} (from ${where(useHttpPath)}): the helper cannot tell repositories apart`
          : `credential.useHttpPath is not set for ${url}: the helper cannot tell repositories apart`,
        configureCommand,
      ),
    );
  }
  return checks;
}

/** An Authorization header git sends itself: it wins over any helper and goes stale. */
export function checkExtraHeader(entries: readonly ConfigEntry[], url: string): Check {
  let headers: ConfigEntry[] = [];
  for (const e of entries) {
    if (e.section !== 'http' || e.name !== 'extraheader' || !applies(e, url)) continue;
    if ((e.value ?? '') === '') headers = []; // git resets the list on an empty value too
    else headers.push(e);
  }
  const auth = headers.find((e) => /^\s*authorization\s*:/i.test(e.value ?? ''));
  if (!auth) return ok('extra-header', `no http.extraHeader with Authorization for ${url}`);
  const found = `http.extraHeader sets an Authorization header for ${url} (from ${where(auth)}): git sends it instead of asking the helper, and it goes stale`;
  return fail('extra-header', found, unsetCommand(auth));
}

/** pushInsteadOf to artifacts:: and the protocol allowance it needs, for url. */
export function checkPushRouting(entries: readonly ConfigEntry[], url: string, fixWithAccount: string): Check[] {
  const rules = entries.filter(
    (e) => e.section === 'url' && e.name === 'pushinsteadof' && e.subsection?.startsWith('artifacts::') && e.value && url.startsWith(e.value),
  );
  if (rules.length === 0) {
    return [warn('push-routing', `no url.artifacts::….pushInsteadOf covers ${url}: pushes to it ask for a read token and fail with 403`, fixWithAccount)];
  }
  const allow = entries.filter((e) => e.section === 'protocol' && e.subsection === 'artifacts' && e.name === 'allow').pop();
  const checks = [ok('push-routing', `pushes to ${url} go through git-remote-artifacts (url.${rules[0]!.subsection}.pushInsteadOf)`)];
  if (allow?.value === 'always') checks.push(ok('protocol-allow', 'protocol.artifacts.allow is always'));
  else {
    const found = allow
      ? `protocol.artifacts.allow is ${JSON.stringify(allow.value)} (from ${where(allow)}): git refuses the artifacts:: transport for pushes`
      : 'protocol.artifacts.allow is not set: git refuses the artifacts:: transport for pushes';
    checks.push(fail('protocol-allow', found, 'git config --global protocol.artifacts.allow always'));
  }
  return checks;
}
