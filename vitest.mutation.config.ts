import { defineConfig } from 'vitest/config';

// Stryker runs every mutant against these: the pure core is pinned by unit and property
// tests, and e2e files (child processes, servers, seconds each) would make a run take hours.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/property/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
