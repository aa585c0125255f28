import { describe, expect, it } from 'vitest';
import type { ImportPolicy, ImportSource } from '../../../src/emulator/rest-fork-import.js';
import { importSource } from '../../../src/emulator/rest-fork-import.js';

const origin = 'http://127.0.0.1:8787/';
const own = `${origin}git/`;
const policy = (allowLocal: boolean): ImportPolicy => ({
  ownOrigin: origin,
  ownRepoDir: (ns, name) => (ns === 'ns' && name === 'src' ? '/data/git/0123.git' : null),
  allowLocal,
});

/** The source, or the error code it is refused with. */
function outcome(url: string, allowLocal: boolean): ImportSource | number {
  try {
    return importSource(url, policy(allowLocal));
  } catch (e) {
    return (e as { status: number; code: number }).status === 400 ? (e as { code: number }).code : -1;
  }
}

const web = (from: string): ImportSource => ({ from, protocols: 'http:https' });
const windows = process.platform === 'win32';
const disk = (from: string): ImportSource => ({ from, protocols: 'file' });

describe('importSource', () => {
  it.each<[string, ImportSource | number, ImportSource | number]>([
    // url, default, --allow-local-import
    ['https://github.com/cloudflare/workers-sdk.git', web('https://github.com/cloudflare/workers-sdk.git'), web('https://github.com/cloudflare/workers-sdk.git')],
    ['http://example.com/x.git', web('http://example.com/x.git'), web('http://example.com/x.git')],
    ['http://[::1]:8080/x.git', web('http://[::1]:8080/x.git'), web('http://[::1]:8080/x.git')],
    // this emulator's own remotes are read from its disk, flag or not
    [`${own}ns/src.git`, disk('/data/git/0123.git'), disk('/data/git/0123.git')],
    [`${own}ns/src`, disk('/data/git/0123.git'), disk('/data/git/0123.git')],
    [`${own}ns/ghost.git`, 10104, 10104],
    // and in the namespace-scoped API's form, <origin>/<ns>/<repo>.git
    [`${origin}ns/src.git`, disk('/data/git/0123.git'), disk('/data/git/0123.git')],
    [`${origin}ns/ghost.git`, 10104, 10104],
    [`${origin}ns/src.git/info/refs`, 10104, 10104],
    [origin, 10104, 10104],
    [`${own}ns/src.git/../other.git`, 10104, 10104],
    // local sources only with the flag
    ['/srv/repos/x.git', 10104, disk('/srv/repos/x.git')],
    // Windows: a file URL needs a drive letter (Node's fileURLToPath), and never a host (UNC, SMB).
    ['file:///srv/repos/x.git', 10104, windows ? 10104 : disk('/srv/repos/x.git')],
    ['file://localhost/srv/repos/x.git', 10104, windows ? 10104 : disk('/srv/repos/x.git')],
    ['file:///C:/srv/x.git', 10104, disk(windows ? 'C:\\srv\\x.git' : '/C:/srv/x.git')],
    ['file://elsewhere/srv/x.git', 10104, 10104],
    ['file://elsewhere/C:/srv/x.git', 10104, 10104],
    ['relative/x.git', 10104, 10104],
    ['./x.git', 10104, 10104],
    // other git transports never
    ['ssh://git@example.com/x.git', 10104, 10104],
    ['git@example.com:x.git', 10104, 10104],
    ['git://example.com/x.git', 10104, 10104],
    ['ext::sh', 10104, 10104],
    ['fd::0', 10104, 10104],
    ['https::example.com/x.git', 10104, 10104],
    ['ftp://example.com/x.git', 10104, 10104],
    ['HTTPS://example.com/x.git', 10104, 10104],
    ['https:example.com/x.git', 10104, 10104],
    ['https://', 10104, 10104],
    ['https://exa mple.com/x.git', 10104, 10104],
    ['https://example.com\\@evil/x.git', 10104, 10104],
    ['https://example.com/x.git\n', 10104, 10104],
    ['--upload-pack=touch /tmp/x', 10104, 10104],
    ['-uhttps://example.com', 10104, 10104],
    ['', 10104, 10104],
  ])('%j', (url, byDefault, withFlag) => {
    expect(outcome(url, false)).toEqual(byDefault);
    expect(outcome(url, true)).toEqual(withFlag);
  });
});
