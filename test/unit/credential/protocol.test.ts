import { describe, expect, it } from 'vitest';
import { expandUrl, formatCredential, parseCredential } from '../../../src/credential/protocol.js';

const parse = (s: string) => parseCredential(Buffer.from(s, 'utf8'));

describe('parseCredential accepts what git sends', () => {
  it.each([
    ['basic', 'protocol=https\nhost=h.example\npath=git/a/b.git\n\n', { protocol: 'https', host: 'h.example', path: 'git/a/b.git' }],
    ['no final blank line (EOF ends it)', 'protocol=https\nhost=h', { protocol: 'https', host: 'h' }],
    ['CRLF line ends', 'protocol=https\r\nhost=h\r\n\r\n', { protocol: 'https', host: 'h' }],
    ['stops at the blank line', 'protocol=https\nhost=h\n\nhost=evil\n', { protocol: 'https', host: 'h' }],
    ['value with =', 'protocol=https\nhost=h\nwwwauth=Basic realm="a=b"\n', { wwwauth: 'Basic realm="a=b"' }],
    ['unknown keys are kept but harmless', 'protocol=https\nhost=h\nfuture_key=1\n', { future_key: '1' }],
    ['url= expands', 'url=https://x@h.example:8443/git/a/b.git\n', { protocol: 'https', host: 'h.example:8443', path: 'git/a/b.git', username: 'x' }],
    ['url= percent-decodes', 'url=https://h/git/a%2Db/c.git\n', { path: 'git/a-b/c.git' }],
  ])('%s', (_name, input, expected) => {
    const { fields } = parse(input);
    for (const [k, v] of Object.entries(expected)) expect(fields.get(k)).toBe(v);
  });

  it('collects list keys in order, and an empty value clears the list', () => {
    const { lists } = parse('capability[]=authtype\ncapability[]=state\nwwwauth[]=a\nwwwauth[]=\nwwwauth[]=b\n');
    expect(lists.get('capability')).toEqual(['authtype', 'state']);
    expect(lists.get('wwwauth')).toEqual(['b']);
  });
});

describe('parseCredential rejects hostile input', () => {
  it.each([
    ['lone CR smuggling a host (CVE-2024-50338)', 'protocol=https\nhost=good.example\rhost=evil.example\n'],
    ['CR inside a value', 'protocol=https\nhost=h\npath=a\rb\n'],
    ['NUL', 'protocol=https\nhost=h\0\n'],
    ['other C0 control', 'protocol=https\nhost=h\x1b[31m\n'],
    ['tab', 'protocol=https\nhost=h\tx\n'],
    ['DEL', 'protocol=https\nhost=h\x7f\n'],
    ['U+2028 (CVE-2025-23040)', 'protocol=https\nhost=h\u2028host=evil\n'],
    ['U+2029', 'protocol=https\nhost=h\u2029\n'],
    ['repeated host (CVE-2020-5260)', 'protocol=https\nhost=a\nhost=b\n'],
    ['repeated protocol', 'protocol=https\nprotocol=http\nhost=a\n'],
    ['repeated path', 'protocol=https\nhost=a\npath=x\npath=y\n'],
    ['url= and host=', 'url=https://a/\nhost=b\n'],
    ['host= then url=', 'host=b\nurl=https://a/\n'],
    ['url= with encoded newline (CVE-2020-5260)', 'url=https://a%0ahost=evil/\n'],
    ['url= with encoded CR', 'url=https://a/git/%0d/x\n'],
    ['malformed percent escape', 'url=https://a/%zz\n'],
    ['line without =', 'protocol=https\nhost\n'],
    ['empty key', '=x\n'],
    ['invalid UTF-8', Buffer.from([0x68, 0x6f, 0x73, 0x74, 0x3d, 0xff, 0x0a]).toString('latin1')],
  ])('%s', (_name, input) => {
    const bytes = typeof input === 'string' && /[\u0080-\u00ff]/.test(input) && !/[\u0100-\uffff]/.test(input)
      ? Buffer.from(input, 'latin1')
      : Buffer.from(input, 'utf8');
    expect(() => parseCredential(bytes)).toThrow(/rejected credential request/);
  });
});

describe('expandUrl', () => {
  it('splits user and password like git', () => {
    const m = expandUrl('https://u%40x:p%3Aw@h/p');
    expect(m.get('username')).toBe('u@x');
    expect(m.get('password')).toBe('p:w');
  });
  it('a root path gives no path', () => expect(expandUrl('https://h/').has('path')).toBe(false));
});

describe('formatCredential', () => {
  it('writes key=value lines', () => expect(formatCredential([['username', 'x'], ['password', 's']])).toBe('username=x\npassword=s\n'));
  it.each([['a\nb'], ['a\rb'], ['a\u2028b']])('refuses a value with a line break (%j)', (value) => {
    expect(() => formatCredential([['password', value]])).toThrow(/unsafe/);
  });
});
