// `doctor` in-process through programMain and the Io seam: exit codes and the one JSON document,
// against a real (empty) git home. The checks themselves have tables in test/unit/doctor/ and
// run against real misconfigurations in test/e2e/doctor/.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { programMain } from '../../../src/cli/program.js';
import { runInProcess } from '../../support/in-process.js';
import { gitRuns, noGit } from '../../support/tools.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'doctor-unit-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function run(argv: string[]) {
  const env = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_GLOBAL: path.join(home, 'gitconfig'), GIT_CONFIG_NOSYSTEM: '1', XDG_RUNTIME_DIR: path.join(home, 'run'), XDG_CONFIG_HOME: path.join(home, 'config') };
  return runInProcess((io) => programMain(io), { argv, env, cwd: home });
}

describe('doctor in-process', () => {
  it.skipIf(!gitRuns).each([
    { argv: ['doctor', '--json'], wantCode: 1, wantJson: { ok: false, ids: ['git-version', 'configured'] }, wantStderr: /^$/ },
    { argv: ['doctor', '--json', '--bogus'], wantCode: 2, wantJson: { ok: false, ids: ['usage'] }, wantStderr: /unknown option '--bogus'/ },
    { argv: ['doctor', '--json', 'a', 'b'], wantCode: 2, wantJson: { ok: false, ids: ['usage'] }, wantStderr: /too many arguments/ },
  ])('$argv (skipped where: ' + noGit + ')', async ({ argv, wantCode, wantJson, wantStderr }) => {
    const r = await run(argv);
    const doc = JSON.parse(r.stdout) as { ok: boolean; checks: Array<{ id: string; status: string; fix?: string }> };
    expect({ ok: doc.ok, ids: doc.checks.map((c) => c.id) }).toEqual(wantJson);
    expect(doc.checks.at(-1)!.fix).toMatch(/git-credential-artifacts (configure|doctor --help)/);
    expect(r.stderr).toMatch(wantStderr);
    expect(r.code).toBe(wantCode);
  });

  it.skipIf(!gitRuns)('text: a line per check, the fix under a failure, a count; exit 1 (skipped where: ' + noGit + ')', async () => {
    const r = await run(['doctor']);
    expect(r.stdout).toMatch(/^FAIL {2}configured: no gitconfig block of ours[^\n]*\n {6}fix: git-credential-artifacts configure/m);
    expect(r.stdout).toMatch(/^1 failed, \d warnings, \d ok\n$/m);
    expect(r.code).toBe(1);
  });

  it.skipIf(!gitRuns)('a target URL with a password in it: the password is not printed (skipped where: ' + noGit + ')', async () => {
    writeFileSync(path.join(home, 'gitconfig'), `[credential "https://git.example.com"]\n\thelper = "!f() { case \\"$1\\" in get|erase) exec /nowhere/node /nowhere/git-credential-artifacts.cjs --api-url https://api.example.com/client/v4 \\"$@\\";; esac; }; f"\n`);
    try {
      const r = await run(['doctor', 'https://me:hunter2-in-the-url@other.example.com/git/default/x.git']);
      expect(r.stdout).toContain('no block of ours covers');
      expect(r.stdout).not.toContain('hunter2');
    } finally {
      rmSync(path.join(home, 'gitconfig'), { force: true });
    }
  });

  it('--help describes it and exits 0 without checking anything', async () => {
    const r = await run(['doctor', '--help']);
    expect(r.stdout).toMatch(/Usage: git-credential-artifacts doctor \[options\] \[remote-or-url\]/);
    expect(r.code).toBe(0);
  });
});
