// configure three times, use it (clone + routed push, with the user's own `store` helper in
// the file), then unconfigure: the gitconfig is back byte for byte and `store` never saw a token.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import type { Emulator } from '../../support/emulator.js';
import { credentialBundle, makeGitHome } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';
import { commitFile, mints, settledLog } from './support.js';

const acct = '0123456789abcdef0123456789abcdef';
const userConfig = [
  '[user]',
  '\tname = Test',
  '\temail = test@example.invalid',
  '[init]',
  '\tdefaultBranch = main',
  '[credential]',
  '\thelper = store',
  '[credential "https://*.artifacts.cloudflare.net"]',
  '\thelper = foo',
  '# a comment the user wrote',
  '[alias]',
  '\tst = status -s',
  '',
].join('\n');

describe.each(gitsUnderTest())('configure x3, use, unconfigure with $label', (git) => {
  let emu: Emulator;
  withEmulator((e) => (emu = e));

  it('leaves the gitconfig exactly as it was', async () => {
    const home = makeGitHome(git, { ARTIFACTS_API_TOKEN: emu.apiToken });
    try {
      const file = home.env.GIT_CONFIG_GLOBAL!;
      writeFileSync(file, userConfig);
      const cli = (...args: string[]) => home.run(process.execPath, [credentialBundle, ...args]);
      for (let i = 0; i < 3; i++) {
        const custom = await cli('configure', '--git-url', emu.url, '--api-url', emu.apiUrl, '--account', emu.account);
        expect(custom.code, custom.stderr).toBe(0);
        const cf = await cli('configure', '--account', acct);
        expect(cf.code, cf.stderr).toBe(0);
      }
      const configured = readFileSync(file, 'utf8');
      expect(configured.startsWith(userConfig)).toBe(true);

      const repo = await emu.createRepo('default', 'roundtrip');
      const cloned = await home.git(['clone', '-q', repo.remote, 'w']);
      expect(cloned.code, cloned.stderr).toBe(0);
      await commitFile(home, 'w', 'x.txt', 'x');
      const pushed = await home.git(['push', '-q', 'origin', 'main'], { cwd: path.join(home.dir, 'w') });
      expect(pushed.code, pushed.stderr).toBe(0);
      expect(mints(await settledLog(emu)).map((m) => m.scope)).toEqual(['read', 'write']);
      // Our block resets the helper list for our host, so `store` never got a token.
      const stored = path.join(home.dir, '.git-credentials');
      expect(existsSync(stored) ? readFileSync(stored, 'utf8') : '').not.toMatch(/art_v/);
      expect(readFileSync(file, 'utf8')).toBe(configured);

      const un = await cli('unconfigure');
      expect(un.code, un.stderr).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(userConfig);
    } finally {
      home.cleanup();
    }
  });
});
