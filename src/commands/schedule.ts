import { formatSummary } from '../report/summary.js';
import { startScheduler } from '../scheduler.js';
import { LockHeldError } from '../state/lock.js';
import { sync, type Summary } from '../sync.js';
import { createRuntime, loadConfigOrSay, onStopSignals, say, type CommandIo } from './context.js';

export const SCHEDULE_OPTIONS = {
  config: { type: 'string' },
  'site-dir': { type: 'string' },
  'run-now': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const SCHEDULE_HELP = `Usage: dropmark-sync schedule [options]

Stays running and syncs on the config's cron "schedule" (in "timezone", if set). A tick that
comes while a sync is still running is skipped, never queued; a tick that finds another
process (a cron job) holding the site's lock is skipped too.

Options:
  --config FILE     config file (default: $DROPMARK_SYNC_CONFIG, else ./dropmark-sync.yaml, else ./config/dropmark-sync.yaml)
  --site-dir DIR    root of the static site (overrides siteDir)
  --run-now         also sync once at start
  -h, --help        this help

SIGINT/SIGTERM: no new ticks; a sync in progress stops after the file being written and
releases the lock; then exit 0, or 1 if that sync failed. A second signal aborts at once.
`;

export interface ScheduleFlags {
  config?: string | undefined;
  'site-dir'?: string | undefined;
  'run-now'?: boolean | undefined;
}

/** The `schedule` command: node-cron over the same `sync()`. Resolves with the exit code when stopped. */
export async function runSchedule(flags: ScheduleFlags, io: CommandIo): Promise<number> {
  const loaded = await loadConfigOrSay(io, { configFile: flags.config, siteDir: flags['site-dir'] });
  if (!loaded) return 1;
  const { config } = loaded;
  const { logger, dispatcher, beforeCommit, onImageProgress } = createRuntime(io, config.http.timeoutMs);
  let stopRequested: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const signals = onStopSignals(io, () => stopRequested());

  const runOnce = async (): Promise<Summary | undefined> => {
    try {
      const summary = await sync(
        config,
        { dispatcher, logger, now: () => new Date(), env: io.env, stop: signals.stop, onImageProgress, ...(beforeCommit ? { beforeCommit } : {}) },
        { command: 'schedule' },
      );
      say(io, formatSummary(summary));
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
  await dispatcher.close();
  logger.info({}, 'scheduled worker stopped');
  return last && !last.ok ? 1 : 0;
}
