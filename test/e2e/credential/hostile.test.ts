// Hostile requests straight to the built helper (git itself would refuse some of them; older
// gits and other callers might not). None may yield a secret, and none may cause a mint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import { helperGet, mints } from '../../support/artifacts-home.js';
import type { Emulator } from '../../support/emulator.js';
import { makeGitHome, type GitHome } from '../../support/git-home.js';

let emu: Emulator;
let home: GitHome;
let host: string;

withEmulator((e) => (emu = e));
beforeAll(async () => {
  await emu.createRepo('default', 'target');
  home = makeGitHome(undefined, { ARTIFACTS_API_TOKEN: emu.apiToken });
  host = new URL(emu.url).host;
});
afterAll(async () => {
  home?.cleanup();
});

const cases: Array<[string, () => string]> = [
  ['CR smuggles a second host', () => `protocol=http\nhost=evil.example\rhost=${host}\npath=git/default/target.git\n`],
  ['CR inside the host value', () => `protocol=http\nhost=${host}\r\npath=git/default/target.git\rx\n`],
  ['NUL in the path', () => `protocol=http\nhost=${host}\npath=git/default/target.git\0\n`],
  ['U+2028 line separator', () => `protocol=http\nhost=evil.example\u2028host=${host}\npath=git/default/target.git\n`],
  ['U+2029 paragraph separator', () => `protocol=http\nhost=${host}\u2029\npath=git/default/target.git\n`],
  ['repeated host, ours last', () => `protocol=http\nhost=evil.example\nhost=${host}\npath=git/default/target.git\n`],
  ['repeated protocol', () => `protocol=https\nprotocol=http\nhost=${host}\npath=git/default/target.git\n`],
  ['url= with an encoded newline', () => `url=http://evil.example%0ahost=${host}/git/default/target.git\n`],
  ['url= plus host=', () => `url=http://${host}/git/default/target.git\nhost=evil.example\n`],
  ['suffix host', () => `protocol=http\nhost=${host}.evil.test\npath=git/default/target.git\n`],
  ['prefix host', () => `protocol=http\nhost=evil${host}\npath=git/default/target.git\n`],
  ['host without port', () => `protocol=http\nhost=127.0.0.1\npath=git/default/target.git\n`],
  ['https on our http endpoint', () => `protocol=https\nhost=${host}\npath=git/default/target.git\n`],
  ['missing protocol', () => `host=${host}\npath=git/default/target.git\n`],
  ['missing host', () => 'protocol=http\npath=git/default/target.git\n'],
  ['TLS certificate request', () => 'protocol=cert\nhost=\npath=/tmp/cert.p12\n'],
  ['path traversal', () => `protocol=http\nhost=${host}\npath=git/../default/target.git\n`],
  ['escape sequence in path', () => `protocol=http\nhost=${host}\npath=git/default/\x1b]0;pwned\x07.git\n`],
  ['non-ASCII in the path', () => `protocol=http\nhost=${host}\npath=git/default/targ\u00e9t.git\n`],
];

describe('hostile requests', () => {
  it.each(cases)('%s: no secret, no mint', async (_name, input) => {
    const r = await helperGet(home, emu, input());
    expect(r.stdout).not.toMatch(/password=|credential=|art_v/);
    expect(r.stdout === '' || r.stdout === 'quit=1\n').toBe(true);
    expect(mints(await emu.log())).toEqual([]);
  });

  it('the same request without tricks does mint (the cases above are meaningful)', async () => {
    const r = await helperGet(home, emu, `protocol=http\nhost=${host}\npath=git/default/target.git\n`);
    expect(r.stdout).toMatch(/^password=art_v1_/m);
    expect(mints(await emu.log())).toHaveLength(1);
  });
});
