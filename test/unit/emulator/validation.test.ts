import { describe, expect, it } from 'vitest';
import { accountError, branchError, isOpaqueId, namespaceError, pathError, refError, repoNameError } from '../../../src/emulator/validation.js';

describe('repoNameError', () => {
  it.each([
    ['demo', true],
    ['a', true],
    ['My.Repo_1-x', true],
    ['9lives', true],
    ['x'.repeat(100), true],
    ['x'.repeat(255), true], // the schema has no maximum; the client's 255
    ['x'.repeat(256), false],
    ['', false],
    ['.hidden', false],
    ['-dash', false],
    ['_under', false],
    ['..', false],
    ['a..b', false],
    ['a/b', false],
    ['a%2Fb', false],
    ['a\\b', false],
    ['a b', false],
    ['a\nb', false],
    ['a\u0000', false],
    ['ünï', false],
    ['repo.git', false],
  ])('%j valid=%s', (name, valid) => {
    expect(repoNameError(name) === null).toBe(valid);
  });
});

describe('namespaceError', () => {
  it.each([
    ['ns', true],
    ['team-a.b_c', true],
    ['ends.', true],
    ['x'.repeat(63), true],
    ['x'.repeat(64), false],
    ['a', false],
    ['-ns', false],
    ['ns-', false],
    ['n/s', false],
    ['..', false],
    ['n s', false],
  ])('%j valid=%s', (ns, valid) => {
    expect(namespaceError(ns) === null).toBe(valid);
  });
});

describe('accountError', () => {
  it.each([
    ['023e105f4ecef8ad9ca31a8372d0c353', true],
    ['test-account_1', true],
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
    ['', false],
    ['a.b', false],
    ['a/b', false],
  ])('%j valid=%s', (account, valid) => {
    expect(accountError(account) === null).toBe(valid);
  });
});

describe('branchError', () => {
  it.each([
    ['main', true],
    ['release/1.0', true],
    ['a'.repeat(256), true], // the schema's 1..256
    ['a'.repeat(257), false],
    ['9.x', true],
    ['.x', false], // the schema's ^[a-zA-Z0-9]
    ['_x', false],
    ['/x', false],
    ['x.', false],
    ['a..b', false],
    ['-x', false],
    ['x.lock', false],
    ['x/', false],
    ['a//b', false],
    ['a/.b', false],
    ['a b', false],
    ['', false],
  ])('%j valid=%s', (branch, valid) => {
    expect(branchError(branch) === null).toBe(valid);
  });
});

describe('refError', () => {
  it.each([
    ['main', true],
    ['HEAD', true],
    ['v1.0', true],
    ['feature/x', true],
    ['refs/tags/v1', true],
    ['0123456789abcdef0123456789abcdef01234567', true],
    ['0123456789ABCDEF0123456789ABCDEF01234567', true], // a (strange) branch name, not an id
    ['-n', false],
    ['--output=/tmp/x', false],
    ['HEAD~1', false],
    ['HEAD^', false],
    ['main@{1}', false],
    ['a..b', false],
    ['main:README', false],
    ['a\u0000b', false],
    ['', false],
    ['x'.repeat(257), false],
  ])('%j valid=%s', (ref, valid) => expect(refError(ref) === null).toBe(valid));
});

describe('pathError', () => {
  it.each([
    ['README.md', true],
    ['src/a b/ü.txt', true],
    ['.github/workflows/ci.yml', true],
    ['a\\b', true],
    ['x'.repeat(4096), true],
    ['x'.repeat(4097), false],
    ['', false],
    ['/etc/passwd', false],
    ['../x', false],
    ['a/../../x', false],
    ['a/./b', false],
    ['.', false],
    ['a//b', false],
    ['a/', false],
    ['a\u0000b', false],
  ])('%j valid=%s', (p, valid) => expect(pathError(p) === null).toBe(valid));
});

describe('isOpaqueId', () => {
  it.each([
    ['k3v9x0a1b2c3d4e5', true],
    ['tok_123', true],
    ['a/b', false],
    ['', false],
    ['x'.repeat(65), false],
  ])('%j -> %s', (id, ok) => expect(isOpaqueId(id)).toBe(ok));
});
