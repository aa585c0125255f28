// Pure decoders for what the content routes read from a bare repo (docs/emulator-api.md,
// "Content routes"): `git cat-file --batch` output, raw commit and tree objects, and the content
// type of a raw file. Every input here is hostile (anyone with a write token pushes objects, and
// the emulator does not set receive.fsckObjects), so each decoder bounds its work and reports a
// malformed object instead of throwing anything else.
// Object formats: https://git-scm.com/book/en/v2/Git-Internals-Git-Objects and
// https://git-scm.com/docs/git-cat-file#_batch_output

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';

/** One answer of `git cat-file --batch`: found (content absent when the output was cut short) or missing. */
export type BatchObject =
  | { hash: string; missing: false; type: ObjectType; size: number; content?: Buffer }
  | { hash: string; missing: true };

export class MalformedObject extends Error {}

/**
 * Splits `git cat-file --batch` output into objects. `truncated` says the bytes stop early
 * (the reader's output bound); the last object then has a header and no content.
 */
export function parseBatch(out: Buffer, truncated = false): BatchObject[] {
  const objects: BatchObject[] = [];
  let at = 0;
  while (at < out.length) {
    const nl = out.indexOf(0x0a, at);
    if (nl < 0) {
      if (truncated) break;
      throw new MalformedObject('cat-file output ends inside a header');
    }
    const header = out.subarray(at, nl).toString('latin1');
    at = nl + 1;
    const missing = /^([0-9a-f]{40}) missing$/.exec(header);
    if (missing?.[1]) {
      objects.push({ hash: missing[1], missing: true });
      continue;
    }
    const m = /^([0-9a-f]{40}) (commit|tree|blob|tag) (\d{1,15})$/.exec(header);
    if (!m?.[1] || !m[2] || !m[3]) throw new MalformedObject(`unexpected cat-file header ${JSON.stringify(header.slice(0, 100))}`);
    const size = Number(m[3]);
    const type = m[2] as ObjectType;
    if (at + size + 1 > out.length) {
      if (!truncated) throw new MalformedObject('cat-file output ends inside an object');
      objects.push({ hash: m[1], missing: false, type, size });
      break;
    }
    objects.push({ hash: m[1], missing: false, type, size, content: out.subarray(at, at + size) });
    at += size + 1; // the object, then a newline
  }
  return objects;
}

export interface Person {
  name: string;
  email: string;
}

/** The schema's commit shape; times are Unix seconds. */
export interface Commit {
  hash: string;
  treeHash: string;
  message: string;
  author: Person;
  committer: Person;
  parents: string[];
  authoredAt: number;
  committedAt: number;
}

const hex40 = /^[0-9a-f]{40}$/;

/** `Name <email> <seconds> <±hhmm>`; the name may be empty, the email may hold anything but `>`. */
function parseIdent(line: string): { person: Person; at: number } {
  const m = /^(.*?) ?<([^>]*)> (-?\d{1,15}) [+-]\d{4}$/.exec(line);
  if (!m) throw new MalformedObject('bad author or committer line');
  return { person: { name: m[1] ?? '', email: m[2] ?? '' }, at: Number(m[3]) };
}

/**
 * A raw commit object: headers (`tree`, `parent`*, `author`, `committer`, and others such as
 * `gpgsig` whose continuation lines start with a space), a blank line, the message (kept as
 * stored, trailing newline included, decoded as UTF-8).
 */
export function parseCommit(hash: string, raw: Buffer): Commit {
  const split = raw.indexOf('\n\n');
  const head = (split < 0 ? raw : raw.subarray(0, split)).toString('utf8');
  const message = split < 0 ? '' : raw.subarray(split + 2).toString('utf8');
  let tree: string | undefined;
  const parents: string[] = [];
  let author: { person: Person; at: number } | undefined;
  let committer: { person: Person; at: number } | undefined;
  for (const line of head.split('\n')) {
    if (line.startsWith(' ')) continue; // continuation of a multi-line header (gpgsig, mergetag)
    const space = line.indexOf(' ');
    const key = space < 0 ? line : line.slice(0, space);
    const value = space < 0 ? '' : line.slice(space + 1);
    if (key === 'tree' && tree === undefined) tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author' && !author) author = parseIdent(value);
    else if (key === 'committer' && !committer) committer = parseIdent(value);
  }
  if (!tree || !hex40.test(tree) || !parents.every((p) => hex40.test(p)) || !author || !committer) {
    throw new MalformedObject(`commit ${hash} is malformed`);
  }
  return {
    hash,
    treeHash: tree,
    message,
    author: author.person,
    committer: committer.person,
    parents,
    authoredAt: author.at,
    committedAt: committer.at,
  };
}

export type EntryType = 'tree' | 'blob' | 'symlink' | 'gitlink' | 'exec';

export interface TreeEntry {
  name: string;
  /** Six octal digits, as `git ls-tree` prints them (`040000`, `100644`, `100755`, `120000`, `160000`). */
  mode: string;
  hash: string;
  type: EntryType;
}

/** A tree entry plus its name's bytes (names are bytes in git; lookups compare those). */
export interface RawTreeEntry extends TreeEntry {
  nameBytes: Buffer;
}

function entryType(mode: string): EntryType {
  if (mode === '040000') return 'tree';
  if (mode === '120000') return 'symlink';
  if (mode === '160000') return 'gitlink';
  if (mode === '100755') return 'exec';
  return 'blob';
}

/** A raw tree object: entries of `<octal mode> <name>\0<20-byte id>`. */
export function parseTree(raw: Buffer): RawTreeEntry[] {
  const entries: RawTreeEntry[] = [];
  let at = 0;
  while (at < raw.length) {
    const space = raw.indexOf(0x20, at);
    const nul = space < 0 ? -1 : raw.indexOf(0x00, space + 1);
    if (space < 0 || nul < 0 || nul + 21 > raw.length) throw new MalformedObject('tree entry is cut short');
    const rawMode = raw.subarray(at, space).toString('latin1');
    if (!/^[0-7]{5,6}$/.test(rawMode)) throw new MalformedObject('tree entry has a bad mode');
    const mode = rawMode.padStart(6, '0');
    const nameBytes = raw.subarray(space + 1, nul);
    if (nameBytes.length === 0) throw new MalformedObject('tree entry has an empty name');
    const hash = raw.subarray(nul + 1, nul + 21).toString('hex');
    entries.push({ name: nameBytes.toString('utf8'), nameBytes, mode, hash, type: entryType(mode) });
    at = nul + 21;
  }
  return entries;
}

/**
 * The raw route's "sniffed" content type: bytes with a NUL in their first 8000 are binary (git's
 * own test, `buffer_is_binary` in https://github.com/git/git/blob/master/xdiff-interface.c);
 * otherwise by extension JSON or HTML, else plain text. The schema lists exactly these four.
 */
export function contentTypeOf(filePath: string, bytes: Buffer): string {
  if (bytes.subarray(0, 8000).includes(0)) return 'application/octet-stream';
  const base = filePath.slice(filePath.lastIndexOf('/') + 1).toLowerCase();
  if (base.endsWith('.json')) return 'application/json; charset=utf-8';
  if (base.endsWith('.html') || base.endsWith('.htm')) return 'text/html; charset=utf-8';
  return 'text/plain; charset=utf-8';
}
