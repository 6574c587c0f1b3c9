import { Agent } from 'undici';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { createLogger } from '../log.js';
import { redactText } from '../redact.js';
import { formatSummary, summaryJson } from '../report/summary.js';
import { sync } from '../sync.js';

export const SYNC_OPTIONS = {
  config: { type: 'string' },
  endpoint: { type: 'string' },
  'site-dir': { type: 'string' },
  json: { type: 'boolean' },
  'allow-mass-delete': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const SYNC_HELP = `Usage: dropmark-sync sync [options]

One pass over every configured collection: fetch the feed, write the Markdown files that
changed, delete the files of items gone from the feed, then exit.

Options:
  --config FILE          config file (default config/dropmark-sync.yaml, or $DROPMARK_SYNC_CONFIG)
  --endpoint URL         sync this one feed instead of the configured collections
                         (with the first collection's other settings)
  --site-dir DIR         root of the static site (overrides siteDir)
  --json                 print the final summary as one JSON object on stdout
  --allow-mass-delete    allow deleting more than half of the files this tool owns,
                         or every file when the feed is empty
  -h, --help             this help

Environment:
  DROPMARK_API_KEY       read key of a private collection (sent as ?key=, never logged)
  DROPMARK_SYNC_CONFIG   config file, when --config is not given
  LOG_LEVEL              trace, debug, info (default), warn, error or silent

Exit status: 0 done (changes written or nothing to do); 1 the sync failed or only part of it
succeeded (the summary names the items), or a bad config or option.
`;

export interface SyncFlags {
  config?: string | undefined;
  endpoint?: string | undefined;
  'site-dir'?: string | undefined;
  json?: boolean | undefined;
  'allow-mass-delete'?: boolean | undefined;
}

export interface CommandIo {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** The `sync` command: a thin shell over `sync()`. Returns the exit code. */
export async function runSync(flags: SyncFlags, io: CommandIo): Promise<number> {
  const apiKey = io.env['DROPMARK_API_KEY'];
  const secrets = apiKey ? [apiKey] : [];
  let loaded;
  try {
    loaded = await loadConfig({
      cwd: io.cwd,
      env: io.env,
      overrides: { configFile: flags.config, endpoint: flags.endpoint, siteDir: flags['site-dir'] },
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`dropmark-sync: ${redactText(error.message, secrets)}\n`);
      return 1;
    }
    throw error;
  }
  const { config } = loaded;
  const logger = createLogger({ level: io.env['LOG_LEVEL'], pretty: io.stderr.isTTY === true, secrets });
  const dispatcher = new Agent({ connect: { timeout: config.http.timeoutMs } });
  try {
    const summary = await sync(
      config,
      { dispatcher, logger, now: () => new Date(), env: io.env },
      { allowMassDelete: flags['allow-mass-delete'] === true },
    );
    io.stderr.write(redactText(formatSummary(summary), secrets));
    if (flags.json) io.stdout.write(redactText(summaryJson(summary), secrets));
    return summary.ok ? 0 : 1;
  } finally {
    await dispatcher.close();
  }
}
