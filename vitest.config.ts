import { defineConfig } from 'vitest/config';

// Two projects: pure unit tables run in-process against the sources, and end-to-end runs of the
// built executables with real git against the emulator. Only the e2e project's globalSetup builds
// dist/ (once per run), so e2e tests exercise what ships and `--project unit` builds nothing.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
