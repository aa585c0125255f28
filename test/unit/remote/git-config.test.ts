import { describe, expect, it } from 'vitest';
import { createMode, parseConfigZ, remoteSettings, untrustedTransportKeys } from '../../../src/remote/git-config.js';

describe('parseConfigZ', () => {
  it('reads scope\\0key\\nvalue\\0 records, lower-cases keys, last value wins', () => {
    const m = parseConfigZ('system\0artifacts.account\nfirst\0global\0artifacts.apiUrl\nhttp://127.0.0.1:1/client/v4\0global\0artifacts.account\nsecond\0');
    expect([...m]).toEqual([
      ['artifacts.account', 'second'],
      ['artifacts.apiurl', 'http://127.0.0.1:1/client/v4'],
    ]);
  });

  it('keeps values with newlines and skips valueless keys', () => {
    const m = parseConfigZ('global\0artifacts.flag\0global\0artifacts.x\na\nb\0');
    expect(m.get('artifacts.flag')).toBeUndefined();
    expect(m.get('artifacts.x')).toBe('a\nb');
  });

  it.each(['local', 'worktree', 'command'])('ignores the %s scope: a repository or -c never decides where secrets go', (scope) => {
    const m = parseConfigZ(`global\0artifacts.apiurl\nhttps://good.example/client/v4\0${scope}\0artifacts.apiurl\nhttp://127.0.0.1:6666/client/v4\0${scope}\0credential.http://127.0.0.1:6666.helper\nx\0`);
    expect([...m]).toEqual([['artifacts.apiurl', 'https://good.example/client/v4']]);
  });
});

describe('remoteSettings', () => {
  const config = new Map([
    ['artifacts.account', 'from-config'],
    ['artifacts.apiurl', 'http://127.0.0.1:9/client/v4'],
  ]);
  it.each([
    ['config only', {}, config, 'from-config', 'http://127.0.0.1:9/client/v4'],
    ['env wins for the account', { CLOUDFLARE_ACCOUNT_ID: 'from-env' }, config, 'from-env', 'http://127.0.0.1:9/client/v4'],
    ['empty env does not win', { CLOUDFLARE_ACCOUNT_ID: ' ' }, config, 'from-config', 'http://127.0.0.1:9/client/v4'],
    ['nothing: no account, the Cloudflare API', {}, new Map<string, string>(), undefined, 'https://api.cloudflare.com/client/v4'],
  ])('%s', (_name, env, cfg, account, apiUrl) => {
    const s = remoteSettings(env, cfg);
    expect(s.account?.value).toBe(account);
    expect(s.apiUrl.value).toBe(apiUrl);
  });
});

describe('untrustedTransportKeys: settings in the repository that would reroute credentials', () => {
  it.each([
    ['local\0http.proxy\nhttp://evil:1\0', ['local http.proxy']],
    ['local\0http.http://127.0.0.1:1.proxy\nhttp://evil:1\0', ['local http.http://127.0.0.1:1.proxy']],
    ['worktree\0http.curloptResolve\nh:443:6.6.6.6\0', ['worktree http.curloptresolve']],
    ['local\0http.sslVerify\nfalse\0', ['local http.sslverify']],
    ['local\0remote.origin.proxy\nhttp://evil:1\0', ['local remote.origin.proxy']],
    ['global\0http.proxy\nhttp://corp:3128\0', []],
    ['command\0http.proxy\nhttp://corp:3128\0', []],
    ['local\0http.postBuffer\n1048576000\0local\0http.extraHeader\nX: y\0', []],
  ])('%j', (text, want) => {
    expect(untrustedTransportKeys(text)).toEqual(want);
  });
});

// artifacts.createOnPush (issue 23): on unless one of git's false words; from trusted scopes only.
describe('createMode', () => {
  it.each([
    { config: 'none', value: undefined, want: 'create' },
    { config: 'true', value: 'true', want: 'create' },
    { config: 'yes', value: 'yes', want: 'create' },
    { config: '1', value: '1', want: 'create' },
    { config: 'false', value: 'false', want: 'no-create' },
    { config: 'False (case)', value: 'False', want: 'no-create' },
    { config: 'no', value: 'no', want: 'no-create' },
    { config: 'off', value: 'off', want: 'no-create' },
    { config: '0', value: '0', want: 'no-create' },
    { config: 'empty (git reads `key =` as false)', value: '', want: 'no-create' },
    { config: ' false  (spaces)', value: ' false ', want: 'no-create' },
  ])('$config -> $want', ({ value, want }) => {
    expect(createMode(new Map(value === undefined ? [] : [['artifacts.createonpush', value]]))).toBe(want);
  });

  it('a repository-local false does not count (local scope is dropped by parseConfigZ)', () => {
    expect(createMode(parseConfigZ('local\0artifacts.createOnPush\nfalse\0'))).toBe('create');
    expect(createMode(parseConfigZ('global\0artifacts.createOnPush\nfalse\0'))).toBe('no-create');
  });
});
