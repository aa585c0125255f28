import { describe, expect, it } from 'vitest';
import { parseCgiHead } from '../../../src/emulator/cgi.js';

describe('parseCgiHead', () => {
  it.each([
    ['CRLF with status', 'Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nbody', 404, [['Content-Type', 'text/plain']], 'body'],
    ['LF, no status means 200', 'Content-Type: application/x-git-upload-pack-advertisement\n\nPKT', 200, [['Content-Type', 'application/x-git-upload-pack-advertisement']], 'PKT'],
    ['repeated headers kept', 'Expires: 0\r\nPragma: no-cache\r\nPragma: x\r\n\r\n', 200, [['Expires', '0'], ['Pragma', 'no-cache'], ['Pragma', 'x']], ''],
    ['bad status ignored', 'Status: abc\n\n', 200, [], ''],
  ])('%s', (_n, text, status, headers, body) => {
    const buf = Buffer.from(text);
    const head = parseCgiHead(buf);
    expect(head?.status).toBe(status);
    expect(head?.headers).toEqual(headers);
    expect(buf.subarray(head?.bodyStart).toString()).toBe(body);
  });
  it('needs the blank line', () => {
    expect(parseCgiHead(Buffer.from('Status: 200 OK\r\nContent-Type: x\r\n'))).toBeNull();
  });
});
