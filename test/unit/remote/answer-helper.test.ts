// The child's sh helper (src/remote/answer-helper.ts), run by the real sh exactly as git runs a
// `!` helper (`sh -c '<value> "$@"' <value> <action>`), against real files: it prints the
// prepared answer only for the child's own remote, and hands everything else to the real
// helper, which here records what it was given.
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answerHelperCommand, confirmScript, expectedRequest, helperScript } from '../../../src/remote/answer-helper.js';
import { helperCommand } from '../../../src/gitconfig/helper-command.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'answer helper '));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const files = { answer: path.join(dir, "it's the answer"), helper: path.join(dir, 'helper'), confirm: path.join(dir, 'confirm') };
const record = path.join(dir, 'real-helper.sh');
// The "real helper": prints what it was called with and what it read, so a test sees both.
writeFileSync(record, 'printf "real %s\\n" "$*"; while IFS= read -r l; do printf "in %s\\n" "$l"; done\n');
writeFileSync(files.helper, helperScript(helperCommand(['sh', record], [])));
const expect0 = { protocol: 'https', host: '0123456789abcdef0123456789abcdef.artifacts.cloudflare.net', path: 'git/ns/repo.git' } as const;
const own = `protocol=${expect0.protocol}\nhost=${expect0.host}\npath=${expect0.path}\n`;

const shells = ['sh', 'bash'].filter((sh) => spawnSync(sh, ['-c', 'true']).status === 0);

