import { defineConfig } from 'vitest/config';

// Stryker runs every mutant against these: the unit tests of the pure core and the property
// tests. Tests of the shell (HTTP client, locks, files, commands) and e2e files (child
// processes, servers, seconds each) pin no core rule and would make a run take hours.
export default defineConfig({
  test: {
    include: [
      'test/unit/plan.test.ts',
      'test/unit/report.test.ts',
      'test/unit/front-matter.test.ts',
      'test/unit/map/**/*.test.ts',
      'test/unit/render/**/*.test.ts',
      'test/unit/images/**/*.test.ts',
      'test/unit/http/address.test.ts',
      'test/unit/feed/parse.test.ts',
      'test/unit/feed/retry-after.test.ts',
      'test/unit/report/**/*.test.ts',
      'test/unit/core/**/*.test.ts',
      'test/property/**/*.test.ts',
    ],
    // Every mutant the property test covers runs it: a smaller budget than in `npm test`
    // keeps a full run in minutes; the unit tests are what must kill the mutants.
    env: { FC_NUM_RUNS: '10' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
