import { stat, writeFile } from 'node:fs/promises';
import { describeError } from '../errors.js';
import path from 'node:path';
import { summaryJson } from '../report/summary-text.js';
import { LockHeldError } from '../state/lock.js';
import { sync, type Summary } from '../sync/run.js';
import type { SyncFlags } from './catalog.js';
import { loadConfigOrSay } from './context.js';
import { say, type CommandIo } from './io.js';
import { createRuntime, onStopSignals, reportSummary, syncDeps } from './runtime.js';

/** The `sync` command: a thin shell over `sync()`. Returns the exit code. */
export async function runSync(flags: SyncFlags, io: CommandIo): Promise<number> {
  if (flags['dry-run'] && flags.check) {
    say(
      io,
      'dropmark-sync sync: --dry-run and --check cannot be used together: --dry-run prints the diff, ' +
        '--check only exits 2 when changes are pending\n',
    );
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
  const check = flags.check === true;
  const dryRun = check || flags['dry-run'] === true;
  const runtime = await createRuntime(io);
  const signals = onStopSignals(io, () => {});
  try {
    const summary = await sync(config, syncDeps(io, runtime, signals.stop), {
      allowMassDelete: flags['allow-mass-delete'] === true,
      allowPartialFeed: flags['allow-partial-feed'] === true,
      full: flags.full === true,
      retryImages: flags['retry-images'] === true,
      command: 'sync',
      dryRun,
      diff: dryRun && !check && !flags.json,
    });
    if (dryRun && !check && !flags.json) await printDiff(io, summary);
    reportSummary(io, summary);
    if (flags.json) io.stdout.write(summaryJson(summary));
    const reportWritten = reportFile === undefined || (await writeReport(io, reportFile, summary));
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
  }
}

/** Why the report cannot be written there, or undefined when it can be. */
async function checkReportPath(file: string): Promise<string | undefined> {
  try {
    if ((await stat(file)).isDirectory()) return 'is a folder; give the path of a file (e.g. report.md)';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return describeError(error);
  }
  try {
    if (!(await stat(path.dirname(file))).isDirectory()) return `${path.dirname(file)} is not a folder`;
  } catch {
    return `the folder ${path.dirname(file)} does not exist; create it first`;
  }
  return undefined;
}

// The diff and report renderers are loaded only for the runs that print them.
async function printDiff(io: CommandIo, summary: Summary): Promise<void> {
  const { collectionDiff, colorizeDiff } = await import('../report/diff.js');
  const diff = summary.collections.map(collectionDiff).join('');
  const colored = io.stdout.isTTY && io.output?.color !== false;
  io.stdout.write(colored ? colorizeDiff(diff) : diff);
}

/**
 * The report, within a pull request body's limit; when rows had to be left out, the full
 * report beside it (`report.md` -> `report.full.md`), which the report names.
 */
async function writeReport(io: CommandIo, file: string, summary: Summary): Promise<boolean> {
  try {
    const { fullReportPath, renderReport } = await import('../report/markdown.js');
    const fullFile = fullReportPath(file);
    const report = renderReport(summary, { fullReport: path.basename(fullFile) });
    const full = renderReport(summary, { budget: Number.POSITIVE_INFINITY });
    await writeFile(file, report);
    if (full !== report) await writeFile(fullFile, full);
    return true;
  } catch (error) {
    say(io, `dropmark-sync sync: cannot write the report: ${describeError(error)}\n`);
    return false;
  }
}
