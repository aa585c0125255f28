// Token expiry with a fake clock: the credential helper runs in-process (credentialMain with its
// Io clock moved on) against the real emulator (its clock moved on by the same amount), so a
// token the server made short-lived is shown to live and die without waiting for either.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import { credentialMain } from '../../../src/credential/main.js';
import { forgetSecrets } from '../../../src/redact.js';
import { mints } from '../../support/artifacts-home.js';
import type { Emulator } from '../../support/emulator.js';
import { runInProcess } from '../../support/in-process.js';

let emu: Emulator;
let dir: string;
withEmulator((e) => (emu = e));
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'expiry-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  forgetSecrets();
});

it('a token the server made expire in 60 s is served while it lives and never after it died', async () => {
  const { remote } = await emu.createRepo('default', 'short');
  await emu.faults({ tokenLifetimeSeconds: 60 });
  await emu.clearLog();
  const url = new URL(remote);
  const stdin = `protocol=http\nhost=${url.host}\npath=${url.pathname.slice(1)}\n\n`;
  // A 1 s refresh margin, so a 60 s token may be served from the cache at all (the default is 300 s).
  const env = { ARTIFACTS_REFRESH_MARGIN: '1', ARTIFACTS_API_TOKEN: emu.apiToken, ARTIFACTS_CACHE_DIR: path.join(dir, 'cache'), PATH: process.env.PATH };
  const argv = ['--git-url', emu.url, '--api-url', emu.apiUrl, '--account', emu.account, 'get'];
  const t0 = Date.now();
  const get = async (at: number) => {
    const r = await runInProcess(credentialMain, { argv, stdin, env, now: () => at });
    expect(r.code, r.stderr).toBe(0);
    return /^password=(.*)$/m.exec(r.stdout)?.[1];
  };

  const first = await get(t0);
  expect(first).toMatch(/^art_v1_/);
  expect(await get(t0 + 30_000)).toBe(first); // served from the cache while it lives
  await emu.setClockOffset(61_000);
  const later = await get(t0 + 61_000);
  expect(later).toMatch(/^art_v1_/);
  expect(later).not.toBe(first);
  expect(mints(await emu.log())).toHaveLength(2);
  // The premise: on the server's clock the first token is dead, the second alive.
  const status = async (password: string | undefined) =>
    (await fetch(`${remote}/info/refs?service=git-upload-pack`, { headers: { authorization: `Basic ${Buffer.from(`x:${password}`).toString('base64')}` } })).status;
  expect(await status(first)).not.toBe(200);
  expect(await status(later)).toBe(200);
  await emu.setClockOffset(0);
});
