// Issue 21, H1: a user configured the emulator on a loopback port, the emulator stopped, and
// another local user bound that port. The next git command must send that server no
// Cloudflare credential: neither CLOUDFLARE_API_TOKEN nor wrangler's login goes to a URL that
// only gitconfig names (src/auth/credential-origin.ts). The error names what would work.
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import { configuredHome, mints } from '../../support/artifacts-home.js';
import { startEmulator, type Emulator } from '../../support/emulator.js';
import { repoRoot } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';

const [git] = gitsUnderTest();
const cfToken = 'cfut_UsersRealCloudflareToken_0123456789';
const wranglerToken = 'wrangler-oauth-access-token-0123456789';

/** Everything a request carried, headers and body, as one string to search. */
async function squatter(port: number): Promise<{ raw: string[]; stop(): Promise<void> }> {
  const raw: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      raw.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${Buffer.concat(chunks).toString('latin1')}`);
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="artifacts"' }).end('{"success":false}');
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return { raw, stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

describe(`credentials by origin with ${git!.label}`, () => {
  let emu: Emulator;
  withEmulator((e) => (emu = e));

  it('a stopped emulator whose port another user took: no copy of CLOUDFLARE_API_TOKEN or the wrangler login reaches it', async () => {
    const { remote } = await emu.createRepo('default', 'squatted');
    const own = await startEmulator();
    const port = Number(new URL(own.url).port);
    const home = await configuredHome(git!, own, { ARTIFACTS_API_TOKEN: '', CLOUDFLARE_API_TOKEN: cfToken, FIXTURE_WRANGLER_TOKEN: wranglerToken });
    await own.stop();
    const taken = await squatter(port);
    try {
      const url = remote.replace(new URL(remote).origin, own.url);
      const r = await home.git(['ls-remote', url], { env: { PATH: `${path.join(repoRoot, 'test', 'fixtures', 'wrangler-ok')}:${home.env.PATH}` } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`no API token for ${own.apiUrl}, which is not Cloudflare's API (CLOUDFLARE_API_TOKEN is set`);
      expect(r.stderr).toMatch(/login --api-url http:\/\/127\.0\.0\.1:\d+\/client\/v4.*ARTIFACTS_API_TOKEN/);
      expect(taken.raw.length).toBeGreaterThan(0); // git did ask it, so the helper was asked too
      for (const seen of taken.raw) {
        for (const secret of [cfToken, wranglerToken]) {
          expect(seen).not.toContain(secret);
          expect(seen).not.toContain(Buffer.from(secret).toString('base64'));
        }
      }
      expect(r.stderr).not.toContain(cfToken);
    } finally {
      home.cleanup();
      await taken.stop();
    }
  });

  it('ARTIFACTS_API_TOKEN works there, and a Cloudflare token beside it is not used', async () => {
    const { remote } = await emu.createRepo('default', 'own-token');
    const home = await configuredHome(git!, emu, { CLOUDFLARE_API_TOKEN: 'cfut_wrong_and_never_sent_0123456789' });
    try {
      const r = await home.git(['ls-remote', remote], { env: { ARTIFACTS_TRACE: '1' } });
      expect(r.code, r.stderr).toBe(0);
      expect(mints(await emu.log())).toHaveLength(1);
      expect(r.stderr).toMatch(/api-token source=ARTIFACTS_API_TOKEN found=true rule=other/);
    } finally {
      home.cleanup();
    }
  });
});
