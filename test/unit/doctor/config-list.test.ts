// The -z output of `git config --show-origin --show-scope --list`, as git prints it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configBool, parseConfigList } from '../../../src/doctor/config-list.js';

describe('parseConfigList', () => {
  it('reads scope, origin, section, URL subsection (dots and all), name and value; a bare key has no value', () => {
    const text = 'global\0file:/h/.gitconfig\0credential.helper\nstore\0global\0file:/h/.gitconfig\0credential.https://*.example.com/a.b.helper\n\0local\0file:.git/config\0core.bare\0command\0command line:\0http.extraheader\nAuthorization: Basic x\0';
    expect(parseConfigList(text)).toEqual([
      { scope: 'global', origin: 'file:/h/.gitconfig', section: 'credential', subsection: undefined, name: 'helper', value: 'store' },
      { scope: 'global', origin: 'file:/h/.gitconfig', section: 'credential', subsection: 'https://*.example.com/a.b', name: 'helper', value: '' },
      { scope: 'local', origin: 'file:.git/config', section: 'core', subsection: undefined, name: 'bare', value: undefined },
      { scope: 'command', origin: 'command line:', section: 'http', subsection: undefined, name: 'extraheader', value: 'Authorization: Basic x' },
    ]);
  });

  it('values may hold newlines; any text parses without throwing', () => {
    expect(parseConfigList('global\0file:x\0alias.x\na\nb\0')[0]!.value).toBe('a\nb');
    fc.assert(fc.property(fc.string(), (s) => Array.isArray(parseConfigList(s))));
  });

  it.each([
    [undefined, true],
    ['true', true],
    ['Yes', true],
    ['1', true],
    ['off', false],
    ['', false],
    ['maybe', undefined],
  ])('configBool(%j) = %j', (v, want) => {
    expect(configBool(v)).toBe(want);
  });
});
