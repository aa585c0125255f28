// REST import without --allow-local-import (the default): only http(s) URLs, as the service
// documents a public HTTPS `url` (https://developers.cloudflare.com/artifacts/api/rest-api/).
// Local paths, file:// URLs and git's other transports are refused with 400 10104 INVALID_URL
// before git runs, and nothing is cloned.
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import type { CreatedRepo, Emulator } from '../../support/emulator.js';
import type { GitHome } from '../../support/git-home.js';
import { makeGitHome } from '../../support/git-home.js';
import { pathGit } from '../../support/gits.js';

let emu: Emulator;
let home: GitHome;
let local: string;
let marker: string;
let script: string;
const ns = 'url';
const nsPath = (): string => emu.nsUrl(ns).slice(emu.url.length);
const bearer = (token: string): NodeJS.ProcessEnv => ({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Bearer ${token}` });
const repoDirs = (): string[] => readdirSync(path.join(emu.dataDir, 'git'));

withEmulator((e) => (emu = e));
beforeAll(async () => {
  home = makeGitHome();
  await home.git(['init', '-q', '-b', 'trunk', 'local']);
  local = path.join(home.dir, 'local');
  writeFileSync(path.join(local, 'a.txt'), 'a\n');
  await home.git(['add', '.'], { cwd: local });
  expect((await home.git(['commit', '-qm', 'local'], { cwd: local })).code).toBe(0);
  // an ext:: transport that would leave a trace if git ever ran it
  marker = path.join(home.dir, 'ran');
  script = path.join(home.dir, 'mark.sh');
  writeFileSync(script, `#!/bin/sh\ntouch '${marker}'\n`);
  chmodSync(script, 0o755);
});
afterAll(async () => {
  home?.cleanup();
});

describe(`import by default with ${pathGit().label}`, () => {
  it.each([
    ['a local path', (): string => local],
    ['a local path to a .git dir', (): string => path.join(local, '.git')],
    ['a file:// URL', (): string => pathToFileURL(local).href],
    ['a file://localhost URL', (): string => `file://localhost${local}`],
    ['an ssh:// URL', (): string => 'ssh://git@127.0.0.1/x.git'],
    ['an scp-style address', (): string => `127.0.0.1:${local}`],
    ['a git:// URL', (): string => 'git://127.0.0.1/x.git'],
    ['an ext:: address', (): string => `ext::${script}`],
    ['an fd:: address', (): string => 'fd::0'],
    ['a transport::http address', (): string => `http::${emu.url}/git/${ns}/x.git`],
  ])('refuses %s with 400 10104 and clones nothing', async (_label, url) => {
    const before = repoDirs();
    const r = await emu.rest('POST', `${nsPath()}/repos/refused/import`, { url: url() });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ success: false, result: null });
    expect(r.body.errors[0]).toMatchObject({ code: 10104, message: expect.stringMatching(/^url must be an http\(s\) URL/) });
    expect((await emu.rest('GET', `${nsPath()}/repos/refused`)).status).toBe(404);
    expect(repoDirs()).toEqual(before);
    expect(existsSync(marker)).toBe(false);
  });

  it('still imports a repo of this emulator by its http remote', async () => {
    const source = await emu.createRepo(ns, 'source');
    expect((await home.git(['push', '-q', source.remote, 'trunk:main'], { cwd: local, env: bearer(source.token) })).code).toBe(0);
    const r = await emu.rest<CreatedRepo>('POST', `${nsPath()}/repos/copy/import`, { url: source.remote });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await emu.settledLog(); // the import has run
    expect((await emu.rest('GET', `${nsPath()}/repos/copy`)).status).toBe(200);
    const clone = await home.git(['clone', '-q', r.body.result.remote, 'c-copy'], { env: bearer(r.body.result.token) });
    expect(clone.code, clone.stderr).toBe(0);
    expect((await home.git(['log', '--format=%s'], { cwd: path.join(home.dir, 'c-copy') })).stdout.trim()).toBe('local');
  });

  it('fetches other http(s) URLs over http only, without credentials', async () => {
    // The emulator under another host name is just some http server to it, and one that wants
    // credentials: 10106 shows git really went over http (and asked no one for a password).
    const source = await emu.createRepo(ns, 'private');
    const r = await emu.rest('POST', `${nsPath()}/repos/via-http/import`, { url: source.remote.replace('127.0.0.1', 'localhost') });
    expect(r.status).toBe(400);
    expect(r.body.errors[0]?.code).toBe(10106);
    expect((await emu.rest('GET', `${nsPath()}/repos/via-http`)).status).toBe(404);
  });
});
