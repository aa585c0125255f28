// Checks of facts that are not git config: the git version, our helper command's paths, the
// remote helper on git's PATH, the token cache directory, the API-token source. Pure: the
// caller (src/cli/commands/doctor.ts) gathers the facts.
import { cloudflareCredentialUrl, cloudflareApiUrl } from '../endpoint/endpoint.js';
import { cloudflareTokenEnv, gatewayJwtEnv, otherApiTokenEnv, type CredentialRule } from '../auth/credential-origin.js';
import { helperMarker } from '../names.js';
import { fail, ok, warn, type Check } from './check.js';

/** `git version 2.39.5` (and vendor suffixes) -> [2, 39, 5]. */
export function parseGitVersion(text: string): [number, number, number] | undefined {
  const m = /^git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

const atLeast = (v: readonly number[], want: readonly number[]): boolean => {
  for (let i = 0; i < want.length; i++) if ((v[i] ?? 0) !== want[i]) return (v[i] ?? 0) > want[i]!;
  return true;
};

export function checkGitVersion(text: string | undefined): Check {
  const v = text === undefined ? undefined : parseGitVersion(text);
  if (!v) return fail('git-version', text === undefined ? 'git did not run' : `cannot read the git version from ${JSON.stringify(text.trim())}`, 'install git (https://git-scm.com/downloads) and put it on PATH');
  const version = v.join('.');
  // `credential.<url>` with `*` in a host label: git 2.26 (our Cloudflare block uses it).
  if (!atLeast(v, [2, 26])) return fail('git-version', `git ${version} does not match credential.${cloudflareCredentialUrl}`, 'install git 2.26 or newer');
  // http.proactiveAuth and credential capabilities: git 2.46. proactiveAuth came with
  // "http: allow authenticating proactively" (brian m. carlson, June 2024:
  // https://lore.kernel.org/git/20240628002742.3421311-2-sandals@crustytoothpaste.net/), listed
  // in https://github.com/git/git/blob/master/Documentation/RelNotes/2.46.0.txt.
  if (!atLeast(v, [2, 46])) {
    const found = `git ${version}: works; without http.proactiveAuth (git >= 2.46) every new connection pays one 401 round trip first`;
    return warn('git-version', found, 'install git 2.46 or newer to save that round trip');
  }
  return ok('git-version', `git ${version} (proactiveAuth and credential capabilities supported)`);
}

/** The executables our helper command runs: the words after `exec ` that are absolute paths. */
export function helperPaths(value: string): string[] {
  const at = value.indexOf(helperMarker);
  if (at === -1) return [];
  const words: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  const rest = value.slice(at + helperMarker.length);
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    const word = m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!;
    if (!word.startsWith('/')) break; // the first flag (--git-url …) or "$@"
    words.push(word);
  }
  return words;
}

export function checkHelperPaths(value: string, exists: (p: string) => boolean, configureCommand: string): Check {
  const paths = helperPaths(value);
  const missing = paths.filter((p) => !exists(p));
  if (paths.length === 0) return fail('helper-paths', `cannot read the executable from our helper command ${JSON.stringify(value)}`, configureCommand);
  if (missing.length > 0) {
    return fail('helper-paths', `our helper command runs ${missing.join(' and ')}, which no longer exists (moved, upgraded or uninstalled)`, configureCommand);
  }
  return ok('helper-paths', `our helper command runs ${paths.join(' ')}`);
}

export function checkRemoteHelper(found: string | undefined, pushRouted: boolean): Check {
  if (found) return ok('remote-helper', `git finds git-remote-artifacts at ${found}`);
  const found_ = 'git-remote-artifacts is not on the PATH git uses (its exec-path, then PATH)';
  const fix = 'add the directory holding git-remote-artifacts to PATH (npm\'s global bin for an npm install, ~/.local/bin for install/install.sh)';
  return pushRouted ? fail('remote-helper', `${found_}: pushes fail with "remote-artifacts is not a git command"`, fix) : warn('remote-helper', `${found_}: artifacts:// remotes will not work`, fix);
}

export interface DirFacts {
  path: string;
  /** undefined: it does not exist yet (the helper makes it 0700 on first use). */
  stat?: { isSymbolicLink: boolean; isDirectory: boolean; uid: number; mode: number };
  uid: number | undefined;
}

export function checkCacheDir(d: DirFacts): Check {
  const id = 'cache-dir';
  const s = d.stat;
  if (!s) return ok(id, `${d.path} does not exist yet; the first mint creates it 0700`);
  const fix = `rm -rf ${JSON.stringify(d.path)} (only cached tokens live there; the next git command mints new ones)`;
  if (s.isSymbolicLink) return fail(id, `${d.path} is a symbolic link: the helper refuses it and every mint fails`, fix);
  if (!s.isDirectory) return fail(id, `${d.path} is not a directory`, fix);
  if (d.uid !== undefined && s.uid !== d.uid) return fail(id, `${d.path} belongs to uid ${s.uid}, not to you (${d.uid})`, fix);
  if ((s.mode & 0o077) !== 0) {
    return fail(id, `${d.path} has mode ${(s.mode & 0o777).toString(8)}: others may read or plant tokens`, `chmod 700 ${JSON.stringify(d.path)}`);
  }
  return ok(id, `${d.path} is yours, mode 700`);
}

/** The source a mint would use, and the rule that allowed it (auth/credential-origin.ts). */
export function checkTokenSource(r: { source: string; rule: CredentialRule; because: string }, apiUrl: string): Check {
  if (r.source === 'none' || r.source.startsWith('wrangler (installed, not')) {
    const login = `git-credential-artifacts login${apiUrl === cloudflareApiUrl ? '' : ` --api-url ${apiUrl}`}`;
    const env = r.rule === 'other' ? otherApiTokenEnv : r.rule === 'gateway' ? gatewayJwtEnv : cloudflareTokenEnv;
    const tried = r.source === 'none' ? '' : ` (${r.source})`;
    return fail('token-source', `no API token for ${apiUrl}: a mint has nothing to ask with${tried}; ${r.because}`, `${login} (or set ${env})`);
  }
  return ok('token-source', `a mint for ${apiUrl} would use ${r.source} (${r.because})`);
}

/** Our clock against the API's Date header; tokens carry expiry times. */
export function checkClockSkew(serverDate: string | undefined, sentMs: number, receivedMs: number): Check {
  const server = serverDate === undefined ? NaN : Date.parse(serverDate);
  if (Number.isNaN(server)) return warn('clock-skew', 'the API sent no usable Date header; clock skew not checked');
  const local = (sentMs + receivedMs) / 2;
  const skew = Math.round((local - server) / 1000);
  // The Date header has one-second resolution; a minute is where cached expiry goes wrong.
  if (Math.abs(skew) > 60) {
    const found = `this machine's clock is ${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} the API's`;
    return fail('clock-skew', found, 'enable time synchronisation (e.g. `timedatectl set-ntp true`)');
  }
  return ok('clock-skew', `clock within ${Math.max(1, Math.abs(skew))} s of the API's`);
}

/** Whether git starts the same installation as the one running doctor (an upgrade elsewhere, a second install). */
export function checkHelperCurrent(paths: readonly string[], self: readonly string[], configureCommand: string): Check {
  if (paths.length === 0) return ok('helper-current', 'no helper command to compare');
  if (paths.join(' ') === self.join(' ')) return ok('helper-current', 'git starts this installation');
  const found = `git starts ${paths.join(' ')}, but this doctor is ${self.join(' ')}: another installation answers git`;
  return warn('helper-current', found, `run ${configureCommand} from the installation you mean to use`);
}
