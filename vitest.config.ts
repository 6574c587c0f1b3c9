import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/support/slow-first-sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/nock.ts'],
    // A guard against hangs, not a bound any test relies on: the e2e files synchronise on
    // events, and on a loaded 2-core machine a file's child processes may take this long.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Most files wait on child processes and loopback servers: two at a time on a 2-core
    // machine (vitest would run one there) take 194 s instead of 264 s.
    maxWorkers: 2,
    sequence: { sequencer: SlowFirstSequencer },
  },
});
