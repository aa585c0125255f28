// The human CLI in-process, through programMain and the Io seam: rows {argv, stdin, env,
// wantStdout, wantStderr, wantCode} as cli/cli's helper_test.go does, plus what the global
// gitconfig (GIT_CONFIG_GLOBAL in a throw-away HOME) holds afterwards. configure and
// unconfigure write the real file; nothing else is faked.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { programMain } from '../../../src/cli/program.js';
import { runInProcess } from '../../support/in-process.js';

const tool = 'git-credential-artifacts';
const emu = 'http://127.0.0.1:8787';
const endpoint = ['--git-url', emu, '--api-url', `${emu}/client/v4`, '--account', 'acct'];
const hint = `${tool}: hint: see \`${tool} --help\`\n`;

let home: string;
let gitconfig: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'program-main-'));
  gitconfig = path.join(home, 'gitconfig');
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const run = (argv: string[], env: NodeJS.ProcessEnv = {}, stdin?: string) =>
  runInProcess(programMain, { argv, stdin, env: { HOME: home, GIT_CONFIG_GLOBAL: gitconfig, PATH: process.env.PATH, ...env }, cwd: home });
const config = () => (existsSync(gitconfig) ? readFileSync(gitconfig, 'utf8') : undefined);

interface Row {
  name: string;
  argv: string[];
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  wantStdout: RegExp | string;
  wantStderr: RegExp | string;
  wantCode: number;
  /** The global gitconfig afterwards: undefined means not written at all. */
  wantConfig?: RegExp;
}

const rows: Row[] = [
  { name: '--help: usage on stdout', argv: ['--help'], wantStdout: /^Usage: git-credential-artifacts \[options\] \[command\]\n[\s\S]*\n {2}configure \[options\]/, wantStderr: '', wantCode: 0 },
  { name: 'configure --help', argv: ['configure', '--help'], wantStdout: /^Usage: git-credential-artifacts configure \[options\]\n[\s\S]*--read-ttl <seconds>/, wantStderr: '', wantCode: 0 },
  { name: '--version', argv: ['--version'], wantStdout: /^(dev|\d+\.\d+\.\d+\S*)\n$/, wantStderr: '', wantCode: 0 },
  { name: 'no arguments: usage on stderr, exit 2', argv: [], wantStdout: '', wantStderr: /^Usage: git-credential-artifacts/, wantCode: 2 },
  { name: 'an unknown command', argv: ['frobnicate'], wantStdout: '', wantStderr: /^git-credential-artifacts: unknown command 'frobnicate'\n/, wantCode: 2 },
  { name: 'an unknown option of configure', argv: ['configure', '--bogus'], wantStdout: '', wantStderr: `${tool}: unknown option '--bogus'\n${hint}`, wantCode: 2 },
  { name: 'a knob below its bounds', argv: ['configure', ...endpoint, '--read-ttl', '5'], wantStdout: '', wantStderr: /^git-credential-artifacts: .*--read-ttl.*\n(.*\n)?$/, wantCode: 2 },
  { name: 'a knob that is no number', argv: ['configure', ...endpoint, '--timeout', 'soon'], wantStdout: '', wantStderr: /^git-credential-artifacts: .*--timeout.*\n(.*\n)?$/, wantCode: 2 },
  {
    // One endpoint rule (src/endpoint/): --api-url alone keeps Cloudflare's git hosts and
    // sends the API calls where the user said.
    name: '--api-url alone: Cloudflare git hosts with that API URL',
    argv: ['configure', '--api-url', `${emu}/client/v4`],
    wantStdout: /^Artifacts configuration was added to .*gitconfig\n$/,
    wantStderr: /^git-credential-artifacts: no --account given: [^\n]*\n$/,
    wantCode: 0,
    wantConfig: new RegExp(`^# >>> git-credential-artifacts https://\\*\\.artifacts\\.cloudflare\\.net >>>\n[\\s\\S]* --api-url ${emu}/client/v4 [\\s\\S]*<<<\n$`),
  },
  { name: 'plain http to a public host', argv: ['configure', '--git-url', 'http://example.com', '--api-url', 'http://example.com/client/v4'], wantStdout: '', wantStderr: /^git-credential-artifacts: .*https.*\n(.*\n)?$/, wantCode: 2 },
  {
    name: 'configure a custom endpoint: one marked block in the global gitconfig',
    argv: ['configure', ...endpoint],
    wantStdout: /^Artifacts configuration was added to .*gitconfig\n$/,
    // Unit tests build no dist/, so git-remote-artifacts is not on PATH: said, not fatal.
    wantStderr: /^(git-credential-artifacts: git-remote-artifacts is not on PATH[^\n]*\ngit-credential-artifacts: hint: [^\n]*\n)?$/,
    wantCode: 0,
    wantConfig: new RegExp(
      `^# >>> git-credential-artifacts ${emu} >>>\n\\[credential "${emu}"\\]\n\thelper =\n\thelper = "!f\\(\\) \\{ case [^\n]* --git-url ${emu} --api-url ${emu}/client/v4 --account acct [^\n]*\n\tuseHttpPath = true\n[\\s\\S]*# <<< git-credential-artifacts ${emu} <<<\n$`,
    ),
  },
  { name: 'configure --dry-run writes nothing', argv: ['configure', ...endpoint, '--dry-run'], wantStdout: /^Artifacts configuration would be added to .*gitconfig\n {2}credential "http:\/\/127\.0\.0\.1:8787"\.helper=\n/, wantStderr: /^(git-credential-artifacts: git-remote-artifacts is not on PATH[^\n]*\n[^\n]*\n)?$/, wantCode: 0 },
  { name: 'unconfigure with nothing configured', argv: ['unconfigure'], wantStdout: '', wantStderr: '', wantCode: 0 },
];

