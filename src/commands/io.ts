import { ConfigError } from '../errors.js';
import { redactText } from '../text/redact.js';
import { visibleControls } from '../text/terminal.js';

/**
 * How a worker's stderr looks. One format per stream: `json` is JSON lines only (the summary
 * the last record), `pretty` is readable lines and the summary text.
 */
export interface OutputChoice {
  format: 'json' | 'pretty';
  /** pino's level: records below it are not printed, the summary included. */
  level: LogLevel;
  color: boolean;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface CommandIo {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Set for the commands that log (sync, schedule); without it, lines are plain text. */
  output?: OutputChoice;
}

export function secretsOf(env: CommandIo['env']): string[] {
  const key = env['DROPMARK_API_KEY'];
  return key ? [key] : [];
}

const PINO_LEVEL = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;

/** Whether a record at `level` is printed under the chosen output. */
export function printed(io: CommandIo, level: Exclude<LogLevel, 'silent'>): boolean {
  return PINO_LEVEL[level] >= PINO_LEVEL[io.output?.level ?? 'trace'];
}

/**
 * A line for a person on stderr: no secret, and no control character from feed text reaches
 * the terminal. Under `--log-format json` it is a JSON record like the logger's, so the
 * stream stays one format.
 */
export function say(io: CommandIo, text: string, level: 'info' | 'warn' | 'error' = 'error'): void {
  const clean = visibleControls(redactText(text, secretsOf(io.env)));
  if (io.output?.format !== 'json') {
    io.stderr.write(clean);
    return;
  }
  if (!printed(io, level)) return;
  // The wall clock belongs here, at the edge: it stamps a line, it decides nothing.
  io.stderr.write(`${JSON.stringify({ level: PINO_LEVEL[level], time: Date.now(), msg: clean.trimEnd() })}\n`);
}

/**
 * The output of a logging command from its flags, the environment and whether stderr is a
 * terminal. A LOG_LEVEL that is not a level is an error, not a silent "info".
 */
export function chooseOutput(
  flags: { 'log-format'?: string | undefined; quiet?: boolean | undefined; 'no-color'?: boolean | undefined },
  env: CommandIo['env'],
  stderrIsTTY: boolean,
): OutputChoice {
  const format =
    flags['log-format'] === 'json' || flags['log-format'] === 'pretty'
      ? flags['log-format']
      : stderrIsTTY
        ? 'pretty'
        : 'json';
  const asked = env['LOG_LEVEL'];
  if (asked !== undefined && asked !== '' && !(LOG_LEVELS as readonly string[]).includes(asked)) {
    throw new ConfigError(
      `LOG_LEVEL "${asked}" is not a level; use one of ${LOG_LEVELS.join(', ')} (or leave it unset for info)`,
      { file: 'LOG_LEVEL' },
    );
  }
  let level: LogLevel = asked ? (asked as LogLevel) : 'info';
  // --quiet raises the bar to warnings; it never lowers a stricter LOG_LEVEL.
  if (flags.quiet && PINO_LEVEL[level] < PINO_LEVEL.warn) level = 'warn';
  // https://no-color.org: any non-empty NO_COLOR; FORCE_COLOR=0 also means none.
  const force = env['FORCE_COLOR'];
  const noColor = flags['no-color'] === true || Boolean(env['NO_COLOR']) || force === '0' || force === 'false';
  const color = !noColor && (stderrIsTTY || (force !== undefined && force !== ''));
  return { format, level, color };
}
