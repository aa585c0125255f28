import { describe, expect, it } from 'vitest';
import { blockIds, removeBlock, upsertBlock } from '../../../src/gitconfig/block.js';
import { configValue, helperCommand, shellQuote } from '../../../src/gitconfig/helper-command.js';
import { blockId, isOurLine, planEntries, sameHosts, subsection } from '../../../src/gitconfig/plan.js';
import { cloudflareEndpoint, customEndpoint } from '../../../src/endpoint/endpoint.js';
import { ArtifactsError } from '../../../src/errors.js';

const acct = '0123456789abcdef0123456789abcdef';
const self = ['/usr/bin/node', "/opt/it's here/git-credential-artifacts.cjs"];
const cfEntries = planEntries({ endpoint: cloudflareEndpoint(), account: acct, self, settingArgs: [] });

describe('planEntries', () => {
  it('owns the Cloudflare hosts: reset, our helper, useHttpPath, then push routing', () => {
    expect(cfEntries.map((e) => `${e.section}.${e.key}=${e.value}`)).toEqual([
      'credential "https://*.artifacts.cloudflare.net".helper=',
      `credential "https://*.artifacts.cloudflare.net".helper=${helperCommand(self, [])}`,
      'credential "https://*.artifacts.cloudflare.net".useHttpPath=true',
      'http "https://*.artifacts.cloudflare.net".proactiveAuth=basic',
      `url "artifacts::https://${acct}.artifacts.cloudflare.net/".pushInsteadOf=https://${acct}.artifacts.cloudflare.net/`,
      'protocol "artifacts".allow=always',
      `artifacts.account=${acct}`,
      'artifacts.apiUrl=https://api.cloudflare.com/client/v4',
    ]);
  });
  it('without an account there is no push routing, and git >= 2.46 authenticates proactively', () => {
    const entries = planEntries({ endpoint: cloudflareEndpoint(), account: undefined, self, settingArgs: [] });
    expect(entries).toHaveLength(4);
    expect(entries[3]).toEqual({ section: 'http "https://*.artifacts.cloudflare.net"', key: 'proactiveAuth', value: 'basic' });
  });
  it('proactive auth also where pushes are routed (git-remote-artifacts turns it off for its child), for the exact hosts owned', () => {
    const e = customEndpoint('http://127.0.0.1:9', 'http://127.0.0.1:9/client/v4', 'local');
    expect(planEntries({ endpoint: e, account: 'local', self, settingArgs: [] }).filter((x) => x.key === 'proactiveAuth')).toEqual([
      { section: 'http "http://127.0.0.1:9"', key: 'proactiveAuth', value: 'basic' },
    ]);
  });
  it('a custom endpoint passes its endpoint to the helper', () => {
    const e = customEndpoint('http://127.0.0.1:9', 'http://127.0.0.1:9/client/v4', 'local');
    const [, helper] = planEntries({ endpoint: e, account: 'local', self, settingArgs: ['--read-ttl', '60'] });
    expect(helper!.value).toContain('--git-url http://127.0.0.1:9 --api-url http://127.0.0.1:9/client/v4 --account local --read-ttl 60 "$@"');
  });
  it('a namespace-scoped endpoint: no account in the helper or in artifacts.*, pushes routed', () => {
    const e = customEndpoint('https://artifacts.cloudflare.net', 'https://artifacts.cloudflare.net/v1/api', undefined);
    const entries = planEntries({ endpoint: e, account: undefined, self, settingArgs: [] });
    expect(entries.map((x) => `${x.section}.${x.key}=${x.value}`)).toEqual([
      'credential "https://artifacts.cloudflare.net".helper=',
      `credential "https://artifacts.cloudflare.net".helper=${helperCommand(self, ['--git-url', 'https://artifacts.cloudflare.net', '--api-url', 'https://artifacts.cloudflare.net/v1/api'])}`,
      'credential "https://artifacts.cloudflare.net".useHttpPath=true',
      'http "https://artifacts.cloudflare.net".proactiveAuth=basic',
      'url "artifacts::https://artifacts.cloudflare.net/".pushInsteadOf=https://artifacts.cloudflare.net/',
      'protocol "artifacts".allow=always',
      'artifacts.apiUrl=https://artifacts.cloudflare.net/v1/api',
    ]);
    expect(blockId(e, undefined)).toBe('https://artifacts.cloudflare.net');
  });
  it('every line configure writes is recognised as ours', () => {
    const block = upsertBlock('', 'id', cfEntries, isOurLine).text.split('\n');
    let section = '';
    for (const line of block.slice(1, -2)) {
      const m = /^\[(.*)\]$/.exec(line);
      if (m) section = m[1]!;
      else expect(isOurLine(section, line)).toBe(true);
    }
    expect(isOurLine('credential "https://*.artifacts.cloudflare.net"', '\thelper = store')).toBe(false);
  });
});

