import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startScheduler } from '../../src/scheduler.js';
import type { Logger } from '../../src/log.js';

function logger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, error() {}, warn: (_o: object, msg?: string) => warnings.push(msg ?? '') };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-26T10:00:30Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('startScheduler', () => {
  it('runs on each tick and skips a tick while a run is still going, never queueing it', async () => {
    const runs: ReturnType<typeof deferred<string>>[] = [];
    const log = logger();
    const scheduler = startScheduler({
      expression: '* * * * *',
      logger: log,
      run: () => {
        const d = deferred<string>();
        runs.push(d);
        return d.promise;
      },
    });
    await vi.advanceTimersByTimeAsync(31_000); // 10:01:00
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000); // 10:02:00, first run still going
    expect(runs).toHaveLength(1);
    expect(log.warnings).toEqual(['previous sync still running; this tick is skipped']);
    runs[0]?.resolve('first');
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(60_000); // 10:03:00
    expect(runs).toHaveLength(2);
    runs[1]?.resolve('second');
    await vi.advanceTimersByTimeAsync(1);
    // Nothing in progress: stop has no result to give, and no tick comes after it.
    expect(await scheduler.stop()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(runs).toHaveLength(2);
    expect(log.warnings).toHaveLength(1);
  });

  it('runs at start with runNow, and stop() waits for the run in progress', async () => {
    const d = deferred<string>();
    let calls = 0;
    const scheduler = startScheduler({
      expression: '0 0 * * *',
      logger: logger(),
      runNow: true,
      run: () => {
        calls++;
        return d.promise;
      },
    });
    expect(calls).toBe(1);
    const stopping = scheduler.stop();
    let result: string | undefined = 'pending';
    void stopping.then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toBe('pending');
    d.resolve('done');
    expect(await stopping).toBe('done');
  });

  it('honours the time zone', async () => {
    let calls = 0;
    vi.setSystemTime(new Date('2026-11-26T08:59:59Z'));
    const scheduler = startScheduler({
      expression: '0 10 * * *',
      timezone: 'Europe/Berlin',
      logger: logger(),
      run: async () => void calls++,
    });
    await vi.advanceTimersByTimeAsync(2_000); // 09:00:01Z = 10:00:01 in Berlin
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(60 * 60_000); // 10:00:01Z: 10:00 UTC is no tick
    expect(calls).toBe(1);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(24 * 60 * 60_000); // the next day's 10:00 in Berlin, after stop
    expect(calls).toBe(1);
  });
});