describe('programMain in-process', () => {
  it.each(rows)('$name', async (row) => {
    const r = await run(row.argv, row.env, row.stdin);
    if (typeof row.wantStdout === 'string') expect(r.stdout).toBe(row.wantStdout);
    else expect(r.stdout).toMatch(row.wantStdout);
    if (typeof row.wantStderr === 'string') expect(r.stderr).toBe(row.wantStderr);
    else expect(r.stderr).toMatch(row.wantStderr);
    expect(r.code).toBe(row.wantCode);
    if (row.wantConfig) expect(config()).toMatch(row.wantConfig);
    else expect(config()).toBeUndefined();
  });

  it('configure twice is one block; unconfigure leaves the rest of the file byte for byte', async () => {
    const mine = '[user]\n\tname = Someone\n';
    writeFileSync(gitconfig, mine);
    expect((await run(['configure', ...endpoint])).code).toBe(0);
    expect((await run(['configure', ...endpoint])).code).toBe(0);
    expect(config()!.match(/^# >>> /gm)).toHaveLength(1);
    expect(config()!.startsWith(mine)).toBe(true);
    const r = await run(['unconfigure']);
    expect(r.code, r.stderr).toBe(0);
    expect(config()).toBe(mine);
  });

  it('a global gitconfig under a file (ENOTDIR): one message and a hint, exit 1, no stack', async () => {
    const file = path.join(home, 'file');
    writeFileSync(file, '');
    const r = await run(['configure', ...endpoint], { GIT_CONFIG_GLOBAL: path.join(file, 'gitconfig') });
    expect(r.code).toBe(1);
    // Windows says ENOENT (ERROR_PATH_NOT_FOUND) where POSIX says ENOTDIR.
    const errno = process.platform === 'win32' ? 'ENOENT' : 'ENOTDIR';
    expect(r.stderr).toMatch(new RegExp(`^git-credential-artifacts: [^\\n]*${errno}[^\\n]*\\ngit-credential-artifacts: hint: [^\\n]+\\n$`));
    expect(r.stdout, r.stderr).toBe('');
  });
});

describe('commanderErrorText: never a value from argv (issue 21)', () => {
  it.each([
    ["error: unknown option '--with-token=cfut_secret1234567'", "unknown option '--with-token=…' (its value is not shown)"],
    ["error: unknown option '--bogus'", "unknown option '--bogus'"],
    ["error: option '--scope <scope>' argument 'cfut_x0123456789abcdef' is invalid. Allowed choices are read, write.", "option '--scope <scope>' argument (not shown) is invalid. Allowed choices are read, write."],
    ["error: option '--port <n>' argument 'abc' is invalid.", "option '--port <n>' argument 'abc' is invalid."],
  ])('%s', async (input, want) => {
    const { commanderErrorText } = await import('../../../src/commander-style.js');
    expect(commanderErrorText(input)).toBe(want);
  });
});

describe('help for a command that does not exist (issue 21)', () => {
  it('one line naming the commands, a hint, exit 2', async () => {
    const r = await runInProcess((io) => programMain(io), { argv: ['help', 'nosuch'] });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'git-credential-artifacts: no command "nosuch"; the commands are configure, unconfigure, login, logout, status, revoke, token, completion, doctor\n' +
        'git-credential-artifacts: hint: see `git-credential-artifacts --help`, or `git-credential-artifacts help <command>`\n',
    });
  });
  it('help <command> still prints that command\'s help', async () => {
    const r = await runInProcess((io) => programMain(io), { argv: ['help', 'login'] });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: git-credential-artifacts login \[options\]/);
  });
});
