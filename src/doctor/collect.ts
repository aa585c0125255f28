// The order of doctor's checks: git itself, our config blocks, for each URL looked at the
// helper chain and the API (probe.ts), then this machine's cache directory and keychain. A
// failure that makes later checks meaningless ends the list there.
import { existsSync } from 'node:fs';
import { isArtifactsError } from '../errors.js';
import { selfCommand } from '../self.js';
import { fail, ok, warn, type Check } from './check.js';
import { parseConfigList, type ConfigEntry } from './config-list.js';
import { checkGitVersion, checkHelperCurrent, checkHelperPaths, checkRemoteHelper, helperPaths } from './facts.js';
import { cacheDirCheck, findRemoteHelper, gitConfigList, gitVersion, keychainCheck, targetUrl, type DoctorDeps } from './gather.js';
import { checkExtraHeader, checkHelperChain, checkPushRouting } from './helper-chain.js';
import { configureAgain, configureCommand, configuredOrigins, originFor, sampleUrl, type Configured } from './origins.js';
import { apiChecks } from './probe.js';
import { parseUrl } from './urlmatch.js';

interface Looked {
  url: string;
  c: Configured;
}

/** git's config entries, or the failure that says git cannot read them. */
async function configEntries(deps: DoctorDeps): Promise<ConfigEntry[] | Check> {
  const listed = await gitConfigList(deps);
  if (listed && (listed.code === 0 || listed.code === 1)) return listed.code === 0 ? parseConfigList(listed.stdout) : [];
  // git's own words name the file (`bad config line 1 in file …`, `unable to access '…'`).
  const why = listed?.stderr.trim().split('\n').filter(Boolean).slice(-2).join('; ');
  return fail(
    'git-config',
    `git cannot read its configuration${why ? `: ${why}` : ''}`,
    'fix or remove the file git names (`git config --list --show-origin` shows them all); every git command fails until then',
  );
}

/** The URL doctor was given, with the origin that answers for it; or the failure that ends the list. */
async function givenUrl(deps: DoctorDeps, target: string, origins: Configured[], entries: ConfigEntry[]): Promise<Looked | Check> {
  let url: string | undefined;
  try {
    url = await targetUrl(deps, target);
  } catch (e) {
    if (!isArtifactsError(e)) throw e;
    return fail('target', `cannot find the repository ${JSON.stringify(target)} names: ${e.message}`, e.hint);
  }
  if (!url) {
    const found = `${JSON.stringify(target)} is neither a URL nor a remote of the repository in ${deps.io.cwd}`;
    return fail('target', found, 'pass an https URL of the repository, or run doctor inside the clone with its remote name');
  }
  const c = originFor(origins, entries, url);
  return c ? { url, c } : fail('configured', `no block of ours covers ${url}`, configureCommand);
}

/** The checks of one URL git would ask about and the origin that answers for it. */
async function urlChecks(deps: DoctorDeps, entries: ConfigEntry[], { url, c }: Looked, probe: boolean): Promise<Check[]> {
  const fixAgain = configureAgain(c);
  const routing = checkPushRouting(entries, url, c.pattern.includes('*') ? `${configureCommand} --account <ACCOUNT_ID>` : fixAgain);
  const checks = [
    checkHelperPaths(c.helper, existsSync, fixAgain),
    checkHelperCurrent(helperPaths(c.helper), selfCommand(), fixAgain),
    ...checkHelperChain(entries, url, fixAgain),
    checkExtraHeader(entries, url),
    ...routing,
  ];
  checks.push(checkRemoteHelper(await findRemoteHelper(deps), routing[0]!.status === 'ok'));
  if (parseUrl(url)?.scheme === 'http') {
    checks.push(warn('transport', `${url} is plain http: fine for the emulator on this machine, never for a real endpoint`));
  }
  checks.push(...(await apiChecks(deps, c, probe ? url : undefined)));
  return checks;
}

/** Every check, in order; target is the remote name or URL doctor was given, if any. */
export async function collectChecks(deps: DoctorDeps, target: string | undefined): Promise<Check[]> {
  const checks = [checkGitVersion(await gitVersion(deps))];
  const entries = await configEntries(deps);
  if (!Array.isArray(entries)) return [...checks, entries];
  const origins = configuredOrigins(entries);
  if (origins.length === 0) {
    const fix = `${configureCommand} [--account <ACCOUNT_ID>] (or --git-url/--api-url/--account for a custom endpoint)`;
    return [...checks, fail('configured', 'no gitconfig block of ours: git does not use this helper for any host', fix)];
  }
  let looked: Looked[] = origins.map((c) => ({ url: sampleUrl(c), c }));
  if (target !== undefined) {
    const given = await givenUrl(deps, target, origins, entries);
    if ('id' in given) return [...checks, given];
    looked = [given];
  }
  checks.push(ok('configured', `configured for ${origins.map((o) => o.pattern).join(', ')}`));
  for (const l of looked) checks.push(...(await urlChecks(deps, entries, l, target !== undefined)));
  checks.push(cacheDirCheck(deps), keychainCheck(deps));
  return checks;
}
