import { describe, expect, it } from 'vitest';
import { parseGitPath, serviceOf } from '../../../src/emulator/git-route.js';

describe('parseGitPath', () => {
  it.each([
    ['/git/ns/demo.git/info/refs', { namespace: 'ns', repo: 'demo', rest: 'info/refs' }],
    ['/git/ns/demo/git-upload-pack', { namespace: 'ns', repo: 'demo', rest: 'git-upload-pack' }],
    ['/git/ns/de%6Do.git/info/refs', { namespace: 'ns', repo: 'demo', rest: 'info/refs' }],
    ['/git/ns/demo.git', null],
    ['/git/ns/../info/refs', null],
    ['/git/ns/a%2Fb.git/info/refs', null],
    ['/git/ns/demo.git/../x', null],
    ['/git/ns/demo.git/info//refs', null],
    ['/git/ns/%E0%A4%A.git/info/refs', null],
    ['/git/n/demo.git/info/refs', null],
    ['/other/ns/demo.git/info/refs', null],
  ])('%s', (p, want) => expect(parseGitPath(p)).toEqual(want));
});

describe('serviceOf', () => {
  const q = (s: string): URLSearchParams => new URLSearchParams(s);
  it.each([
    ['GET', 'info/refs', 'service=git-upload-pack', 'upload-pack'],
    ['GET', 'info/refs', 'service=git-receive-pack', 'receive-pack'],
    ['GET', 'info/refs', '', null],
    ['GET', 'info/refs', 'service=git-upload-archive', null],
    ['POST', 'git-upload-pack', '', 'upload-pack'],
    ['POST', 'git-receive-pack', '', 'receive-pack'],
    ['GET', 'git-receive-pack', '', null],
    ['GET', 'HEAD', '', null],
    ['GET', 'objects/info/packs', '', null],
  ])('%s %s?%s -> %s', (method, rest, query, want) => expect(serviceOf(method, rest, q(query))).toBe(want));
});
