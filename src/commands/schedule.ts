import { startScheduler } from '../scheduler.js';
import { LockHeldError } from '../state/lock.js';
import { sync, type Summary } from '../sync/run.js';
import type { ScheduleFlags } from './catalog.js';
import { loadConfigOrSay } from './context.js';
import type { CommandIo } from './io.js';
import { createRuntime, onStopSignals, reportSummary, syncDeps } from './runtime.js';

/** The `schedule` command: node-cron over the same `sync()`. Resolves with the exit code when stopped. */
export async function runSchedule(flags: ScheduleFlags, io: CommandIo): Promise<number> {
  const loaded = await loadConfigOrSay(io, { configFile: flags.config, siteDir: flags['site-dir'] });
  if (!loaded) return 1;
  const { config } = loaded;
  const runtime = await createRuntime(io);
  const { logger } = runtime;
  let stopRequested: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const signals = onStopSignals(io, () => stopRequested());

  const runOnce = async (): Promise<Summary | undefined> => {
    try {
      const summary = await sync(config, syncDeps(io, runtime, signals.stop), { command: 'schedule' });
      reportSummary(io, summary);
      return summary;
    } catch (error) {
      if (error instanceof LockHeldError) {
        logger.warn({}, `tick skipped: ${error.message}`);
        return undefined;
      }
      throw error;
    }
  };

  const scheduler = startScheduler({
    expression: config.schedule,
    timezone: config.timezone,
    run: runOnce,
    logger,
    runNow: flags['run-now'] === true,
  });
  logger.info({ schedule: config.schedule, timezone: config.timezone ?? 'system' }, 'scheduled worker started');
  await stopped;
  const last = await scheduler.stop();
  signals.dispose();
  logger.info({}, 'scheduled worker stopped');
  return last && !last.ok ? 1 : 0;
}
