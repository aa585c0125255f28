// One doctor check's result: what it looked at, what it found, and the exact command that fixes
// it. `warn` works but is worth knowing; `fail` means git operations will fail or leak.
export type Status = 'ok' | 'warn' | 'fail';

export interface Check {
  id: string;
  status: Status;
  found: string;
  /** What to run (or do) to fix it; absent when there is nothing to fix. */
  fix?: string;
}

export const ok = (id: string, found: string): Check => ({ id, status: 'ok', found });
export const warn = (id: string, found: string, fix?: string): Check => ({ id, status: 'warn', found, ...(fix ? { fix } : {}) });
export const fail = (id: string, found: string, fix?: string): Check => ({ id, status: 'fail', found, ...(fix ? { fix } : {}) });
