import { abandonWrites } from '../fs/atomic-write.js';
import { createLogger } from '../log.js';
import { formatSummary, summaryRecord } from '../report/summary-text.js';
import type { Summary } from '../summary.js';
import type { SyncDeps } from '../sync/types.js';
import { printed, say, secretsOf, type CommandIo, type OutputChoice } from './io.js';

const PRETTY_DEFAULT: OutputChoice = { format: 'pretty', level: 'info', color: false };

/** What a syncing command needs at run time: the logger and a progress counter. */
export async function createRuntime(io: CommandIo) {
  const output = io.output ?? PRETTY_DEFAULT;
  const logger = await createLogger({
    level: output.level,
    pretty: output.format === 'pretty',
    color: output.color,
    secrets: secretsOf(io.env),
  });
  // A counter on a terminal showing readable lines only; nothing of it reaches a log file, a CI log or a JSON stream.
  const onImageProgress =
    io.stderr.isTTY && output.format === 'pretty' && printed(io, 'info')
      ? (done: number, total: number) => io.stderr.write(`\r  images ${done}/${total}${done === total ? '\n' : ''}`)
      : undefined;
  return { logger, onImageProgress };
}

/** The side effects a command hands to `sync()`: the runtime's, the wall clock, the environment, the stop signal. */
export function syncDeps(
  io: CommandIo,
  runtime: Awaited<ReturnType<typeof createRuntime>>,
  stop: AbortSignal,
): SyncDeps {
  const { logger, onImageProgress } = runtime;
  return {
    logger,
    now: () => new Date(),
    env: io.env,
    stop,
    onImageProgress,
  };
}

/**
 * The end of every sync, once: as the readable summary, or as the last JSON record (every
 * count and every failure). Its level says whether anyone needs to look: info when all is
 * well, warn when degraded, error when failed, so `--quiet` prints it only then.
 */
export function reportSummary(io: CommandIo, summary: Summary): void {
  const level = summary.result === 'failed' ? 'error' : summary.result === 'degraded' ? 'warn' : 'info';
  if (!printed(io, level)) return;
  if (io.output?.format === 'json') {
    // The wall clock stamps the record, as pino stamps its own; it decides nothing.
    io.stderr.write(summaryRecord(summary, level, Date.now()));
    return;
  }
  say(io, formatSummary(summary), level);
}

/**
 * The signals that ask a run to stop. SIGHUP is one: a closed terminal or a dropped ssh
 * session sends it, and its default (exit at once) would leave the lock, the temp files and
 * no heartbeat.
 */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * A stop signal: the first asks for a clean stop (the file being written completes, the
 * lock is released, then the process exits); the second, of any of them, exits at once. Writes
 * are atomic renames, so even then no half-written file is left, and the lock goes with the exit hook.
 */
export function onStopSignals(io: CommandIo, onFirst: () => void): { stop: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      say(
        io,
        `dropmark-sync: ${signal} received; stopping after the file in progress (send it again to abort at once)\n`,
        'warn',
      );
      controller.abort(new Error(`stopped by ${signal}`));
      onFirst();
      return;
    }
    say(io, `dropmark-sync: ${signal} received again; aborting now\n`, 'error');
    // The temp files being created are let finish (milliseconds), so the exit hook removes them all.
    void abandonWrites(1000).then(() => process.exit(1));
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return {
    stop: controller.signal,
    dispose() {
      for (const signal of STOP_SIGNALS) process.off(signal, handler);
    },
  };
}
