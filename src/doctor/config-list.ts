// git's effective configuration as entries in the order git reads them, from
// `git config --show-origin --show-scope -z --list` (https://git-scm.com/docs/git-config#_options):
// each entry is `scope NUL origin NUL key LF value NUL`, or `… key NUL` for a key without `=`.
// Keys come with section and variable lowercased and the subsection (a URL, for us) as written.
// Pure: the text may come from any config file on the machine, so nothing in it is trusted.

export interface ConfigEntry {
  scope: string;
  /** Where git read it: `file:<path>`, `command line:`, … */
  origin: string;
  section: string;
  /** The middle of `section.<subsection>.name`, or undefined for `section.name`. */
  subsection: string | undefined;
  name: string;
  /** undefined: the key was written without `=` (a boolean true). */
  value: string | undefined;
}

export function parseConfigList(text: string): ConfigEntry[] {
  const parts = text.split('\0');
  const entries: ConfigEntry[] = [];
  for (let i = 0; i + 2 < parts.length; i += 3) {
    const [scope, origin, kv] = [parts[i]!, parts[i + 1]!, parts[i + 2]!];
    const nl = kv.indexOf('\n');
    const key = nl === -1 ? kv : kv.slice(0, nl);
    const value = nl === -1 ? undefined : kv.slice(nl + 1);
    const first = key.indexOf('.');
    const last = key.lastIndexOf('.');
    if (first <= 0 || last === key.length - 1) continue;
    entries.push({
      scope,
      origin,
      section: key.slice(0, first),
      subsection: first === last ? undefined : key.slice(first + 1, last),
      name: key.slice(last + 1),
      value,
    });
  }
  return entries;
}

/** Where an entry came from, for a fix command: the file path, when it is a file. */
export function originFile(entry: ConfigEntry): string | undefined {
  return entry.origin.startsWith('file:') ? entry.origin.slice('file:'.length) : undefined;
}

/** git's boolean values (https://git-scm.com/docs/git-config#_values). */
export function configBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return true;
  const v = value.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0', ''].includes(v)) return false;
  return undefined;
}
