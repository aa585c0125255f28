// A gitconfig's text as lines that keep their own line ends, for block.ts. Lines are split on
// LF only; a CR before the LF is part of the line end, so CRLF files match and round-trip byte
// for byte, and the lines configure adds get the file's line end.

export interface Line {
  body: string; // without the line end
  eol: '' | '\n' | '\r\n';
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    if (nl === -1) {
      lines.push({ body: text.slice(at), eol: '' });
      break;
    }
    const crlf = nl > at && text[nl - 1] === '\r';
    lines.push({ body: text.slice(at, crlf ? nl - 1 : nl), eol: crlf ? '\r\n' : '\n' });
    at = nl + 1;
  }
  return lines;
}

export const joinLines = (lines: readonly Line[]) => lines.map((l) => l.body + l.eol).join('');

/** The line end our lines get: CRLF when most of the file's lines end that way. */
export function fileEol(text: string): '\n' | '\r\n' {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  return crlf > lf ? '\r\n' : '\n';
}
