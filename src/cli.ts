#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chooseOutput, type CommandIo } from './commands/io.js';
import { helpText, INIT, SCHEDULE, STATUS, SYNC, VALIDATE, type CommandSpec } from './commands/catalog.js';
import { dotEnvAdditions } from './env.js';
import { ConfigError, describeError, describeSystemError, DropmarkSyncError } from './errors.js';
import { redactText } from './text/redact.js';
import { visibleControls } from './text/terminal.js';
import { VERSION } from './version.js';

type Flags = Record<string, string | boolean | undefined>;
type Run = (flags: Flags, io: CommandIo) => Promise<number>;

interface Command {
  spec: CommandSpec;
  /** The command's module, imported only when it runs (start-up time is what cron and probes pay). */
  load: () => Promise<Run>;
  /** Whether it logs (its stderr follows --log-format, LOG_LEVEL, --quiet and the colour settings). */
  logs?: boolean;
}

// The casts meet the declaration: each runner takes FlagsOf<its spec>, which parsing produced.
const COMMANDS: Record<string, Command> = {
  sync: { spec: SYNC, load: async () => (await import('./commands/sync.js')).runSync as Run, logs: true },
  schedule: {
    spec: SCHEDULE,
    load: async () => (await import('./commands/schedule.js')).runSchedule as Run,
    logs: true,
  },
  status: { spec: STATUS, load: async () => (await import('./commands/status.js')).runStatus as Run },
  validate: { spec: VALIDATE, load: async () => (await import('./commands/validate.js')).runValidate as Run },
  init: { spec: INIT, load: async () => (await import('./commands/init.js')).runInit as Run },
};

const HELP = `dropmark-sync ${VERSION}: keeps a static site's content folder in step with a Dropmark collection

Usage: dropmark-sync <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)}  ${c.spec.summary}`)
  .join('\n')}

Run "dropmark-sync help <command>" (or "<command> --help") for a command's options.
Every command takes --help; dropmark-sync --version prints the version.

Exit status: 0 done (a degraded sync too: every post written, some images missing); 1 the
sync failed or some items failed, another sync holds the site's lock, a problem found by
validate, status found the worker failing or stale, or a bad config or option; 2 only with
sync --check: changes are pending.
`;

/** argv -> command; the only place that sets the exit code. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  // `help sync` is `sync --help` (and `help bogus` the unknown command it names).
  if (name === 'help' && rest[0] !== undefined) return main([rest[0], '--help']);
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
      `dropmark-sync: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}. ` +
        'See dropmark-sync --help\n',
    );
    return 1;
  }
  const values = parseFlags(command.spec, rest);
  if (typeof values === 'string') {
    process.stderr.write(`dropmark-sync ${name}: ${values}. See dropmark-sync ${name} --help\n`);
    return 1;
  }
  if (values['help']) {
    process.stdout.write(helpText(name, command.spec));
    return 0;
  }
  const io: CommandIo = { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr };
  if (command.logs) io.output = chooseOutput(values, process.env, process.stderr.isTTY === true);
  return (await command.load())(values, io);
}

/** The flags, or why they are wrong. */
function parseFlags(spec: CommandSpec, args: string[]): Flags | string {
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([key, o]) => [key, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
  );
  let values: Flags;
  try {
    values = parseArgs({ args, options, allowPositionals: false, strict: true }).values as Flags;
  } catch (error) {
    return describeError(error);
  }
  for (const [key, o] of Object.entries(spec.options)) {
    const value = values[key];
    if (o.choices && typeof value === 'string' && !o.choices.includes(value)) {
      return `--${key} "${value}" is not one of: ${o.choices.join(', ')}`;
    }
  }
  return values;
}

// A reader that goes away is no error of ours: `dropmark-sync sync --dry-run | head` (EPIPE), or
// a terminal closed under a running sync (EIO): the SIGHUP it sends is a clean stop, which must
// not end in a crash on its first line of output.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'EIO') throw error;
  });
}

/**
 * The tool's own variables from ./.env, if there is one (DOTENV_VARIABLES; any other line is
 * not the tool's to set); variables already set in the environment win.
 */
function loadDotEnv(): void {
  if (!existsSync('.env')) return;
  let text: string;
  try {
    text = readFileSync('.env', 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read ./.env: ${describeError(error)}. Make it a file of NAME=value lines, or remove it`,
      { file: '.env' },
    );
  }
  Object.assign(process.env, dotEnvAdditions(text, process.env));
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
    `unexpected error: ${describeError(error)}. ` +
      'This is a bug in dropmark-sync; please report it ' +
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
