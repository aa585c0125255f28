// Last line of defence for anything a human reads (errors, hints, trace lines): every secret
// this process has seen is replaced by value, whatever its format (a Cloudflare API token, a
// gateway JWT, an OAuth token from wrangler, a repo token), and the shapes we can recognise
// are replaced even when we never saw the value: repo tokens (tolerant of the prefix, which
// has already changed once: art_v1_, art_v2_e_, art_v2_x_; see
// https://developers.cloudflare.com/artifacts/api/git-protocol/) and Authorization headers.
// A server's error body that echoes `Authorization: Bearer <our API token>` is caught twice.
// A remembered secret is also found re-encoded (issue 21, L2): upper-cased, split by whitespace,
// %-encoded, as HTML entities or JSON escapes (redact-decode.ts), and as hex or base64 in any
// alignment.
// JWTs (gateway tokens: https://www.rfc-editor.org/rfc/rfc7519) are caught by shape too: three
// base64url segments, the first starting `eyJ` (base64 of `{"`), the last empty for `alg: none`.
import { cutSpans, encodedSpans } from './redact-decode.js';

const tokenPattern = /art_v\d+_(?:[a-z0-9]+_)*[0-9a-f]{40}(?:(?:\?|%3[Ff])expires(?:=|%3[Dd])\d+)?/g;
const jwtPattern = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
// A placeholder such as `Bearer <API token>` in a hint is words, not a secret: left alone, not garbled.
const authPattern = /(authorization:\s*(?:bearer|basic|token)\s+)(?!<[A-Za-z][A-Za-z ]{0,40}>)\S+/gi;
const bearerPattern = /(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
// The password of a URL's userinfo (`https://user:password@host/`, RFC 3986 section 3.2.1): a
// remote URL or a doctor target may carry one, and git's own messages keep it.
const userinfoPattern = /(\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#@:]*:)[^\s/?#@]+@/g;

/** Secrets known to this process, longest first so a secret inside a longer one goes too. */
let known: string[] = [];
/**
 * The same, their UTF-8 bytes one per character (what %XX and \\xHH decode to), hex and base64
 * forms, as decodeView() spells text: lower case, no whitespace.
 */
let needles: string[] = [];

/** Secrets shorter than this are not replaced by value (they would mangle ordinary words). */
const minLength = 8;

/**
 * A secret's base64 in each of the three alignments it can have inside a longer base64 text:
 * the characters that depend on its bytes only (https://www.rfc-editor.org/rfc/rfc4648#section-4).
 */
function base64Forms(value: string): string[] {
  const forms: string[] = [];
  for (let k = 0; k < 3; k++) {
    const bytes = Buffer.concat([Buffer.alloc(k), Buffer.from(value)]);
    const b64 = bytes.toString('base64').replace(/=+$/, '');
    const core = b64.slice(Math.ceil((k * 8) / 6), Math.floor((bytes.length * 8) / 6));
    forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

/** Registers a secret so every later redact() replaces it, raw and in the encodings a server may echo it in. */
export function rememberSecret(secret: string | undefined): void {
  if (!secret || secret.length < minLength) return;
  const raw = new Set([secret]);
  // A repo token's secret (before `?expires=`) is what Basic sends; the full one what Bearer sends.
  const at = secret.indexOf('?expires=');
  if (at >= minLength) raw.add(secret.slice(0, at));
  // Exact spellings: raw, percent-encoded, and base64 (url-safe too) of the value and of the
  // Basic pair `x:<value>`, without padding. Decoded views catch case, whitespace and escapes.
  const forms = new Set<string>();
  const decodedForms = new Set<string>();
  for (const r of raw) {
    forms.add(r);
    forms.add(encodeURIComponent(r));
    for (const v of [r, `x:${r}`]) {
      const b64 = Buffer.from(v).toString('base64').replace(/=+$/, '');
      forms.add(b64);
      forms.add(b64.replace(/\+/g, '-').replace(/\//g, '_'));
    }
    for (const f of [r, Buffer.from(r).toString('latin1'), Buffer.from(r).toString('hex'), ...base64Forms(r)]) decodedForms.add(f.toLowerCase().replace(/\s+/g, ''));
  }
  known = [...new Set([...known, ...forms])].sort((a, b) => b.length - a.length);
  needles = [...new Set([...needles, ...decodedForms])].filter((f) => f.length >= minLength).sort((a, b) => b.length - a.length);
}

/** For tests: forget every remembered secret. */
export function forgetSecrets(): void {
  known = [];
  needles = [];
}

/** Invisible format characters (U+200B, U+FEFF, …) and controls a server could split a secret with. */
const splitters = /[\p{Cf}\u0000-\u0008\u000b-\u001f\u007f]/gu;

export function redact(text: string): string {
  let out = text.replace(splitters, '');
  for (const secret of known) if (out.includes(secret)) out = out.split(secret).join('<redacted>');
  if (needles.length > 0) out = cutSpans(out, encodedSpans(out, needles), '<redacted>');
  return out
    .replace(tokenPattern, '<redacted-token>')
    .replace(authPattern, '$1<redacted>')
    .replace(bearerPattern, '$1<redacted>')
    .replace(jwtPattern, '<redacted-jwt>')
    .replace(userinfoPattern, '$1<redacted>@');
}

/**
 * Makes text safe to print on one line of a terminal: control characters (a server's error
 * body may carry escape sequences or newlines that forge lines of ours) become \xNN / \uNNNN.
 * keepNewlines: for stack traces, which are many lines by nature.
 */
export function printable(text: string, keepNewlines = false): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\t' || (keepNewlines && c === '\n')) return c;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
