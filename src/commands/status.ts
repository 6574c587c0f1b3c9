import type { Config } from '../config/schema.js';
import { fireTimesAfter, parseCron } from '../cron-times.js';
import { StateFileError } from '../errors.js';
import { visibleControls } from '../text/terminal.js';
import { readHeartbeat, type Heartbeat } from '../state/heartbeat.js';
import { partialFeedMessage } from '../summary.js';
import type { StatusFlags } from './catalog.js';
import { loadConfigOrSay } from './context.js';
import { say, type CommandIo } from './io.js';

/** `30m` -> 1_800_000; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

export type StatusState = 'ok' | 'degraded' | 'failing' | 'stale' | 'stopped' | 'clock';

/** How old the last success may be, and what said so (`--max-age 2 h`, or the schedule's words). */
export interface AllowedAge {
  ms: number;
  because: string;
}

/**
 * Pure: what the heartbeat says about the worker, first the worst. Failing is a fact of the
 * last run; stale counts from the last success, so a worker that failed for a day is both, and
 * says failing; a heartbeat from the future cannot vouch for anything.
 */
export function judge(
  heartbeat: Heartbeat,
  nowMs: number,
  allowed: AllowedAge | undefined,
): { state: StatusState; line: string } {
  const finished = Date.parse(heartbeat.finishedAt);
  if (finished > nowMs) {
    return {
      state: 'clock',
      line:
        `clock wrong: the last run finished ${formatAge(finished - nowMs)} in the future (${heartbeat.finishedAt}); ` +
        "check this machine's clock and the writer's",
    };
  }
  const lastSuccess = heartbeat.lastSuccessAt === undefined ? undefined : Date.parse(heartbeat.lastSuccessAt);
  const sinceSuccess =
    lastSuccess === undefined ? 'no successful run recorded' : `last success ${formatAge(nowMs - lastSuccess)} ago`;
  if (heartbeat.result === 'failed') {
    const runs = heartbeat.consecutiveFailures;
    return {
      state: 'failing',
      line:
        `failing since ${heartbeat.failingSince ?? heartbeat.startedAt} ` +
        `(${runs} run${runs === 1 ? '' : 's'}); ${sinceSuccess}`,
    };
  }
  if (allowed !== undefined && (lastSuccess === undefined || nowMs - lastSuccess > allowed.ms)) {
    return { state: 'stale', line: `stale: ${sinceSuccess} (${allowed.because}); is the scheduler running?` };
  }
  if (heartbeat.result === 'stopped')
    return { state: 'stopped', line: `stopped: the last run was stopped before the end; ${sinceSuccess}` };
  if (heartbeat.result === 'degraded') {
    const n = heartbeat.imagesMissing;
    return { state: 'degraded', line: `degraded (${n} image${n === 1 ? '' : 's'} missing); ${sinceSuccess}` };
  }
  return { state: 'ok', line: `ok: ${sinceSuccess}` };
}

/**
 * Pure, for a liveness probe (`--liveness`): is the worker still running its schedule? Only a
 * heartbeat from the future, or a last run (of any result) older than the allowed age, says no.
 * A failing run says yes: a restart does not mend a broken item, and would cut the next run short.
 */
export function judgeLiveness(
  heartbeat: Heartbeat,
  nowMs: number,
  allowed: AllowedAge | undefined,
): { state: 'alive' | 'stale' | 'clock'; line: string } {
  const verdict = judge({ ...heartbeat, result: 'ok', lastSuccessAt: heartbeat.finishedAt }, nowMs, allowed);
  const lastRun = `last run ${heartbeat.result}, ${formatAge(nowMs - Date.parse(heartbeat.finishedAt))} ago`;
  if (verdict.state === 'clock') return { state: 'clock', line: verdict.line };
  if (verdict.state === 'stale')
    return { state: 'stale', line: `stale: ${lastRun} (${allowed?.because ?? ''}); is the scheduler running?` };
  return { state: 'alive', line: `alive: ${lastRun}` };
}

/** Exit 0 for states that need nobody (ok, degraded, a clean stop); 1 for the rest. */
const EXIT: Record<StatusState, number> = { ok: 0, degraded: 0, stopped: 0, failing: 1, stale: 1, clock: 1 };

