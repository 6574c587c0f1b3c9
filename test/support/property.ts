import type fc from 'fast-check';

/**
 * Property tests draw from a fixed seed so a CI run is repeatable; a failure prints the seed
 * and path (fast-check puts both in its error). `FC_SEED=<n>` replays or explores another
 * seed, `FC_NUM_RUNS=<n>` raises the budget for a long local hunt.
 */
export const FC_SEED = Number(process.env['FC_SEED'] ?? 20_190_509);

export function propertyOptions(numRuns: number): fc.Parameters<unknown> {
  const runs = process.env['FC_NUM_RUNS'] ? Number(process.env['FC_NUM_RUNS']) : numRuns;
  return { seed: FC_SEED, numRuns: runs };
}
