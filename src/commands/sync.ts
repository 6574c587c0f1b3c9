import { stat, writeFile } from 'node:fs/promises';
import { describeSystemError } from '../errors.js';
import path from 'node:path';
import { colorizeDiff } from '../report/diff.js';
import { renderReport } from '../report/markdown.js';
import { formatSummary, summaryJson } from '../report/summary.js';
import { LockHeldError } from '../state/lock.js';
import { sync } from '../sync.js';
import { createRuntime, loadConfigOrSay, onStopSignals, say, type CommandIo } from './context.js';

export const SYNC_OPTIONS = {
  config: { type: 'string' },
  endpoint: { type: 'string' },
  'site-dir': { type: 'string' },
  json: { type: 'boolean' },
  'allow-mass-delete': { type: 'boolean' },
  full: { type: 'boolean' },
  'retry-images': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  check: { type: 'boolean' },
  report: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const SYNC_HELP = `Usage: dropmark-sync sync [options]

One pass over every configured collection: fetch the feed, write the Markdown files that
changed, delete the files of items gone from the feed, then exit.

Options:
  --config FILE          config file (default: $DROPMARK_SYNC_CONFIG, else ./dropmark-sync.yaml, else ./config/dropmark-sync.yaml)
  --endpoint URL         sync this one feed instead of the configured collections
                         (with the first collection's other settings)
  --site-dir DIR         root of the static site (overrides siteDir)
  --json                 print the final summary as one JSON object on stdout
  --allow-mass-delete    allow deleting more than half of the files this tool owns,
                         or every file when the feed is empty
  --full                 ignore the cache of the last run (ETag, feed hash) and do a full pass
  --retry-images         try every missing image now, even one still waiting out its backoff
                         (a failed image is tried again after 1 h, then 2 h, ... up to 7 days)
  --dry-run              change nothing on disk and request no image (no lock, no cache); print
                         what would change as a unified diff on stdout (images: one line each,
                         "would download" with the image's URL path)
  --check                like --dry-run, but print only the summary; exit 2 when anything
                         would change, 0 when nothing would
  --report FILE          write a Markdown report of the changes (for a pull request body)
  -h, --help             this help

Environment:
  DROPMARK_API_KEY       read key of a private collection (sent as ?key=, never logged)
  DROPMARK_SYNC_CONFIG   config file, when --config is not given
  LOG_LEVEL              trace, debug, info (default), warn, error or silent

SIGINT/SIGTERM stop cleanly after the file in progress; a second one aborts at once.

Exit status: 0 done (changes written, nothing to do, stopped cleanly, or degraded: every post
written but some images missing, unless images.onError is "fail"); 1 the sync failed or some
items or files failed (the summary names them), another sync holds the site's lock, or a bad
config or option; 2 only with --check: changes are pending.
`;

export interface SyncFlags {
  config?: string | undefined;
  endpoint?: string | undefined;
  'site-dir'?: string | undefined;
  json?: boolean | undefined;
  'allow-mass-delete'?: boolean | undefined;
  full?: boolean | undefined;
  'retry-images'?: boolean | undefined;
  'dry-run'?: boolean | undefined;
  check?: boolean | undefined;
  report?: string | undefined;
}

/** The `sync` command: a thin shell over `sync()`. Returns the exit code. */
export async function runSync(flags: SyncFlags, io: CommandIo): Promise<number> {
  if (flags['dry-run'] && flags.check) {
    say(io, 'dropmark-sync sync: --dry-run and --check cannot be used together: --dry-run prints the diff, --check only exits 2 when changes are pending\n');
    return 1;
  }
  const loaded = await loadConfigOrSay(
    io,
    { configFile: flags.config, endpoint: flags.endpoint, siteDir: flags['site-dir'] },
    'pass --config FILE, or --endpoint URL to sync one feed without a config file',
  );
  if (!loaded) return 1;
  const { config } = loaded;
  const reportFile = flags.report === undefined ? undefined : path.resolve(io.cwd, flags.report);
  // Checked before the sync: finding out afterwards would lose the report of changes already written.
  const reportProblem = reportFile === undefined ? undefined : await checkReportPath(reportFile);
  if (reportProblem) {
    say(io, `dropmark-sync sync: --report ${flags.report}: ${reportProblem}\n`);
    return 1;
  }
  const { logger, dispatcher, beforeCommit, onImageProgress } = createRuntime(io, config.http.timeoutMs);
  const signals = onStopSignals(io, () => {});
  const check = flags.check === true;
  const dryRun = check || flags['dry-run'] === true;
  try {
    const summary = await sync(
      config,
      { dispatcher, logger, now: () => new Date(), env: io.env, stop: signals.stop, onImageProgress, ...(beforeCommit ? { beforeCommit } : {}) },
      {
        allowMassDelete: flags['allow-mass-delete'] === true,
        full: flags.full === true,
        retryImages: flags['retry-images'] === true,
        command: 'sync',
        dryRun,
        diff: dryRun && !check && !flags.json,
      },
    );
    if (dryRun && !check && !flags.json) {
      const diff = summary.collections.map((c) => c.diff ?? '').join('');
      io.stdout.write(io.stdout.isTTY ? colorizeDiff(diff) : diff);
    }
    say(io, formatSummary(summary));
    if (flags.json) io.stdout.write(summaryJson(summary));
    const reportWritten = reportFile === undefined || (await writeReport(io, reportFile, renderReport(summary)));
    if (!summary.ok || !reportWritten) return 1;
    return check && summary.files.length > 0 ? 2 : 0;
  } catch (error) {
    if (error instanceof LockHeldError) {
      say(io, `dropmark-sync: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    signals.dispose();
    await dispatcher.close();
  }
}

/** Why the report cannot be written there, or undefined when it can be. */
async function checkReportPath(file: string): Promise<string | undefined> {
  try {
    if ((await stat(file)).isDirectory()) return 'is a folder; give the path of a file (e.g. report.md)';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return describeSystemError(error) ?? (error as Error).message;
  }
  try {
    if (!(await stat(path.dirname(file))).isDirectory()) return `${path.dirname(file)} is not a folder`;
  } catch {
    return `the folder ${path.dirname(file)} does not exist; create it first`;
  }
  return undefined;
}

async function writeReport(io: CommandIo, file: string, text: string): Promise<boolean> {
  try {
    await writeFile(file, text);
    return true;
  } catch (error) {
    say(io, `dropmark-sync sync: cannot write the report: ${describeSystemError(error) ?? (error as Error).message}\n`);
    return false;
  }
}
