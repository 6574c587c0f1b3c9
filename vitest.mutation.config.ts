import { defineConfig } from 'vitest/config';
import LoadFailureAsFailedTest from './test/support/load-failure-reporter.js';

// Stryker runs every mutant against these: the unit tests of the pure core. Tests of the
// shell (HTTP client, locks, files, commands) and e2e files (child processes, servers,
// seconds each) pin no core rule and would make a run take hours. The property test is left
// out too: its 10 kB strings through the instrumented YAML emitter take tens of seconds a
// run (it timed out in Stryker's dry run on a loaded 2-core machine), and a mutant it alone
// would kill is a rule no unit test states, which is what this run is meant to find.
export default defineConfig({
  test: {
    include: [
      'test/unit/plan/**/*.test.ts',
      'test/unit/frontmatter/**/*.test.ts',
      'test/unit/map/**/*.test.ts',
      'test/unit/render/**/*.test.ts',
      'test/unit/images/**/*.test.ts',
      'test/unit/http/address*.test.ts',
      'test/unit/http/retry-after.test.ts',
      'test/unit/feed/parse*.test.ts',
      'test/unit/report/**/*.test.ts',
      'test/unit/text/terminal*.test.ts',
      'test/unit/sync/**/*.test.ts',
      'test/unit/summary.test.ts',
    ],
    // The same guard as the whole suite's: no test reaches the internet, whatever a mutant does.
    setupFiles: ['test/setup/nock.ts'],
    reporters: ['default', new LoadFailureAsFailedTest()],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
