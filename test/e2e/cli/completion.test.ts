// `completion bash|zsh|fish` (issue 23), each script run by its real shell: bash calls the
// completion function as programmable completion does (COMP_WORDS, COMP_CWORD), zsh runs its
// completion widget in a pseudo-terminal (test/support/zsh-complete.zsh), fish answers
// `complete -C`. The scripts come from the built executable.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialBundle, repoRoot, run } from '../../support/git-home.js';
import { bashRuns, fishRuns, noShell, zshRuns } from '../../support/tools.js';

const tool = 'git-credential-artifacts';
let dir: string;
const scripts: Record<string, string> = {};
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'completion-'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await run(process.execPath, [credentialBundle, 'completion', shell]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    scripts[shell] = path.join(dir, `${tool}.${shell}`);
    writeFileSync(scripts[shell]!, r.stdout);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shellEnv = { PATH: process.env.PATH, HOME: os.tmpdir(), LANG: 'C', TERM: 'dumb' };
const lines = (text: string): string[] => text.split('\n').filter(Boolean);

/** bash: the words typed so far, the last one being completed. */
function bash(words: string[]): string[] {
  const arr = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const code = `source "$1"; COMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; _git_credential_artifacts; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', code, 'bash', scripts.bash!], { encoding: 'utf8', env: shellEnv, timeout: 20_000 });
  expect(r.status, r.stderr).toBe(0);
  return lines(r.stdout);
}

function zsh(line: string): string[] {
  const r = spawnSync('zsh', ['-f', path.join(repoRoot, 'test/support/zsh-complete.zsh'), scripts.zsh!, line], { encoding: 'utf8', env: shellEnv, timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  return lines(r.stdout);
}

/** fish: candidates without their descriptions. */
function fish(line: string): string[] {
  const r = spawnSync('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', scripts.fish!, line], { encoding: 'utf8', env: shellEnv, timeout: 20_000 });
  expect(r.status, r.stderr).toBe(0);
  return lines(r.stdout).map((l) => l.split('\t')[0]!);
}

// CI installs all three (.ci/run), so there a missing shell fails instead of skipping.
describe.runIf(process.env.ARTIFACTS_TEST_REQUIRE_SHELLS === '1')('the shells CI requires (ARTIFACTS_TEST_REQUIRE_SHELLS=1)', () => {
  it('bash, zsh (with zsh/zpty) and fish are installed', () => {
    expect({ bash: bashRuns, zsh: zshRuns, fish: fishRuns }).toEqual({ bash: true, zsh: true, fish: true });
  });
});

describe.skipIf(!bashRuns)(`bash${bashRuns ? '' : ` (skipped: ${noShell('bash')})`}`, () => {
  it.each([
    [['con'], ['configure']],
    [['token', '--scope', ''], ['read', 'write']],
    [['token', '--j'], ['--json']],
    [['revoke', '--js'], ['--json']],
    [['completion', ''], ['bash', 'zsh', 'fish']],
    [['help', 'to'], ['token']],
    [['token', '--account', ''], []],
  ])('%j', (typed, want) => {
    expect(bash([tool, ...typed])).toEqual(want);
  });
});

describe.skipIf(!zshRuns)(`zsh${zshRuns ? '' : ` (skipped: ${noShell('zsh')})`}`, () => {
  it.each([
    [`${tool} con`, ['configure']],
    [`${tool} token --scope `, ['read', 'write']],
    [`${tool} logout --j`, ['--json']],
  ])('%s', (typed, want) => {
    expect(zsh(typed)).toEqual(want);
  });
});

describe.skipIf(!fishRuns)(`fish${fishRuns ? '' : ` (skipped: ${noShell('fish')})`}`, () => {
  it.each([
    [`${tool} con`, ['configure']],
    [`${tool} token --scope `, ['read', 'write']],
    [`${tool} login --js`, ['--json']],
    [`${tool} completion `, ['bash', 'fish', 'zsh']],
  ])('%s', (typed, want) => {
    expect(fish(typed)).toEqual(want);
  });
});
