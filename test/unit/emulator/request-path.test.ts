// The REST route patterns: ":x" binds one segment, a last "*x" the rest (the raw route's path).
import { describe, expect, it } from 'vitest';
import { match, pathSegments } from '../../../src/emulator/request-path.js';

const raw = 'namespaces/:ns/repos/:name/raw/:ref/*path'.split('/');

describe('match', () => {
  it.each([
    ['namespaces/n/repos/r/raw/main/a.txt', { ns: 'n', name: 'r', ref: 'main', path: 'a.txt' }],
    ['namespaces/n/repos/r/raw/main/d/e/f.txt', { ns: 'n', name: 'r', ref: 'main', path: 'd/e/f.txt' }],
    ['namespaces/n/repos/r/raw/main', null], // no path
    ['namespaces/n/repos/r/blob/main/a.txt', null],
  ])('%s -> %j', (p, want) => expect(match(raw, p.split('/'))).toEqual(want));

  it('exact patterns still need every segment and no more', () => {
    const log = 'namespaces/:ns/repos/:name/log'.split('/');
    expect(match(log, 'namespaces/n/repos/r/log'.split('/'))).toEqual({ ns: 'n', name: 'r' });
    expect(match(log, 'namespaces/n/repos/r/log/x'.split('/'))).toBeNull();
    expect(match(log, 'namespaces/n/repos/r'.split('/'))).toBeNull();
  });

  it('a ref with an encoded slash stays one segment; the path is joined from decoded segments', () => {
    const segments = pathSegments('/namespaces/n/repos/r/raw/feature%2Fx/sp%20ace/%C3%BC.txt');
    expect(match(raw, segments)).toEqual({ ns: 'n', name: 'r', ref: 'feature/x', path: 'sp ace/ü.txt' });
  });
});