export async function runStatus(
  flags: StatusFlags,
  io: CommandIo,
  now: () => Date = () => new Date(),
): Promise<number> {
  let maxAgeMs: number | undefined;
  if (flags['max-age'] !== undefined) {
    maxAgeMs = parseDuration(flags['max-age']);
    if (maxAgeMs === undefined) {
      say(io, `dropmark-sync status: --max-age "${flags['max-age']}" is not a duration; use e.g. 90s, 30m, 2h or 1d\n`);
      return 1;
    }
  }
  const loaded = await loadConfigOrSay(io, { configFile: flags.config });
  if (!loaded) return 1;
  let heartbeat: Heartbeat | undefined;
  try {
    heartbeat = await readHeartbeat(loaded.config.cacheDir);
  } catch (error) {
    if (!(error instanceof StateFileError)) throw error;
    say(io, `dropmark-sync status: corrupt heartbeat: ${error.message}\n`);
    return 1;
  }
  if (!heartbeat) {
    if (flags.liveness) {
      // The first run may take long (a first sync of thousands of items): a probe must not cut it short.
      say(io, `dropmark-sync status: alive: no run has ended yet in ${loaded.config.cacheDir}\n`);
      return 0;
    }
    say(io, `dropmark-sync status: no run recorded yet in ${loaded.config.cacheDir}; run "dropmark-sync sync" first\n`);
    return 1;
  }
  const nowMs = now().getTime();
  if (flags.liveness) return livenessOf(flags, io, { config: loaded.config, heartbeat, nowMs, maxAgeMs });
  const allowed =
    maxAgeMs === undefined
      ? scheduleAllowance(loaded.config, heartbeat)
      : { ms: maxAgeMs, because: `--max-age ${formatAge(maxAgeMs)}` };
  const { state, line } = judge(heartbeat, nowMs, allowed);
  const unchecked =
    allowed === undefined
      ? [`not checked for staleness: "${loaded.config.schedule}" uses a form status cannot count; pass --max-age`]
      : [];
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ state, ...heartbeat })}\n`);
    return EXIT[state];
  }
  // Collection errors may quote feed text: shown, never acted on by the terminal.
  io.stdout.write(visibleControls(`${[line, ...unchecked, ...lastRunLines(heartbeat, nowMs)].join('\n')}\n`));
  return EXIT[state];
}

/** The last run, under the state's line: when it finished, and each collection's counts. */
function lastRunLines(heartbeat: Heartbeat, nowMs: number): string[] {
  const ageMs = nowMs - Date.parse(heartbeat.finishedAt);
  const when = ageMs < 0 ? `${formatAge(-ageMs)} in the future` : `${formatAge(ageMs)} ago`;
  return [
    `last run: ${heartbeat.result}, finished ${heartbeat.finishedAt} (${when}), ` +
      `took ${(heartbeat.durationMs / 1000).toFixed(1)} s`,
    ...heartbeat.collections.map(
      (c) =>
        `  ${c.endpoint}: ${c.result}; ${c.created} created, ${c.updated} updated, ${c.deleted} deleted, ` +
        `${c.unchanged} unchanged, ${c.failed} failed` +
        `${c.imagesMissing ? `, ${c.imagesMissing} images missing` : ''}${c.error ? `; ${c.error}` : ''}` +
        `${c.partialFeed ? `; partial feed: ${partialFeedMessage(c.partialFeed)}` : ''}`,
    ),
  ];
}

function livenessOf(
  flags: StatusFlags,
  io: CommandIo,
  { config, heartbeat, nowMs, maxAgeMs }: { config: Config; heartbeat: Heartbeat; nowMs: number; maxAgeMs?: number },
): number {
  const lastRun = { ...heartbeat, lastSuccessAt: heartbeat.finishedAt };
  const allowed =
    maxAgeMs === undefined
      ? scheduleAllowance(config, lastRun)
      : { ms: maxAgeMs, because: `--max-age ${formatAge(maxAgeMs)}` };
  const { state, line } = judgeLiveness(heartbeat, nowMs, allowed);
  if (flags.json) io.stdout.write(`${JSON.stringify({ state, ...heartbeat })}\n`);
  else io.stdout.write(visibleControls(`${line}\n`));
  return state === 'alive' ? 0 : 1;
}

/**
 * Without --max-age: a worker on `schedule` should have run twice since its last success, each
 * run allowed `deadlineMs`; only then is it stale. Two runs, not one, so one tick skipped
 * (the previous sync still running) or one slow run is no alarm. Counted on the schedule's own
 * fire times in its time zone, so "17 *\/3" allows up to 6 h 10 min, and a night the clocks
 * go back is not called stale.
 */
export function scheduleAllowance(
  config: Pick<Config, 'schedule' | 'timezone' | 'deadlineMs'>,
  heartbeat: Heartbeat,
): AllowedAge | undefined {
  const lastSuccess = heartbeat.lastSuccessAt === undefined ? undefined : Date.parse(heartbeat.lastSuccessAt);
  const basis = `schedule "${config.schedule}"${config.timezone ? ` in ${config.timezone}` : ''}`;
  // With no success at all there is nothing to count from: as with --max-age, that is stale.
  if (lastSuccess === undefined) return { ms: 0, because: `the ${basis}` };
  const fields = parseCron(config.schedule);
  const second = fields && fireTimesAfter(fields, config.timezone, lastSuccess, 2)[1];
  if (second === undefined) return undefined;
  const ms = second + config.deadlineMs - lastSuccess;
  return { ms, because: `allowed ${formatAge(ms)}: two runs of the ${basis} plus deadlineMs` };
}

function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return 'an unknown time';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}
