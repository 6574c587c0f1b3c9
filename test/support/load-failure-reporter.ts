import type { Reporter, Vitest } from 'vitest/node';

/**
 * For mutation runs only (vitest.mutation.config.ts): a test file that fails to load becomes
 * one failed test. A static mutant can make a module throw on import (a network of
 * http/address.ts's block table emptied); the file then collects no test, and Stryker's vitest
 * runner (9.6), which builds a mutant's result from the tests it collected, counted the
 * mutant as survived although the suite does catch it (stryker-js issue 6150).
 */
export default class LoadFailureAsFailedTest implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  // The files the runner reads its results from once the run ends.
  onTestRunEnd(): void {
    for (const file of this.vitest?.state.getFiles() ?? []) {
      if (file.result?.state !== 'fail' || file.tasks.length > 0) continue;
      // Only what the runner reads: type, name, mode, result, file and suite (vitest builds the rest).
      file.tasks.push({
        type: 'test',
        id: `${file.id}_load`,
        name: 'the test file loads',
        mode: 'run',
        result: { state: 'fail', errors: file.result.errors },
        file,
        suite: file,
        meta: {},
        context: undefined,
        timeout: 0,
        annotations: [],
        artifacts: [],
      } as unknown as (typeof file.tasks)[number]);
    }
  }
}
