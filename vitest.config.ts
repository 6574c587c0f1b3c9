import { configDefaults, defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/support/slow-first-sequencer.js';

/**
 * Minutes of installs, killed syncs and real generator builds: `npm run test:slow`, which CI
 * runs after `npm test`.
 */
const SLOW = [
  'test/crash/**/*.test.ts',
  'test/e2e/adoption.test.ts',
  'test/e2e/generators.test.ts',
  'test/e2e/init-generators.test.ts',
  'test/e2e/loaders.test.ts',
];

export default defineConfig({
  test: {
    setupFiles: ['test/setup/nock.ts'],
    globalSetup: ['test/setup/temp-root.ts'],
    // A guard against hangs, not a bound any test relies on: the e2e files synchronise on
    // events, and on a loaded 2-core machine a file's child processes may take this long.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Most e2e files wait on child processes and loopback servers: two at a time on a 2-core
    // machine (vitest would run one there) end sooner.
    maxWorkers: 2,
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      // isolate: false: the files of a worker share one module graph instead of loading src/ and its
      // packages again for each file (the unit project's CPU time falls by half). No test mocks a
      // module or changes process state it does not restore, so a file cannot see another's doing.
      {
        extends: true,
        // The code in this process, without a build: `npm run test:unit`.
        test: { name: 'unit', isolate: false, include: ['test/{unit,property,docs}/**/*.test.ts'] },
      },
      {
        extends: true,
        // The built CLI, loopback servers, the real disk, and sync() in process against them.
        test: {
          name: 'e2e',
          isolate: false,
          include: ['test/e2e/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SLOW],
        },
      },
      { extends: true, test: { name: 'slow', include: SLOW } },
    ],
  },
});