function runHelper(shell: string, action: string, input: string, answer: string | null = 'username=x\npassword=s3cret\npassword_expiry_utc=1900000000\n') {
  if (answer === null) rmSync(files.answer, { force: true });
  else writeFileSync(files.answer, answer);
  const value = answerHelperCommand(files, expect0).slice(1);
  const r = spawnSync(shell, ['-c', `${value} "$@"`, value, action], { input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('store: only our confirmation, never the real helper', () => {
  for (const shell of ['sh', 'bash']) it.skipIf(!shells.includes(shell))(`${shell}: with no confirm file, store does nothing; with one, it leaves c-<parent pid> in the heal dir (skipped where ${shell} does not run: Wine here has no Git for Windows)`, () => {
    const heal = mkdtempSync(path.join(dir, 'heal '));
    rmSync(files.confirm, { force: true });
    const none = runHelper(shell, 'store', `${own}username=x\npassword=s3cret\n\n`);
    expect(none).toEqual({ code: 0, out: '', err: '' });
    writeFileSync(files.confirm, confirmScript(heal));
    const r = runHelper(shell, 'store', `${own}username=x\npassword=s3cret\n\n`);
    expect(r).toEqual({ code: 0, out: '', err: '' }); // the recording real helper was not run
    expect(readFileSync(path.join(heal, `c-${process.pid}`), 'utf8')).toBe('');
    rmSync(files.confirm);
  });
});

describe('helperScript: the helper value as git runs it', () => {
  it.each([
    ['!f() { echo; }; f', 'f() { echo; }; f "$@"\n'],
    ['/usr/local/bin/helper --x', '/usr/local/bin/helper --x "$@"\n'],
    ['C:/bin/helper.exe', 'C:/bin/helper.exe "$@"\n'],
    ['store --file ~/.s', 'git credential-store --file ~/.s "$@"\n'],
  ])('%s', (value, want) => expect(helperScript(value)).toBe(want));
});

describe('expectedRequest: what git sends for the child URL', () => {
  it.each([
    ['https://0123456789abcdef0123456789abcdef.artifacts.cloudflare.net/git/ns/repo.git', 'https://0123456789abcdef0123456789abcdef.artifacts.cloudflare.net', { protocol: 'https', host: '0123456789abcdef0123456789abcdef.artifacts.cloudflare.net', path: 'git/ns/repo.git' }],
    ['http://127.0.0.1:8787/git/default/r.git', 'http://127.0.0.1:8787', { protocol: 'http', host: '127.0.0.1:8787', path: 'git/default/r.git' }],
    // git sends the path without the URL's trailing slash.
    ['http://127.0.0.1:8787/git/default/r.git/', 'http://127.0.0.1:8787', { protocol: 'http', host: '127.0.0.1:8787', path: 'git/default/r.git' }],
    // Not in plain form: git's view could differ from ours, so no answer of our own.
    ['https://ABC.artifacts.cloudflare.net/git/ns/r.git', 'https://abc.artifacts.cloudflare.net', undefined],
    ['https://h.example/git/ns/r%2e.git', 'https://h.example', undefined],
    ['https://h.example/git//r.git', 'https://h.example', undefined],
    ['http://[::1]:80/git/a/b.git', 'http://[::1]:80', undefined],
    ['https://h.example', 'https://h.example', undefined],
  ])('%s', (url, origin, want) => expect(expectedRequest(url, origin)).toEqual(want));
});

// dash is Debian's sh; bash is Git for Windows' sh and macOS's.

describe.each(shells)('the child helper under %s', (shell) => {
  it("get for the child's own remote: the answer file, nothing else run", () => {
    const r = runHelper(shell, 'get', `${own}capability[]=authtype\nwwwauth[]=Basic realm="artifacts"\n\n`);
    expect(r).toEqual({ code: 0, out: 'username=x\npassword=s3cret\npassword_expiry_utc=1900000000\n', err: '' });
  });

  it('get without a prepared answer: the real helper, given the request', () => {
    const r = runHelper(shell, 'get', `${own}\n`, null);
    expect(r.out).toBe(`real get\nin protocol=https\nin host=${expect0.host}\nin path=${expect0.path}\nin \n`);
  });

  it('store: nothing runs; erase: the real helper with git\'s own input', () => {
    expect(runHelper(shell, 'store', `${own}username=x\npassword=s3cret\n\n`)).toEqual({ code: 0, out: '', err: '' });
    expect(runHelper(shell, 'erase', `${own}password=s3cret\n\n`).out).toBe(`real erase\nin protocol=https\nin host=${expect0.host}\nin path=${expect0.path}\nin password=s3cret\nin \n`);
  });

  it('a helper or answer file that is a symlink is neither sourced nor printed', () => {
    const elsewhere = path.join(dir, 'elsewhere');
    writeFileSync(elsewhere, 'printf "planted\\n"\n');
    const keep = readFileSync(files.helper, 'utf8');
    rmSync(files.helper);
    symlinkSync(elsewhere, files.helper);
    try {
      const r = runHelper(shell, 'erase', `${own}\n`);
      expect(r.out).not.toContain('planted');
      rmSync(files.answer, { force: true });
      writeFileSync(elsewhere, 'username=x\npassword=planted\n');
      symlinkSync(elsewhere, files.answer);
      const g = spawnSync(shell, ['-c', `${answerHelperCommand(files, expect0).slice(1)} "$@"`, 'x', 'get'], { input: `${own}\n`, encoding: 'utf8' });
      expect(g.stdout).not.toContain('planted');
    } finally {
      rmSync(files.helper, { force: true });
      rmSync(files.answer, { force: true });
      writeFileSync(files.helper, keep);
    }
  });

  it.skipIf(process.getuid?.() !== 0)("a helper file someone else owns is not sourced (root can chown to test it)", () => {
    const keep = readFileSync(files.helper, 'utf8');
    writeFileSync(files.helper, 'printf "planted\\n"\n');
    chownSync(files.helper, 65534, 65534);
    try {
      expect(runHelper(shell, 'erase', `${own}\n`).out).not.toContain('planted');
    } finally {
      rmSync(files.helper, { force: true });
      writeFileSync(files.helper, keep);
    }
  });

  it.each([
    ['another host (a redirect)', own.replace(expect0.host, 'evil.example')],
    ['another port', own.replace(expect0.host, `${expect0.host}:444`)],
    ['another path', own.replace('git/ns/repo.git', 'git/ns/other.git')],
    ['a host given twice', `${own}host=${expect0.host}\n`],
    ['a url= line', `${own}url=https://evil.example/\n`],
    ['no path', own.replace(/path=.*\n/, '')],
    ['a CR after the host', own.replace(expect0.host, `${expect0.host}\r`)],
    ['http instead of https', own.replace('protocol=https', 'protocol=http')],
  ])('get with %s: never the answer, the real helper decides', (_name, request) => {
    const r = runHelper(shell, 'get', `${request}\n`);
    expect(r.out).not.toContain('s3cret');
    expect(r.out).toMatch(/^real get\n/);
  });

  it('property: the answer is printed exactly when protocol, host and path are the expected ones, once each', () => {
    const field = fc.oneof(
      fc.constantFrom(`protocol=${expect0.protocol}`, `host=${expect0.host}`, `path=${expect0.path}`),
      fc.constantFrom('protocol=http', 'host=evil.example', 'path=git/ns/other.git', 'username=x', 'capability[]=authtype', 'url=https://evil.example/'),
      fc.string({ unit: fc.constantFrom('a', '=', 'h', 'o', 's', 't', '/', ' ', '\\', "'", '$'), maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(field, { maxLength: 6 }), (lines) => {
        // git's request ends at the first empty line (gitcredentials(7)); what follows is not part of it.
        const end = lines.indexOf('');
        const req = end === -1 ? lines : lines.slice(0, end);
        const once = (key: string, value: string) => req.filter((l) => l === `${key}=${value}`).length === 1 && req.filter((l) => l.startsWith(`${key}=`)).length === 1;
        const ok = once('protocol', expect0.protocol) && once('host', expect0.host) && once('path', expect0.path) && !req.some((l) => l.startsWith('url='));
        const r = runHelper(shell, 'get', `${lines.join('\n')}${lines.length ? '\n' : ''}\n`);
        expect(r.out.includes('password=s3cret'), JSON.stringify(lines)).toBe(ok);
      }),
      // The first: all three fields, then the empty line that ends the request (found by a CI run).
      { numRuns: 150, examples: [[[`host=${expect0.host}`, `path=${expect0.path}`, `protocol=${expect0.protocol}`, '']], [['', own.trimEnd()]]] },
    );
  }, 60_000); // 150 real sh runs: seconds on an idle machine, more on a loaded CI runner (a CI run hit 5 s)
});
