import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { operationScope } from '../../../src/credential/operation.js';
import { OperationFile } from '../../../src/remote/operation-file.js';

const posix = process.platform !== 'win32';
let base: string | undefined;
afterEach(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('OperationFile', () => {
  it('is a private file in a private dir that the credential helper accepts, and goes away', () => {
    base = mkdtempSync(path.join(os.tmpdir(), 'opfile-'));
    const op = new OperationFile({ TMPDIR: base });
    expect(path.dirname(op.dir)).toBe(base);
    if (posix) {
      expect(lstatSync(op.dir).mode & 0o777).toBe(0o700);
      expect(lstatSync(op.file).mode & 0o777).toBe(0o600);
    }
    const env = { ARTIFACTS_OPERATION_FILE: op.file };
    expect(operationScope(env)).toEqual({ scope: 'read', source: 'default (operation not recorded)' });
    op.record('write');
    expect(readFileSync(op.file, 'utf8')).toBe('write\n');
    expect(operationScope(env)).toEqual({ scope: 'write', source: 'git-remote-artifacts' });
    op.record('read');
    expect(operationScope(env)).toEqual({ scope: 'read', source: 'git-remote-artifacts' });
    op.remove();
    expect(existsSync(op.dir)).toBe(false);
  });
});
