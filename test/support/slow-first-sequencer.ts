import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest first, so the two workers end together: in `test:slow` the installs,
 * killed syncs and generator builds (20-70 s each), in `npm test` the files that wait on signals,
 * timeouts, git and fast-check (5-20 s each). Vitest orders by last durations when it has them,
 * but a clean clone (CI) has none and it then starts the largest files first, which are not
 * these. A file missing from this list only runs in vitest's own order; the list decides speed,
 * never results.
 */
const SLOW_FIRST = [
  'test/e2e/adoption.test.ts',
  'test/crash/crash.test.ts',
  'test/e2e/generators.test.ts',
  'test/e2e/init-generators.test.ts',
  'test/e2e/loaders.test.ts',
  'test/e2e/worker.test.ts',
  'test/e2e/faults.test.ts',
  'test/e2e/untrusted-site.test.ts',
  'test/e2e/yaml-readers.test.ts',
  'test/property/hostile-input.test.ts',
  'test/e2e/images.test.ts',
  'test/e2e/action.test.ts',
  'test/e2e/sync.test.ts',
  'test/e2e/errors.test.ts',
  'test/e2e/review.test.ts',
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const i = SLOW_FIRST.indexOf(path.relative(spec.project.config.root, spec.moduleId).split(path.sep).join('/'));
      return i === -1 ? SLOW_FIRST.length : i;
    };
    // Array sort is stable: the rest keep vitest's order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
