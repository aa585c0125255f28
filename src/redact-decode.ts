// The spellings a hostile server may echo a secret in, undone so redact() can find it by value
// (issue 21, L2): case, whitespace inside it (split by a newline or a space), URL %-encoding
// (RFC 3986 section 2.1), HTML character references (`&#65;`, `&#x41;`, `&amp;`: WHATWG HTML
// "Character references") and JSON/JS escapes (`\u0041`, `\/`: RFC 8259 section 7). Hex and
// base64 cannot be undone in place; redact() looks for the secret's hex and base64 forms instead.
//
// A view is the decoded text plus, for each of its characters, the span of the original text it
// came from, so a secret found in the view is cut out of the original, encoding and all.

export interface View {
  text: string;
  from: number[];
  to: number[];
}

const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', sol: '/', colon: ':' };
// One encoded unit: %XX, &#NN; &#xHH; &name; \uXXXX, \xHH or a one-character JSON escape.
const unit = /%([0-9a-fA-F]{2})|&#(\d{1,7});?|&#[xX]([0-9a-fA-F]{1,6});?|&([a-zA-Z]{2,6});|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\([\\/"'nrt])/y;

function decodeUnit(m: RegExpExecArray): string | undefined {
  const code = m[1] ?? m[5] ?? m[6];
  if (code !== undefined) return String.fromCharCode(parseInt(code, 16));
  if (m[2] !== undefined || m[3] !== undefined) {
    const n = m[2] !== undefined ? parseInt(m[2], 10) : parseInt(m[3]!, 16);
    return n <= 0x10ffff ? String.fromCodePoint(n) : undefined;
  }
  if (m[4] !== undefined) return named[m[4].toLowerCase()];
  return { n: '\n', r: '\r', t: '\t' }[m[7]!] ?? m[7];
}

/**
 * One pass over a view: whitespace dropped, lower-cased, and (with `escapes`) escapes undone, but
 * for the one starting at original index `keep`, left as it is.
 */
export function decodeView(view: View, escapes = true, keep = -1): View {
  const out: View = { text: '', from: [], to: [] };
  const chars: string[] = [];
  const src = view.text;
  for (let i = 0; i < src.length; ) {
    unit.lastIndex = i;
    const c0 = src.charCodeAt(i);
    const m = escapes && (c0 === 0x25 || c0 === 0x26 || c0 === 0x5c) && view.from[i] !== keep ? unit.exec(src) : null;
    const decoded = m ? decodeUnit(m) : undefined;
    const length = m && decoded !== undefined ? m[0].length : 1;
    const text = (decoded ?? src[i]!).toLowerCase();
    for (const c of text) {
      if (/\s/.test(c)) continue;
      for (let k = 0; k < c.length; k++) {
        chars.push(c[k]!);
        out.from.push(view.from[i]!);
        out.to.push(view.to[i + length - 1]!);
      }
    }
    i += length;
  }
  out.text = chars.join('');
  return out;
}

/** The identity view of a text. */
export function plainView(text: string): View {
  const from = Array.from({ length: text.length }, (_, i) => i);
  return { text, from, to: from.map((i) => i + 1) };
}

/** The spans of `text` that any of `needles` (already lower-case, no whitespace) covers in a decoded view. */
export function encodedSpans(text: string, needles: readonly string[]): Array<[number, number]> {
  // Every escape undone; and, for each of the first escape characters, again with that one left
  // alone: a stray `%` just before a secret (`%a` + `8f…`) would otherwise eat its first
  // characters. A secret found in any reading is cut (redacting too much is the safe side).
  const spans = spansIn(text, needles, -1);
  let tries = 0;
  for (let i = 0; i < text.length && tries < 32; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x25 && c !== 0x26 && c !== 0x5c) continue;
    tries++;
    spans.push(...spansIn(text, needles, i));
  }
  return spans;
}

function spansIn(text: string, needles: readonly string[], keep: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let view = plainView(text);
  // Case and whitespace alone first, then escapes undone twice: a secret encoded twice (`%2541`,
  // `&amp;#65;`) is a common slip of a server's escaping.
  for (let pass = 0; pass < 3; pass++) {
    const next = decodeView(view, pass > 0, keep);
    for (const needle of needles) {
      for (let at = next.text.indexOf(needle); at >= 0; at = next.text.indexOf(needle, at + 1)) {
        spans.push([next.from[at]!, next.to[at + needle.length - 1]!]);
      }
    }
    if (pass > 0 && next.text === view.text) break;
    if (pass > 0) view = next;
  }
  return spans;
}

/** `text` with the given spans (merged where they overlap) replaced by `mark`. */
export function cutSpans(text: string, spans: Array<[number, number]>, mark: string): string {
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    out += `${text.slice(at, Math.max(at, start))}${start >= at ? mark : ''}`;
    at = end;
  }
  return out + text.slice(at);
}
