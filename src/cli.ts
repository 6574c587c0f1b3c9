#!/usr/bin/env node
import { existsSync, statSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CommandIo } from './commands/context.js';
import { INIT_HELP, INIT_OPTIONS, runInit } from './commands/init.js';
import { runSchedule, SCHEDULE_HELP, SCHEDULE_OPTIONS } from './commands/schedule.js';
import { runStatus, STATUS_HELP, STATUS_OPTIONS } from './commands/status.js';
import { runSync, SYNC_HELP, SYNC_OPTIONS } from './commands/sync.js';
import { runValidate, VALIDATE_HELP, VALIDATE_OPTIONS } from './commands/validate.js';
import { ConfigError, describeSystemError, DropmarkSyncError } from './errors.js';
import { redactText } from './redact.js';
import { visibleControls } from './report/terminal.js';
import { VERSION } from './version.js';

const HELP = `dropmark-sync ${VERSION}: keeps a static site's content folder in step with a Dropmark collection

Usage: dropmark-sync <command> [options]

Commands:
  sync        one pass over every configured collection, then exit
  schedule    stay running and sync on the config's cron schedule
  status      print the last run's heartbeat; exit 1 if it failed or is too old
  validate    check the files already in the site against the schema; exit 1 on any problem
  init        at a site's root: write dropmark-sync.yaml (and with --github a workflow)

Run "dropmark-sync help <command>" (or "<command> --help") for a command's options.
Options for every command: --help, --version

Exit status: 0 done; 1 the sync failed or only part of it succeeded, another sync holds
the site's lock, a problem found by validate, or a bad config or option; 2 only with
sync --check: changes are pending.
`;

interface Command {
  options: ParseArgsConfig['options'];
  help: string;
  run: (flags: Record<string, string | boolean | undefined>, io: CommandIo) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  sync: { options: SYNC_OPTIONS, help: SYNC_HELP, run: runSync },
  schedule: { options: SCHEDULE_OPTIONS, help: SCHEDULE_HELP, run: runSchedule },
  status: { options: STATUS_OPTIONS, help: STATUS_HELP, run: (flags, io) => runStatus(flags, io) },
  validate: { options: VALIDATE_OPTIONS, help: VALIDATE_HELP, run: runValidate },
  init: { options: INIT_OPTIONS, help: INIT_HELP, run: runInit },
};

/** argv -> command; the only place that sets the exit code. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  // `help sync` is `sync --help`.
  if (name === 'help' && rest[0] !== undefined && COMMANDS[rest[0]]) return main([rest[0], '--help']);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(
      `dropmark-sync: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}. See dropmark-sync --help\n`,
    );
    return 1;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: rest, options: command.options, allowPositionals: false, strict: true }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (error) {
    process.stderr.write(`dropmark-sync ${name}: ${(error as Error).message}. See dropmark-sync ${name} --help\n`);
    return 1;
  }
  if (values['help']) {
    process.stdout.write(command.help);
    return 0;
  }
  return command.run(values, { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
}

// `dropmark-sync sync --dry-run | head`: a reader that goes away is no error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/** Variables from ./.env, if there is one; variables already set in the environment win. */
function loadDotEnv(): void {
  if (!existsSync('.env')) return;
  try {
    // Node's own message for a folder here is about argument types; say what it is instead.
    if (statSync('.env').isDirectory()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
    process.loadEnvFile('.env');
  } catch (error) {
    const why = describeSystemError(error) ?? (error as Error).message;
    throw new ConfigError(`cannot read ./.env: ${why}. Make it a file of NAME=value lines, or remove it`, undefined, '.env');
  }
}

/**
 * The last line of defence: one line, never a stack trace (that is for LOG_LEVEL=debug),
 * never a secret.
 */
function reportFailure(error: unknown): void {
  const secret = process.env['DROPMARK_API_KEY'];
  const known = error instanceof DropmarkSyncError ? error.message : describeSystemError(error);
  const message =
    known ??
    `unexpected error: ${(error as Error)?.message ?? String(error)}. This is a bug in dropmark-sync; please report it ` +
      'with the command you ran (LOG_LEVEL=debug prints the stack trace)';
  process.stderr.write(`dropmark-sync: ${visibleControls(redactText(message, secret ? [secret] : []))}\n`);
  if (known === undefined && process.env['LOG_LEVEL'] === 'debug') {
    process.stderr.write(`${redactText(String((error as Error)?.stack), secret ? [secret] : [])}\n`);
  }
  process.exitCode = 1;
}

Promise.resolve()
  .then(loadDotEnv)
  .then(() => main(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  }, reportFailure);