describe('helper command', () => {
  it('only starts the helper for get and erase', () => {
    expect(helperCommand(['/bin/tool'], ['--x', 'a b'])).toBe(`!f() { case "$1" in get|erase) exec /bin/tool --x 'a b' "$@" ;; esac; }; f`);
  });
  it.each([
    ['plain', 'plain'],
    ["it's", `'it'\\''s'`],
    ['$(rm -rf ~)', `'$(rm -rf ~)'`],
  ])('shellQuote(%j)', (word, quoted) => expect(shellQuote(word)).toBe(quoted));
  it('gitconfig quoting escapes quotes and backslashes', () => expect(configValue('a"b\\c')).toBe('"a\\"b\\\\c"'));
});

describe('upsertBlock / removeBlock', () => {
  const user = '[user]\n\tname = Me\n[credential]\n\thelper = store\n';
  it.each([
    ['a file with a final newline', user],
    ['a file without a final newline', user.slice(0, -1)],
    ['an empty file', ''],
  ])('configure three times, then unconfigure, restores %s byte for byte', (_name, original) => {
    let text = original;
    const first = upsertBlock(text, 'id', cfEntries, isOurLine);
    expect(first.change).toBe('added');
    text = first.text;
    for (let i = 0; i < 2; i++) {
      const again = upsertBlock(text, 'id', cfEntries, isOurLine);
      expect(again.change).toBe('unchanged');
      text = again.text;
    }
    expect(blockIds(text)).toEqual(['id']);
    expect(removeBlock(text, 'id', isOurLine).text).toBe(original);
  });
  it('replaces a block in place when the helper moved', () => {
    const text = upsertBlock(user, 'id', cfEntries, isOurLine).text + '[alias]\n\tco = checkout\n';
    const moved = planEntries({ endpoint: cloudflareEndpoint(), account: acct, self: ['/new/tool'], settingArgs: [] });
    const r = upsertBlock(text, 'id', moved, isOurLine);
    expect(r.change).toBe('replaced');
    expect(r.text).toContain('exec /new/tool');
    expect(r.text.endsWith('[alias]\n\tco = checkout\n')).toBe(true);
  });
  it('keeps lines others added inside the block', () => {
    const text = upsertBlock(user, 'id', cfEntries, isOurLine).text.replace('\tuseHttpPath = true\n', '\tuseHttpPath = true\n\thelper = mine\n');
    expect(removeBlock(text, 'id', isOurLine).text).toBe(`${user}[credential "https://*.artifacts.cloudflare.net"]\n\thelper = mine\n`);
  });
  it('removing an absent block changes nothing', () => expect(removeBlock(user, 'id', isOurLine)).toEqual({ text: user, change: 'absent' }));
});

describe('what a block is', () => {
  const id = 'https://*.artifacts.cloudflare.net';
  const b = `# >>> git-credential-artifacts ${id} >>>`;
  const e = `# <<< git-credential-artifacts ${id} <<<`;
  const cf = cloudflareEndpoint();
  const entries = planEntries({ endpoint: cf, account: undefined, self, settingArgs: [] });
  const configure = (text: string) => upsertBlock(text, id, entries, isOurLine, sameHosts(cf));

  it('a copy of a begin marker earlier in the file is a user line: unconfigure keeps what follows it', () => {
    const user = `${b}\n[credential "https://*.artifacts.cloudflare.net"]\n\thelper =\n[alias]\n\tco = checkout\n`;
    const configured = configure(user);
    expect(configured.change).toBe('added');
    expect(removeBlock(configured.text, id, isOurLine).text).toBe(user);
  });
  it('an end marker without a begin is a user line', () => {
    const user = `[user]\n${e}\n[credential "https://*.artifacts.cloudflare.net"]\n\thelper =\n`;
    expect(removeBlock(user, id, isOurLine)).toEqual({ text: user, change: 'absent' });
    const configured = configure(user).text;
    expect(configure(configured).change).toBe('unchanged');
    expect(removeBlock(configured, id, isOurLine).text).toBe(user);
  });
  it('markers count only as whole lines', () => {
    const user = `  ${b}\n\thelper =\n${e} \n`;
    expect(blockIds(user)).toEqual([]);
    expect(removeBlock(user, id, isOurLine).change).toBe('absent');
  });
  it('blockIds lists complete blocks only', () => {
    expect(blockIds(`${b}\n${b}\n${e}\n# >>> git-credential-artifacts other >>>\n`)).toEqual([id]);
  });
});

