// The deferred session's preamble (src/remote/preamble.ts, issue 23): where git's first real
// command starts, and which of the real transport's answers are dropped when the kept lines are
// replayed to it. Tables over byte strings; chunk boundaries anywhere.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { maxCommandLine as maxPreambleLine } from '../../../src/remote/classify.js';
import { answerSkipper, dropAnswers, skipPlan, splitPreamble } from '../../../src/remote/preamble.js';

const b = (s: string): Buffer => Buffer.from(s);

describe('splitPreamble', () => {
  it.each([
    { name: 'nothing yet', input: '', preamble: '', lines: [], decided: undefined, pending: '' },
    { name: 'half a line', input: 'capab', preamble: '', lines: [], decided: undefined, pending: 'capab' },
    { name: 'capabilities only', input: 'capabilities\n', preamble: 'capabilities\n', lines: ['capabilities'], decided: undefined, pending: '' },
    {
      name: 'options, then a push',
      input: 'option progress true\noption verbosity 1\nlist for-push\n',
      preamble: 'option progress true\noption verbosity 1\n',
      lines: ['option progress true', 'option verbosity 1'],
      decided: { line: 'list for-push', held: 'list for-push\n' },
      pending: '',
    },
    {
      name: 'a fetch, and bytes after it',
      input: 'capabilities\nstateless-connect git-upload-pack\n0014command=ls-refs',
      preamble: 'capabilities\n',
      lines: ['capabilities'],
      decided: { line: 'stateless-connect git-upload-pack', held: 'stateless-connect git-upload-pack\n0014command=ls-refs' },
      pending: '',
    },
    { name: 'a read first', input: 'list\n', preamble: '', lines: [], decided: { line: 'list', held: 'list\n' }, pending: '' },
  ])('$name', ({ input, preamble, lines, decided, pending }) => {
    const got = splitPreamble(b(input));
    expect(got.preamble.toString()).toBe(preamble);
    expect(got.lines).toEqual(lines);
    expect(got.decided && { line: got.decided.line, held: got.decided.held.toString() }).toEqual(decided);
    expect(got.pending.toString()).toBe(pending);
  });

  it('an overlong unfinished line decides (as no command), holding everything', () => {
    const long = 'x'.repeat(maxPreambleLine + 1);
    const got = splitPreamble(b(`capabilities\n${long}`));
    expect(got.decided?.line).toBe('(overlong line)');
    expect(got.decided?.held.toString()).toBe(long);
    expect(got.pending.length).toBe(0);
  });
});

describe('skipPlan and dropAnswers', () => {
  it('plans a block for capabilities and a line per option', () => {
    expect(skipPlan(['capabilities', 'option progress true', 'option verbosity 1\r'])).toEqual(['block', 'line', 'line']);
    expect(skipPlan([])).toEqual([]);
  });

  const answers = 'stateless-connect\nfetch\npush\noption\n\nok\nunsupported\n';
  const after = ':object-format sha1\n\n';

  it.each([1, 2, 3, 7, 50])('drops the answers to the replayed lines whatever the chunk size (%i bytes)', (size) => {
    const state = { plan: skipPlan(['capabilities', 'option progress true', 'option atomic true']), pending: Buffer.alloc(0) };
    const all = b(answers + after);
    let out = '';
    for (let i = 0; i < all.length; i += size) out += dropAnswers(state, all.subarray(i, i + size)).toString();
    expect(out).toBe(after);
    expect(state.plan).toEqual([]);
  });

  it('with nothing to drop, passes everything on', () => {
    expect(dropAnswers({ plan: [], pending: Buffer.alloc(0) }, b(after)).toString()).toBe(after);
  });

  it('answerSkipper writes only what follows the dropped answers, and never ends its output', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const w = answerSkipper(skipPlan(['capabilities', 'option progress true', 'option atomic true']), out);
    await new Promise<void>((resolve) => w.end(b(answers + after), () => resolve()));
    expect(text).toBe(after);
    expect(out.writableEnded).toBe(false);
  });
});
