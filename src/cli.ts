#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runSync, SYNC_HELP, SYNC_OPTIONS } from './commands/sync.js';
import { DropmarkSyncError } from './errors.js';
import { redactText } from './redact.js';
import { VERSION } from './version.js';

const HELP = `dropmark-sync ${VERSION}: keeps a static site's content folder in step with a Dropmark collection

Usage: dropmark-sync <command> [options]

Commands:
  sync        one pass over every configured collection, then exit

Run "dropmark-sync <command> --help" for a command's options.
Options for every command: --help, --version

Exit status: 0 done; 1 the sync failed or only part of it succeeded, or a bad config or option.
`;

/** argv -> command; the only place that sets the exit code. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 1 : 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command !== 'sync') {
    process.stderr.write(`dropmark-sync: unknown command "${command}". Commands: sync. See dropmark-sync --help\n`);
    return 1;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: SYNC_OPTIONS, allowPositionals: false, strict: true });
  } catch (error) {
    process.stderr.write(`dropmark-sync sync: ${(error as Error).message}. See dropmark-sync sync --help\n`);
    return 1;
  }
  if (parsed.values.help) {
    process.stdout.write(SYNC_HELP);
    return 0;
  }
  return runSync(parsed.values, { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
}

// Variables from ./.env, if there is one; variables already set in the environment win.
if (existsSync('.env')) process.loadEnvFile('.env');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const secret = process.env['DROPMARK_API_KEY'];
    const message = error instanceof DropmarkSyncError ? error.message : `unexpected error: ${(error as Error)?.stack ?? error}`;
    process.stderr.write(`dropmark-sync: ${redactText(message, secret ? [secret] : [])}\n`);
    process.exitCode = 1;
  },
);
