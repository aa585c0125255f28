// Without CLOUDFLARE_API_TOKEN the helper asks `wrangler auth token --json`. wrangler cannot
// log in here, so a fixture CLI stands in for it on PATH (the only fake in the e2e suite).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { configuredHome, mints } from '../../support/artifacts-home.js';
import type { Emulator } from '../../support/emulator.js';
import { withEmulator } from '../../support/fixtures.js';
import { repoRoot } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';
import { alive } from '../../support/process.js';
import { startAttacker } from '../../support/attacker.js';

const [git] = gitsUnderTest();
const fixture = (name: string) => path.join(repoRoot, 'test', 'fixtures', name);
let emu: Emulator;
let remote: string;

withEmulator((e) => (emu = e));
beforeAll(async () => {
  remote = (await emu.createRepo('default', 'wr')).remote;
});

describe(`API token from wrangler with ${git!.label}`, () => {
  it('uses the token wrangler prints', async () => {
    const home = await configuredHome(git!, emu, { ARTIFACTS_API_TOKEN: '', FIXTURE_WRANGLER_TOKEN: emu.apiToken, CLOUDFLARE_API_BASE_URL: emu.apiUrl });
    try {
      const r = await home.git(['ls-remote', remote], { env: { PATH: `${fixture('wrangler-ok')}:${home.env.PATH}` } });
      expect(r.code, r.stderr).toBe(0);
      expect(mints(await emu.log())).toHaveLength(1);
    } finally {
      home.cleanup();
    }
  });

  it("git starts us inside a cloned repo: wrangler does not run there, so the repo's .env cannot swap the token or move the OAuth refresh", async () => {
    const attacker = await startAttacker();
    const home = await configuredHome(git!, emu, { ARTIFACTS_API_TOKEN: '', FIXTURE_WRANGLER_TOKEN: emu.apiToken, CLOUDFLARE_API_BASE_URL: emu.apiUrl });
    try {
      const clone = path.join(home.dir, 'hostile');
      mkdirSync(clone);
      expect((await home.git(['init', '-q', clone])).code).toBe(0);
      writeFileSync(path.join(clone, '.env'), `WRANGLER_TOKEN_URL=${attacker.url}/oauth2/token\n`);
      const r = await home.git(['ls-remote', remote], { cwd: clone, env: { PATH: `${fixture('wrangler-dotenv')}:${home.env.PATH}` } });
      expect(r.code, r.stderr).toBe(0);
      expect(attacker.seen).toEqual([]);
      // And a token of the attacker's in that .env is not the one a mint uses.
      writeFileSync(path.join(clone, '.env'), 'CLOUDFLARE_API_TOKEN=attacker-chosen-token\n');
      const other = await emu.createRepo('default', 'wr-dotenv');
      const again = await home.git(['ls-remote', other.remote], { cwd: clone, env: { PATH: `${fixture('wrangler-dotenv')}:${home.env.PATH}` } });
      expect(again.code, again.stderr).toBe(0);
    } finally {
      home.cleanup();
      await attacker.stop();
    }
  });

  it('a wrangler that hangs is cut off and reported', async () => {
    const home = await configuredHome(git!, emu, { ARTIFACTS_API_TOKEN: '', ARTIFACTS_TIMEOUT: '2', CLOUDFLARE_API_BASE_URL: emu.apiUrl });
    try {
      // The fixture sleeps 600 s: an answer at all, saying why, means the bound cut it off.
      const r = await home.git(['ls-remote', remote], { env: { PATH: `${fixture('wrangler-hang')}:${home.env.PATH}` } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/wrangler auth token --json` did not answer/);
    } finally {
      home.cleanup();
    }
  });

  it('a wrangler whose child keeps stdout open is cut off with its whole process group', async () => {
    const home = await configuredHome(git!, emu, { ARTIFACTS_API_TOKEN: '', ARTIFACTS_TIMEOUT: '2', CLOUDFLARE_API_BASE_URL: emu.apiUrl });
    const pidFile = path.join(home.dir, 'orphan.pid');
    try {
      const r = await home.git(['ls-remote', remote], { env: { PATH: `${fixture('wrangler-orphan')}:${home.env.PATH}`, FIXTURE_PID_FILE: pidFile } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/wrangler auth token --json` did not answer/);
      // Before the fix git waited for the orphan to close stdout (its own 600 s); now the
      // group is killed at the bound, the orphan included.
      const orphan = Number(readFileSync(pidFile, 'utf8').trim());
      await expect.poll(() => alive(orphan)).toBe(false); // its pipes close a moment before it shows as a zombie
    } finally {
      home.cleanup();
    }
  });
});
