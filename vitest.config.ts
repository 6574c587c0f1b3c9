import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/nock.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Most files wait on child processes and loopback servers: two at a time on a 2-core
    // machine (vitest would run one there) take 194 s instead of 264 s.
    maxWorkers: 2,
  },
});
