// A long-lived fetch loop (ArtifactFS fetches every 30 s, IDEs poll) outliving its tokens.
// Artifacts answers a dead token with 403, after which git neither erases nor retries
// (http.c handles only a 401 with credential_reject(); https://git-scm.com/docs/gitcredentials),
// so the helper must re-mint before a token dies. The server caps token life at a few seconds
// and the helper's refresh margin is shrunk to match. Time is moved, not waited for: each round
// moves the emulator's clock and the helper's (credentialMain in-process, its Io clock) on by the
// same step, and git fetches with exactly the credential the helper answered.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialMain } from '../../../src/credential/main.js';
import { gitsUnderTest } from '../../support/gits.js';
import { runInProcess } from '../../support/in-process.js';
import { configuredWorld, gitRequests, mints, ok, seededRepo, settledLog } from './support.js';

// Real time also passes between rounds (a clone or fetch under load can take a second), on
// both clocks alike: a round that is 2 s of moved clock plus up to ~1.8 s of real time still
// finds the token it follows (6 s life, refresh when under 2 s + jitter), the one after that
// does not, whatever the machine's load.
const lifetimeSeconds = 6;
const marginSeconds = 2;
const everyMs = 2000;
const fetches = 6; // 12 s of the clocks: two token lifetimes

describe.each(gitsUnderTest())('fetch loop across short token lifetimes with $label', (git) => {
  const w = configuredWorld(git);


  it(`a fetch every ${everyMs} ms for ${fetches} rounds: every fetch works, tokens are re-minted before they die`, async () => {
    const remote = await seededRepo(w.emu, w.home, 'loop', { 'a.txt': 'a\n' });
    await w.emu.faults({ tokenLifetimeSeconds: lifetimeSeconds });
    await w.emu.clearLog();
    const url = new URL(remote);
    const helper = {
      argv: ['--git-url', w.emu.url, '--api-url', w.emu.apiUrl, '--account', w.emu.account, 'get'],
      stdin: `protocol=http\nhost=${url.host}\npath=${url.pathname.slice(1)}\n\n`,
      env: { ARTIFACTS_REFRESH_MARGIN: String(marginSeconds), ARTIFACTS_API_TOKEN: w.emu.apiToken, ARTIFACTS_CACHE_DIR: path.join(w.home.dir, 'loop-cache'), PATH: process.env.PATH },
    };
    /** What the helper answers with both clocks moved on by offsetMs, as git's Basic header. */
    const credentialAt = async (offsetMs: number): Promise<NodeJS.ProcessEnv> => {
      await w.emu.setClockOffset(offsetMs);
      const r = await runInProcess(credentialMain, { ...helper, now: () => Date.now() + offsetMs });
      expect(r.code, r.stderr).toBe(0);
      const field = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(r.stdout)?.[1] ?? '';
      const basic = Buffer.from(`${field('username')}:${field('password')}`).toString('base64');
      // No configured helper (no global config): git sends exactly this credential.
      return { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` };
    };
    await ok(w.home, ['clone', '-q', remote, 'loop'], undefined, { env: await credentialAt(0) });
    for (let i = 1; i <= fetches; i++) {
      await ok(w.home, ['fetch', '-q', 'origin'], 'loop', { env: await credentialAt(i * everyMs) });
    }

    const log = await settledLog(w.emu);
    const requests = gitRequests(log);
    expect(requests.filter((r) => r.status === 403)).toEqual([]);
    const minted = mints(log, 'read');
    // The loop outlived a token, so more than one was needed, and a token was served from the
    // cache at least once (fewer mints than rounds); each was read-scoped.
    expect(minted.length).toBeGreaterThan(1);
    expect(minted.length).toBeLessThan(fetches + 1);
    expect(mints(log)).toHaveLength(minted.length);
    // Every token was used only while the server still held it alive (its own expires_at).
    const listed = await w.emu.rest<{ id: string; expires_at: string }[]>('GET', `${w.emu.nsUrl('default').slice(w.emu.url.length)}/repos/loop/tokens?state=all&per_page=100`);
    const expiry = new Map(listed.body.result.map((t) => [t.id, Date.parse(t.expires_at)]));
    const authed = requests.filter((r) => r.tokenId);
    expect(new Set(authed.map((r) => r.tokenId))).toEqual(new Set(minted.map((m) => m.tokenId)));
    for (const r of authed) expect(Date.parse(r.at), `request at ${r.at} with ${r.tokenId}`).toBeLessThan(expiry.get(r.tokenId!)!);
    await w.emu.setClockOffset(0);
  });
});
