// Parsing the header block a CGI program writes before its body (RFC 3875 §6). Pure.

export interface CgiHead {
  status: number;
  headers: [string, string][];
  /** Offset of the first body byte in the buffer. */
  bodyStart: number;
}

/** The parsed head once `buf` holds a whole header block, else null (need more bytes). */
export function parseCgiHead(buf: Buffer): CgiHead | null {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  let end: number;
  let sep: number;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) [end, sep] = [crlf, 4];
  else if (lf !== -1) [end, sep] = [lf, 2];
  else return null;
  let status = 200;
  const headers: [string, string][] = [];
  for (const line of buf.subarray(0, end).toString('latin1').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') {
      const code = Number(/^\d{3}/.exec(value)?.[0]);
      if (code >= 100 && code <= 599) status = code;
    } else {
      headers.push([name, value]);
    }
  }
  return { status, headers, bodyStart: end + sep };
}
