import { StateFileError } from '../errors.js';
import { visibleControls } from '../report/terminal.js';
import { readHeartbeat, type Heartbeat } from '../state/heartbeat.js';
import { loadConfigOrSay, say, type CommandIo } from './context.js';

export const STATUS_OPTIONS = {
  config: { type: 'string' },
  'max-age': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const STATUS_HELP = `Usage: dropmark-sync status [options]

Prints the last run's heartbeat (<cacheDir>/last-run.json). For a cron monitor or a
Kubernetes probe.

Options:
  --config FILE      config file (default: $DROPMARK_SYNC_CONFIG, else ./dropmark-sync.yaml, else ./config/dropmark-sync.yaml)
  --max-age AGE      fail when the last run finished longer ago than AGE (90s, 30m, 2h, 1d)
  --json             print the heartbeat as JSON on stdout
  -h, --help         this help

Exit status: 0 the last run succeeded (and is recent enough); 1 it failed, is too old, there
is no heartbeat yet, or a bad config or option.
`;

export interface StatusFlags {
  config?: string | undefined;
  'max-age'?: string | undefined;
  json?: boolean | undefined;
}

/** `30m` -> 1_800_000; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

export async function runStatus(flags: StatusFlags, io: CommandIo, now: () => Date = () => new Date()): Promise<number> {
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
    say(io, `dropmark-sync status: ${error.message}\n`);
    return 1;
  }
  if (!heartbeat) {
    say(io, `dropmark-sync status: no run recorded yet in ${loaded.config.cacheDir}; run "dropmark-sync sync" first\n`);
    return 1;
  }
  if (flags.json) io.stdout.write(`${JSON.stringify(heartbeat)}\n`);
  const ageMs = now().getTime() - Date.parse(heartbeat.finishedAt);
  // A heartbeat from the future says a clock is wrong; it cannot say the last run is recent.
  const when = ageMs < 0 ? `${formatAge(-ageMs)} in the future: this machine's clock or the writer's is wrong` : `${formatAge(ageMs)} ago`;
  const lines = [
    `last run: ${heartbeat.result}, finished ${heartbeat.finishedAt} (${when}), took ${(heartbeat.durationMs / 1000).toFixed(1)} s`,
    ...heartbeat.collections.map(
      (c) =>
        `  ${c.endpoint}: ${c.result}; ${c.created} created, ${c.updated} updated, ${c.deleted} deleted, ` +
        `${c.unchanged} unchanged, ${c.failed} failed${c.error ? `; ${c.error}` : ''}`,
    ),
  ];
  let code = heartbeat.result === 'failed' || ageMs < 0 ? 1 : 0;
  if (maxAgeMs !== undefined && !(ageMs <= maxAgeMs)) {
    lines.push(`  too old: the last run finished more than ${flags['max-age']} ago; is the scheduler running?`);
    code = 1;
  }
  // Collection errors may quote feed text: shown, never acted on by the terminal.
  (flags.json ? io.stderr : io.stdout).write(visibleControls(`${lines.join('\n')}\n`));
  return code;
}

function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return 'an unknown time';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}
