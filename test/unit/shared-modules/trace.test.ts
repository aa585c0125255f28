// ARTIFACTS_TRACE's values (issue 21): 1/2/true to stderr, an absolute path to that file, and
// anything else refused with one notice on stderr, as git's GIT_TRACE does (trace.c).
import { describe, expect, it } from 'vitest';
import { makeTrace } from '../../../src/trace.js';

function traced(setting: string | undefined): string[] {
  const lines: string[] = [];
  const trace = makeTrace('tool', { ARTIFACTS_TRACE: setting }, (l) => void lines.push(l));
  trace('first', { a: 1 });
  trace('second');
  return lines;
}

describe('makeTrace', () => {
  it.each(['1', '2', 'true', 'TRUE'])('%s: every event on stderr', (setting) => {
    const lines = traced(setting);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\S+Z tool\[\d+\] first a=1\n$/);
  });
  it.each([undefined, '', '0', 'false'])('%s: off, silent', (setting) => {
    expect(traced(setting)).toEqual([]);
  });
  it.each(['trace.log', './trace.log', 'logs/t.txt', 'yes'])('%s (not absolute): one notice, no trace, no file', (setting) => {
    expect(traced(setting)).toEqual([`tool: ARTIFACTS_TRACE=${setting} ignored: give 1 (trace to stderr) or an absolute path to append to\n`]);
  });
  it('a control character in the setting is not echoed raw', () => {
    expect(traced('a\u001b[2Jb')[0]).toContain('a\\x1b[2Jb');
  });
});
