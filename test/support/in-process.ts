import { createLogger, loadConfig, sync, type Summary, type SyncOptions } from '../../src/index.js';
import { formatSummary } from '../../src/report/summary-text.js';
import { logText } from './log.js';

export interface InProcessRun {
  /** The summary `sync()` returns: what `sync --json` prints, its dry-run diff aside. */
  summary: Summary;
  /**
   * What a person reads of the run: every log record's message (secrets and control characters
   * scrubbed by the tool's own logger), then the summary's lines as the command prints them.
   */
  log: string;
  /** The log's records as the logger wrote them (JSON), for a field a message does not show. */
  records: Record<string, unknown>[];
}

export interface InProcessOptions extends SyncOptions {
  /** The run's environment (the API key, HOME): nothing of this process's own. */
  env?: Record<string, string>;
  /** pino's level, as LOG_LEVEL sets it for the CLI. */
  level?: 'debug' | 'info' | 'warn';
}

/**
 * `sync --config dropmark-sync.yaml` of the project in `cwd`, in this process: the project's
 * own config file through the library's `loadConfig`, then `sync()` with the wall clock and a
 * logger writing into memory. No process is started, so a rule costs milliseconds to check;
 * what only the CLI does (its exit code, its flags, its output streams) is left to the files
 * that run the built CLI. A config or lock error is thrown, as `sync()` throws it.
 */
export async function syncInProcess(cwd: string, options: InProcessOptions = {}): Promise<InProcessRun> {
  const { env = {}, level = 'info', ...syncOptions } = options;
  const records: string[] = [];
  const destination = {
    write(chunk: string) {
      records.push(chunk);
      return true;
    },
  };
  const key = env['DROPMARK_API_KEY'];
  const logger = await createLogger({
    level,
    pretty: false,
    color: false,
    secrets: key ? [key] : [],
    destination: destination as unknown as NodeJS.WritableStream,
  });
  const { config } = await loadConfig({ cwd, env, overrides: { configFile: 'dropmark-sync.yaml' } });
  const summary = await sync(config, { logger, now: () => new Date(), env }, { command: 'sync', ...syncOptions });
  const text = records.join('');
  const parsed = text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { summary, log: `${logText(text)}\n${formatSummary(summary)}`, records: parsed };
}
