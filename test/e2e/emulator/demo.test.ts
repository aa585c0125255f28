// `npm run demo` from the source tree: what it shows, and that its temp dir is gone afterwards,
// also when it is stopped half way (it was left behind on every failure and on Ctrl-C).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../support/git-home.js';

const bundle = path.resolve(import.meta.dirname, '../../../dist/artifacts-emulator.cjs');
const root = mkdtempSync(path.join(os.tmpdir(), 'demo-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const envWith = (tmp: string): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: root, TMPDIR: tmp });

describe('artifacts-emulator demo (source tree)', () => {
  it('shows each git command and its output, the tokens minted, and removes its temp dir', async () => {
    const tmp = mkdtempSync(path.join(root, 'tmp-'));
    const r = await run(process.execPath, [bundle, 'demo'], { env: envWith(tmp), timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\$ git clone \S+ hello\n\s+Cloning into 'hello'\.\.\./);
    expect(r.stdout).toMatch(/\$ git push origin HEAD:main\n\s+To artifacts::http:\/\/127\.0\.0\.1:\d+\/git\/default\/hello\.git\n\s+\* \[new branch\]/);
    expect(r.stdout).toMatch(/\$ git fetch\n\s+\$ git pull origin main\n/);
    expect(r.stdout).toMatch(/tokens minted: 2 \(read, write\)/);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('--keep keeps the temp dir and says where', async () => {
    const tmp = mkdtempSync(path.join(root, 'tmp-'));
    const r = await run(process.execPath, [bundle, 'demo', '--keep'], { env: envWith(tmp), timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const kept = /kept everything in (\S+)/.exec(r.stdout)?.[1];
    expect(kept && path.dirname(kept)).toBe(tmp);
    expect(readdirSync(kept!).sort()).toEqual(['bin', 'emulator', 'home', 'token-cache']);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('stopped by %s half way: exit 130, emulator stopped, temp dir removed', async (signal) => {
    const tmp = mkdtempSync(path.join(root, 'tmp-'));
    const child = spawn(process.execPath, [bundle, 'demo'], { env: envWith(tmp), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (/^1\. emulator running/m.test(out)) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    expect(await exited).toBe(130);
    expect(out).toMatch(/interrupted; removing the temp dir/);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
