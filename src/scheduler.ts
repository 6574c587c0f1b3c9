import { schedule as cronSchedule } from 'node-cron';
import type { Logger } from './log.js';

export interface SchedulerOptions<T> {
  expression: string;
  timezone?: string | undefined;
  /** One run; the scheduler never starts a second while one is in progress. */
  run: () => Promise<T>;
  logger: Logger;
  /** Also run once at start (`--run-now`). */
  runNow?: boolean;
}

export interface Scheduler<T> {
  /** Stops ticking and waits for a run in progress; resolves with its result, if there was one. */
  stop(): Promise<T | undefined>;
}

/**
 * Runs `run` on a cron schedule (node-cron). A tick that comes while a run is still in
 * progress is skipped and logged, never queued up, so a slow sync cannot pile up behind it.
 */
export function startScheduler<T>(options: SchedulerOptions<T>): Scheduler<T> {
  let running: Promise<T> | undefined;
  const tick = (reason: 'schedule' | 'start') => {
    if (running) {
      options.logger.warn({ reason }, 'previous sync still running; this tick is skipped');
      return;
    }
    const current = options.run();
    running = current;
    current
      .catch((error: unknown) => options.logger.error({ err: error }, 'scheduled sync failed'))
      .finally(() => {
        if (running === current) running = undefined;
      });
  };
  const task = cronSchedule(options.expression, () => tick('schedule'), {
    ...(options.timezone ? { timezone: options.timezone } : {}),
    name: 'dropmark-sync',
    logger: cronLogger(options.logger),
  });
  if (options.runNow) tick('start');
  return {
    async stop() {
      await task.stop();
      await task.destroy();
      const inProgress = running;
      // Its failure was logged by tick() ("scheduled sync failed"); stop() only reports a result.
      return inProgress ? inProgress.catch(() => undefined) : undefined;
    },
  };
}

function cronLogger(logger: Logger) {
  return {
    info: (message: string) => logger.debug({ source: 'node-cron' }, message),
    warn: (message: string) => logger.warn({ source: 'node-cron' }, message),
    error: (message: string | Error) => logger.error({ source: 'node-cron' }, String(message)),
    debug: (message: string) => logger.debug({ source: 'node-cron' }, message),
  };
}
