// Prints one plain closing line, `tests: N passed, N failed, N skipped`, after vitest's own
// summary, so any CI log reader can count the run without knowing vitest's format. A file or
// suite that failed to load or set up (a throwing beforeAll, an import error) counts as one
// failure even though vitest marks its tests skipped: the line never says 0 failed for a run
// that exits 1. Each distinct reason a test was skipped with (`ctx.skip(note)`) is said once.
import type { Reporter, TestModule, TestSuite } from 'vitest/node';

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  notes: string[];
}

/** Pure: the counts of a finished run. */
export function summarize(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown> = []): Summary {
  const s: Summary = { passed: 0, failed: unhandledErrors.length, skipped: 0, notes: [] };
  for (const mod of modules) {
    for (const test of mod.children.allTests()) {
      const result = test.result();
      if (result.state === 'passed') s.passed++;
      else if (result.state === 'failed') s.failed++;
      else {
        s.skipped++;
        const note = result.state === 'skipped' ? result.note : undefined;
        if (note && !s.notes.includes(note)) s.notes.push(note);
      }
    }
    for (const unit of [mod, ...mod.children.allSuites()]) if (failedItself(unit)) s.failed++;
  }
  return s;
}

/** A module or suite that failed while none of its own tests did: its set-up or collection broke. */
function failedItself(unit: TestModule | TestSuite): boolean {
  if (unit.state() !== 'failed' && unit.errors().length === 0) return false;
  for (const test of unit.children.allTests()) if (test.result().state === 'failed') return false;
  // A suite's failure already counted for an inner suite that failed itself.
  for (const inner of unit.children.allSuites()) if (inner.state() === 'failed') return false;
  return true;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const s = summarize(modules, unhandledErrors);
    for (const note of s.notes) process.stdout.write(`\nskipped: ${note}`);
    process.stdout.write(`\ntests: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped\n`);
  }
}
