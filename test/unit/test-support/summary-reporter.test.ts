// The closing line against a real vitest run of fixture files: a file whose beforeAll throws and
// a file that cannot load both count as failed, and a skip note is said once.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'summary-reporter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files: Record<string, string> = {
  'setup-throws.test.ts': `import { beforeAll, it } from 'vitest';
beforeAll(() => { throw new Error('no service'); });
it('one', () => {});
it('two', () => {});`,
  'cannot-load.test.ts': `import './no-such-module.js';
import { it } from 'vitest';
it('never collected', () => {});`,
  'fine.test.ts': `import { describe, it } from 'vitest';
it('passes', () => {});
describe('needs a service', () => {
  it('skipped a', (ctx) => ctx.skip('install the thing to run these'));
  it('skipped b', (ctx) => ctx.skip('install the thing to run these'));
});`,
  'vitest.config.mjs': `export default { test: { include: ['*.test.ts'], reporters: [${JSON.stringify(path.join(root, 'test/support/summary-reporter.ts'))}] } };`,
};

it('a file whose set-up throws and a file that cannot load count as failed; each skip note once', async () => {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const run = await promisify(execFile)(process.execPath, [vitest, 'run', '--root', dir], { cwd: dir, timeout: 60_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  expect(run.code).toBe(1);
  expect(run.stdout).toContain('tests: 1 passed, 2 failed, 4 skipped');
  expect(run.stdout.match(/skipped: install the thing to run these/g)).toHaveLength(1);
}, 60_000);
