import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseWranglerOutput, runWranglerAuthToken } from '../../../src/auth/wrangler.js';

describe('parseWranglerOutput', () => {
  it.each([
    ['{"type":"api_token","token":"t1"}', 't1'],
    ['{"type":"oauth","token":"t2"}', 't2'],
    ['{"type":"oauth","token":""}', undefined],
    ['{"type":"other","token":"t"}', undefined],
    ['not json', undefined],
    ['null', undefined],
  ])('%s', (out, token) => expect(parseWranglerOutput(out)).toBe(token));
  it('a global API key is not usable as a bearer, and says so', () => {
    expect(() => parseWranglerOutput('{"type":"api_key","key":"k","email":"e"}')).toThrow(/global API key/);
  });
});

describe('runWranglerAuthToken against a wrangler on PATH', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wrangler-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fake = (name: string, script: string): NodeJS.ProcessEnv => {
    const bin = path.join(dir, name);
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'wrangler'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    return { PATH: `${bin}:/usr/bin:/bin` };
  };

  it.runIf(process.platform !== 'win32')('installed but not logged in (or expired): says exactly that, not "install wrangler"', async () => {
    const env = fake('logged-out', "echo 'You are not authenticated. Please run wrangler login.' >&2; exit 1");
    await expect(runWranglerAuthToken(env, Date.now() + 5_000)).rejects.toMatchObject({
      code: 'auth.missing',
      message: 'wrangler is installed but not logged in, or its login expired (`wrangler auth token --json` exited 1)',
      hint: 'sign in once with `git-credential-artifacts login`, or run `wrangler login` again',
    });
  });

  it('not installed: no token and no error, so the chain goes on', async () => {
    expect(await runWranglerAuthToken({ PATH: path.join(dir, 'nothing-here') }, Date.now() + 5_000)).toBeUndefined();
  });
});