describe('CRLF files', () => {
  const user = '[user]\r\n\tname = Me\r\n[credential]\r\n\thelper = store\r\n';
  it.each([
    ['with a final newline', user],
    ['without a final newline', user.slice(0, -2)],
  ])('configure writes CRLF, is idempotent, and unconfigure restores the file %s', (_name, original) => {
    const once = upsertBlock(original, 'id', cfEntries, isOurLine);
    expect(once.text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(upsertBlock(once.text, 'id', cfEntries, isOurLine)).toEqual({ text: once.text, change: 'unchanged' });
    expect(removeBlock(once.text, 'id', isOurLine).text).toBe(original);
  });
  it('a file ending in a lone CR gets it back', () => {
    const once = upsertBlock('[user]\r', 'id', cfEntries, isOurLine).text;
    expect(removeBlock(once, 'id', isOurLine).text).toBe('[user]\r');
  });
});

describe('re-configure keeps what others put in our block', () => {
  const cf = cloudflareEndpoint();
  const plain = planEntries({ endpoint: cf, account: undefined, self, settingArgs: [] });
  const withAccount = planEntries({ endpoint: cf, account: acct, self: ['/new/tool'], settingArgs: [] });
  const configure = (text: string, account: string | undefined, entries: typeof plain) =>
    upsertBlock(text, blockId(cf, account), entries, isOurLine, sameHosts(cf));

  it('a key git appended to our section survives configure with other flags, and unconfigure', () => {
    // `git config --global --add credential.https://*.artifacts.cloudflare.net.username me` appends here.
    const text = configure('', undefined, plain).text.replace('\tuseHttpPath = true\n', '\tuseHttpPath = true\n\tusername = me\n');
    const again = configure(text, acct, withAccount);
    expect(again.change).toBe('replaced');
    expect(again.text).toContain('exec /new/tool');
    expect(again.text).toContain('\tuseHttpPath = true\n\tusername = me\n');
    expect(configure(again.text, acct, withAccount).change).toBe('unchanged');
    expect(removeBlock(again.text, blockId(cf, acct), isOurLine).text).toBe('[credential "https://*.artifacts.cloudflare.net"]\n\tusername = me\n');
  });
  it('configure, then configure --account, leaves one block for the hosts, in place', () => {
    const first = configure('[user]\n', undefined, plain).text + '[alias]\n\tco = checkout\n';
    const second = configure(first, acct, withAccount).text;
    expect(blockIds(second)).toEqual([`https://*.artifacts.cloudflare.net account ${acct}`]);
    expect(second.endsWith('[alias]\n\tco = checkout\n')).toBe(true);
    expect(removeBlock(second, blockId(cf, acct), isOurLine).text).toBe('[user]\n[alias]\n\tco = checkout\n');
  });
  it('two blocks for the same hosts (written by older versions) become one', () => {
    const old = upsertBlock(upsertBlock('', blockId(cf, undefined), plain, isOurLine).text, blockId(cf, acct), withAccount, isOurLine).text;
    expect(blockIds(old)).toHaveLength(2);
    const merged = configure(old, acct, withAccount).text;
    expect(blockIds(merged)).toEqual([blockId(cf, acct)]);
    expect(removeBlock(merged, blockId(cf, acct), isOurLine).text).toBe('');
  });
  it('a user section before ours stays before ours', () => {
    const text = configure('', undefined, plain).text.replace('\n[credential "https', '\n[credential]\n\thelper = cache\n[credential "https');
    const again = configure(text, acct, withAccount).text;
    expect(again.indexOf('helper = cache')).toBeLessThan(again.indexOf('exec /new/tool'));
  });
});

describe('values that reach the file', () => {
  it('http.<url>.proactiveAuth is ours, other http keys are not', () => {
    expect(isOurLine('http "https://*.artifacts.cloudflare.net"', '\tproactiveAuth = basic')).toBe(true);
    expect(isOurLine('http "https://*.artifacts.cloudflare.net"', '\tsslVerify = false')).toBe(false);
  });
  it('subsections escape quotes and backslashes, and refuse line breaks', () => {
    expect(subsection('url', 'a"b\\c')).toBe('url "a\\"b\\\\c"');
    expect(() => subsection('url', 'a\nb')).toThrow(ArtifactsError);
  });
  it('an install path with a line break is refused with a clear error', () => {
    const make = () => planEntries({ endpoint: cloudflareEndpoint(), account: undefined, self: ['/usr/bin/node', '/opt/a\nb/tool.cjs'], settingArgs: [] });
    expect(make).toThrow(/line break/);
    expect(make).toThrow(ArtifactsError);
  });
  it('a line break in a value is an ArtifactsError, never a bare Error', () => expect(() => configValue('a\rb')).toThrow(ArtifactsError));
  it('paths with quotes, backslashes and dollars are quoted for sh, then for gitconfig', () => {
    const [, helper] = planEntries({ endpoint: cloudflareEndpoint(), account: undefined, self: ['/opt/q"u\\o\'te $x/tool'], settingArgs: [] });
    expect(helper!.value).toContain(`exec '/opt/q"u\\o'\\''te $x/tool' "$@"`);
    expect(configValue(helper!.value)).toMatch(/^".*"$/);
  });
});
