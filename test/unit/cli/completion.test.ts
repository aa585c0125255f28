// Completion is generated from the commander definitions (issue 23): every command and option
// of the real program is in each script, a command added to a program shows up without any
// other change, and names and descriptions are quoted for their shell. The scripts themselves
// are run by bash, zsh and fish in test/e2e/cli/completion.test.ts.
import { Command, Option } from 'commander';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/program.js';
import { completionSpec, shortDescription } from '../../../src/cli/completion-spec.js';
import { completionScript, shells } from '../../../src/cli/completion-scripts.js';
import type { Io } from '../../../src/io.js';

const io = { argv: [], stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env: {}, now: Date.now, cwd: '/' } as Io;
const program = buildProgram(io, () => {});

describe('completionSpec reads the real program', () => {
  const spec = completionSpec(program);
  it('every command, commander\'s help command and its own options', () => {
    expect(spec.commands.map((c) => c.name)).toEqual([...program.commands.map((c) => c.name()), 'help']);
    const token = spec.commands.find((c) => c.name === 'token')!;
    expect(token.options.find((o) => o.names[0] === '--scope')).toMatchObject({ value: true, choices: ['read', 'write'] });
    expect(token.options.find((o) => o.names[0] === '--json')).toMatchObject({ value: false, choices: [] });
    expect(spec.commands.find((c) => c.name === 'completion')!.argChoices).toEqual(['bash', 'zsh', 'fish']);
    expect(spec.commands.find((c) => c.name === 'help')!.argChoices).toEqual(program.commands.map((c) => c.name()));
  });

  it.each(shells)('%s: every command and every long option of each is in the script', (shell) => {
    const script = completionScript(shell, spec);
    for (const cmd of program.commands) {
      expect(script).toContain(cmd.name());
      for (const o of cmd.options) {
        if (shell === 'fish') expect(script).toContain(`-l '${o.long!.slice(2)}'`);
        else expect(script).toMatch(new RegExp(`[' ]${o.long}[' ]`));
      }
    }
  });
});

describe('a command added to the program completes with no other change', () => {
  const extra = new Command('tool');
  extra.command('frobnicate').description("turns it: all the way").addOption(new Option('--level <n>', "how far it's turned").choices(['low', 'high']));
  const spec = completionSpec(extra);
  it.each(shells)('%s', (shell) => {
    const script = completionScript(shell, spec);
    expect(script).toContain('frobnicate');
    expect(script).toMatch(/low'? '?high/);
  });
  it('quoted for each shell', () => {
    expect(completionScript('zsh', spec)).toContain(`'--level  -- how far it'\\''s turned'`);
    expect(completionScript('fish', spec)).toContain(`-d 'how far it\\'s turned'`);
  });
});

describe('shortDescription', () => {
  it.each([
    ['sign in once: keep a token', 'sign in once'],
    ['revoke cached repo tokens on the server and drop them locally', 'revoke cached repo tokens on the server and drop them locally'],
    ['a; b', 'a'],
    ['x'.repeat(80), `${'x'.repeat(69)}…`],
  ])('%s', (text, want) => {
    expect(shortDescription(text)).toBe(want);
  });
});
