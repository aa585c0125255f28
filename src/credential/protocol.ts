// git's credential wire format (https://git-scm.com/docs/git-credential#IOFMT), parsed from
// bytes. We split on LF only and strip one trailing CR: Node's readline also splits on a lone
// CR, which is how CVE-2024-50338 smuggled a host= line past GCM. No multiline regexes either
// (CVE-2025-23040). Anything suspicious rejects the whole request.
import { ArtifactsError } from '../errors.js';
import { hasForbiddenChar } from '../forbidden-char.js';

export interface CredentialMessage {
  /** Scalar keys, after url= expansion. */
  fields: Map<string, string>;
  /** Keys ending in [] (capability[], wwwauth[], state[]), in order; an empty value clears. */
  lists: Map<string, string[]>;
}

/** Keys that may appear once only: a repeat is an injection attempt (CVE-2020-5260). */
const singular = new Set(['protocol', 'host', 'path', 'url']);
/** Fields url= expands into; giving them twice (url and the field) is a repeat as well. */
const fromUrl = ['protocol', 'host', 'path', 'username', 'password'] as const;

const maxLine = 65_535;

function invalid(message: string): ArtifactsError {
  return new ArtifactsError('input.invalid', `rejected credential request: ${message}`, {
    hint: 'the request came from git or a program calling `git credential`; nothing was answered',
  });
}

export function parseCredential(input: Buffer): CredentialMessage {
  // Buffer decoding replaces invalid UTF-8 with U+FFFD, which no valid request contains.
  // (Cheaper on the hot path than the first TextDecoder, which costs ~0.25 ms to set up.)
  const text = input.toString('utf8');
  if (text.includes('\uFFFD')) throw invalid('input is not valid UTF-8');
  const message: CredentialMessage = { fields: new Map(), lists: new Map() };
  const seen = new Set<string>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') break; // a blank line ends the message
    const [key, value] = keyValue(line);
    if (key.endsWith('[]')) addToList(message.lists, key.slice(0, -2), value);
    else addField(message.fields, seen, key, value);
  }
  return message;
}

/** One line split at its first '=', both halves checked. */
function keyValue(line: string): [string, string] {
  if (line.length > maxLine) throw invalid('line longer than 65535 bytes');
  const eq = line.indexOf('=');
  if (eq <= 0) throw invalid('a line is not key=value');
  const key = line.slice(0, eq);
  const value = line.slice(eq + 1);
  if (hasForbiddenChar(key) || hasForbiddenChar(value)) {
    throw invalid(`field "${hasForbiddenChar(key) ? '(key)' : key}" contains a control or line-separator character`);
  }
  return [key, value];
}

function addToList(lists: Map<string, string[]>, name: string, value: string): void {
  const list = lists.get(name);
  if (value === '') lists.set(name, []);
  else if (list) list.push(value); // push, not copy: 80,000 wwwauth[] lines stay linear
  else lists.set(name, [value]);
}

/** A scalar field; `seen` holds the keys given so far, directly or through url=. */
function addField(fields: Map<string, string>, seen: Set<string>, key: string, value: string): void {
  if (singular.has(key)) {
    if (seen.has(key)) throw invalid(`"${key}" given more than once`);
    seen.add(key);
  }
  if (key === 'url') {
    for (const [k, v] of expandUrl(value)) {
      if (seen.has(k)) throw invalid(`"${k}" given both directly and in url=`);
      seen.add(k);
      fields.set(k, v);
    }
    return;
  }
  if (fromUrl.includes(key as (typeof fromUrl)[number])) {
    if (seen.has(key) && !singular.has(key)) throw invalid(`"${key}" given more than once`);
    seen.add(key);
  }
  fields.set(key, value);
}

/** url= expands like git's credential_from_url: percent-decoded, path without leading slash. */
export function expandUrl(url: string): Map<string, string> {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?$/.exec(url);
  if (!m) throw invalid('url= is not a URL git could have sent');
  const out = new Map<string, string>();
  out.set('protocol', m[1]!.toLowerCase());
  if (m[2] !== undefined) {
    const colon = m[2].indexOf(':');
    out.set('username', decode(colon === -1 ? m[2] : m[2].slice(0, colon)));
    if (colon !== -1) out.set('password', decode(m[2].slice(colon + 1)));
  }
  out.set('host', decode(m[3]!));
  if (m[4] !== undefined && m[4].length > 1) out.set('path', decode(m[4].slice(1)));
  for (const v of out.values()) if (hasForbiddenChar(v)) throw invalid('url= decodes to a control character');
  return out;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalid('url= has a malformed percent-escape');
  }
}

/**
 * Formats an answer. Values are checked again: a newline here would let a server-supplied
 * string add protocol lines of its own.
 */
export function formatCredential(lines: ReadonlyArray<readonly [string, string]>): string {
  let out = '';
  for (const [key, value] of lines) {
    if (hasForbiddenChar(key) || hasForbiddenChar(value) || key.includes('=')) {
      throw new ArtifactsError('internal', `refusing to write an unsafe value for "${key}"`);
    }
    out += `${key}=${value}\n`;
  }
  return out;
}
