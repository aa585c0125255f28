import { describe, expect, it } from 'vitest';
import { classifyCommand } from '../../../src/remote/classify.js';

// https://git-scm.com/docs/gitremote-helpers; docs/git-and-artifacts-behaviour.md,
// "Remote-helper commands".
describe('classifyCommand', () => {
  it.each([
    ['capabilities', 'preamble'],
    ['option progress true', 'preamble'],
    ['option verbosity 1', 'preamble'],
    ['option family ipv4', 'preamble'],
    ['option object-format true', 'preamble'],
    ['option dry-run true', 'preamble'],
    ['capabilities\r', 'preamble'],
    // write
    ['list for-push', 'write'],
    ['push refs/heads/main:refs/heads/main', 'write'],
    ['push +refs/heads/main:refs/heads/main', 'write'],
    ['push :refs/heads/gone', 'write'],
    ['export', 'write'],
    ['connect git-receive-pack', 'write'],
    ['list for-push\r', 'write'],
    // read
    ['list', 'read'],
    ['fetch 0123456789abcdef0123456789abcdef01234567 refs/heads/main', 'read'],
    ['import refs/heads/main', 'read'],
    ['stateless-connect git-upload-pack', 'read'],
    ['stateless-connect git-upload-archive', 'read'],
    ['connect git-upload-pack', 'read'],
    ['connect git-upload-archive', 'read'],
    ['get https://example.com/bundle /tmp/x', 'read'],
    // unknown: nothing recorded, so the credential helper's read default applies
    ['', undefined],
    ['list for-fetch', undefined],
    ['stateless-connect git-receive-pack', undefined],
    ['connect something-else', undefined],
    ['pushy', undefined],
    ['PUSH refs/heads/main:refs/heads/main', undefined],
    ['optional', undefined],
    ['check-connectivity', undefined],
  ])('%j -> %s', (line, expected) => {
    expect(classifyCommand(line)).toBe(expected);
  });
});
