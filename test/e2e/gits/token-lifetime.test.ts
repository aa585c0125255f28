// A long-lived fetch loop (ArtifactFS fetches every 30 s, IDEs poll) outliving its tokens.
// Artifacts answers a dead token with 403, after which git neither erases nor retries
// (http.c handles only a 401 with credential_reject(); https://git-scm.com/docs/gitcredentials),
// so the helper must re-mint before a token dies. The server caps token life at a few seconds
// and the helper's refresh margin is shrunk to match.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../support/emulator.js';
import type { GitHome } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';
import { configuredHome, gitRequests, mints, ok, seededRepo, settledLog } from './support.js';

const lifetimeSeconds = 4;
const marginSeconds = 2;
const everyMs = 1500;
const fetches = 6; // ~10 s: more than two token lifetimes

describe.each(gitsUnderTest())('fetch loop across short token lifetimes with $label', (git) => {
  let emu: Emulator;
  let home: GitHome;

  beforeAll(async () => {
    emu = await startEmulator();
    home = await configuredHome(git, emu, { ARTIFACTS_REFRESH_MARGIN: String(marginSeconds) });
  });
  afterAll(async () => {
    await emu?.stop();
    home?.cleanup();
  });

  it(`a fetch every ${everyMs} ms for ${fetches} rounds: every fetch works, tokens are re-minted before they die`, async () => {
    const remote = await seededRepo(emu, home, 'loop', { 'a.txt': 'a\n' });
    await emu.faults({ tokenLifetimeSeconds: lifetimeSeconds });
    await emu.clearLog();
    await ok(home, ['clone', '-q', remote, 'loop']);
    for (let i = 0; i < fetches; i++) {
      await new Promise((r) => setTimeout(r, everyMs));
      await ok(home, ['fetch', '-q', 'origin'], 'loop');
    }

    const log = await settledLog(emu);
    const requests = gitRequests(log);
    expect(requests.filter((r) => r.status === 403)).toEqual([]);
    const minted = mints(log, 'read');
    // The loop outlived a token, so more than one was needed; each was read-scoped.
    expect(minted.length).toBeGreaterThan(1);
    expect(mints(log)).toHaveLength(minted.length);
    // Every token was used only while the server still held it alive (its own expires_at).
    const listed = await emu.rest<{ id: string; expires_at: string }[]>('GET', `${emu.nsUrl('default').slice(emu.url.length)}/repos/loop/tokens?state=all&per_page=100`);
    const expiry = new Map(listed.body.result.map((t) => [t.id, Date.parse(t.expires_at)]));
    const authed = requests.filter((r) => r.tokenId);
    expect(new Set(authed.map((r) => r.tokenId))).toEqual(new Set(minted.map((m) => m.tokenId)));
    for (const r of authed) expect(Date.parse(r.at), `request at ${r.at} with ${r.tokenId}`).toBeLessThan(expiry.get(r.tokenId!)!);
  });
});
