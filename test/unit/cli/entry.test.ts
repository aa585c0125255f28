// The credential executable in-process: which argv goes where, and what each prints, with
// table rows {argv, stdin, env, want…} (as cli/cli's helper tests do). Nothing here reaches the
// network: requests for hosts we don't own are ignored before any cache or API work.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { credentialExecutable } from '../../../src/cli/entry.js';
import { isHelperCall } from '../../../src/credential/args.js';
import { runInProcess } from '../../support/in-process.js';

describe('isHelperCall', () => {
  it.each([
    [['get'], true],
    [['store'], true],
    [['erase'], true],
    [['--git-url', 'http://127.0.0.1:1', '--api-url', 'http://127.0.0.1:1/client/v4', '--account', 'a', 'get'], true],
    [['--read-ttl=60', 'get'], true],
    [['--bogus', 'x', 'get'], true], // git calling with a bad helper line: parseHelperArgs reports it
    [[], false],
    [['configure'], false],
    [['configure', 'get'], false],
    [['--help'], false],
    [['--version'], false],
    [['get', 'extra'], false],
    [['--', 'get'], false],
    [['unconfigure', '--git-url', 'get'], false],
  ])('%j -> %s', (argv, want) => {
    expect(isHelperCall(argv)).toBe(want);
  });
});

const home = mkdtempSync(path.join(os.tmpdir(), 'entry-test-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function run(argv: string[], stdin = '', env: NodeJS.ProcessEnv = {}) {
  const fullEnv = { HOME: home, GIT_CONFIG_GLOBAL: path.join(home, 'gitconfig'), ARTIFACTS_CACHE_DIR: path.join(home, 'cache'), ...env };
  return runInProcess(credentialExecutable, { argv, stdin, env: fullEnv, now: () => 1_700_000_000_000, cwd: home });
}

describe('credentialExecutable in-process', () => {
  const rows: Array<{ name: string; argv: string[]; stdin?: string; wantCode: number; wantStdout: string | RegExp; wantStderr: string | RegExp }> = [
    { name: 'get for a host we do not own: silence', argv: ['get'], stdin: 'protocol=https\nhost=github.com\npath=a/b.git\n', wantCode: 0, wantStdout: '', wantStderr: '' },
    { name: 'store is a no-op', argv: ['store'], stdin: 'protocol=https\nhost=x\nusername=u\npassword=p\n', wantCode: 0, wantStdout: '', wantStderr: '' },
    { name: 'a hostile request: rejected, nothing answered', argv: ['get'], stdin: 'protocol=https\nhost=a\rhost=b\n', wantCode: 2, wantStdout: '', wantStderr: /^git-credential-artifacts: rejected credential request: /m },
    { name: 'a bad helper flag is a usage error on stderr', argv: ['--bogus', 'x', 'get'], wantCode: 2, wantStdout: '', wantStderr: 'git-credential-artifacts: unknown option --bogus\ngit-credential-artifacts: hint: see `git-credential-artifacts --help`\n' },
    { name: '--version goes to the human CLI', argv: ['--version'], wantCode: 0, wantStdout: /^(dev|\d+\.\d+\.\d+.*)\n$/, wantStderr: '' },
    { name: 'no arguments: help on stderr, usage exit', argv: [], wantCode: 2, wantStdout: '', wantStderr: /Usage: git-credential-artifacts/ },
    { name: '--help: usage on stdout, exit 0', argv: ['--help'], wantCode: 0, wantStdout: /Usage: git-credential-artifacts[\s\S]*ARTIFACTS_READ_TTL/, wantStderr: '' },
    { name: 'configure --help lists every knob with its bounds', argv: ['configure', '--help'], wantCode: 0, wantStdout: /--read-ttl <seconds>[\s\S]*60\.\.31536000[\s\S]*--timeout <seconds>/, wantStderr: '' },
    { name: 'configure --bogus: our name, a pointer to --help, exit 2 (inherited overrides)', argv: ['configure', '--bogus'], wantCode: 2, wantStdout: '', wantStderr: "git-credential-artifacts: unknown option '--bogus'\ngit-credential-artifacts: hint: see `git-credential-artifacts --help`\n" },
    { name: 'an unknown command', argv: ['frobnicate'], wantCode: 2, wantStdout: '', wantStderr: /^git-credential-artifacts: unknown command 'frobnicate'/ },
    { name: 'configure --read-ttl 10: refused before writing', argv: ['configure', '--read-ttl', '10'], wantCode: 2, wantStdout: '', wantStderr: /--read-ttl must be between 60 and 31536000 seconds, got 10/ },
    { name: 'configure --timeout abc', argv: ['configure', '--timeout', 'abc'], wantCode: 2, wantStdout: '', wantStderr: /--timeout must be a number of seconds, got "abc"/ },
    { name: 'a refresh margin as long as a TTL', argv: ['configure', '--write-ttl', '300'], wantCode: 2, wantStdout: '', wantStderr: /--refresh-margin \(300 s, plus up to 10 % spread\) must be shorter than --write-ttl \(300 s\)/ },
    // The spread counts: 300 s plus 10 % do not fit into 330 s.
    { name: 'a refresh margin whose spread reaches a TTL', argv: ['configure', '--write-ttl', '330'], wantCode: 2, wantStdout: '', wantStderr: /must be shorter than --write-ttl \(330 s\)/ },
    { name: 'unconfigure with no gitconfig: nothing to do, nothing created', argv: ['unconfigure'], wantCode: 0, wantStdout: '', wantStderr: '' },
  ];
  it.each(rows)('$name', async (row) => {
    const r = await run(row.argv, row.stdin);
    expect(r.code).toBe(row.wantCode);
    if (typeof row.wantStdout === 'string') expect(r.stdout).toBe(row.wantStdout);
    else expect(r.stdout).toMatch(row.wantStdout);
    if (typeof row.wantStderr === 'string') expect(r.stderr).toBe(row.wantStderr);
    else expect(r.stderr).toMatch(row.wantStderr);
  });
});
