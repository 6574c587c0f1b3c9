import { pino, type Logger as PinoLogger } from 'pino';
import { redactText } from './text/redact.js';
import { visibleControls } from './text/terminal.js';

/** The subset of pino the library uses, so tests can pass their own. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface CreateLoggerOptions {
  /** A pino level, checked by the caller (an unknown LOG_LEVEL is an error there). */
  level: string;
  /** Human-readable lines instead of JSON (a terminal is attached, or --log-format pretty). */
  pretty: boolean;
  /** Colours in the readable lines. */
  color: boolean;
  /** Values that must never be printed (the API key). */
  secrets: readonly string[];
  destination?: NodeJS.WritableStream;
}

/**
 * pino to stderr. pino's `redact` works on object paths only, so every string that is
 * logged (messages and values) is scrubbed of secrets first, by a formatter, and its control
 * and bidi characters are escaped: JSON.stringify escapes C0 but not C1 nor bidi, and
 * pino-pretty prints messages raw to the terminal.
 */
export async function createLogger(options: CreateLoggerOptions): Promise<PinoLogger> {
  const level = options.level;
  const clean = (text: string): string => visibleControls(redactText(text, options.secrets));
  const scrub = (value: unknown): unknown => {
    if (typeof value === 'string') return clean(value);
    if (Array.isArray(value)) return value.map(scrub);
    if (value && typeof value === 'object') {
      if (value instanceof Error) return { type: clean(value.name), message: clean(value.message) };
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
    }
    return value;
  };
  const destination = options.destination ?? process.stderr;
  // pino-pretty is loaded only for readable lines: a cron job's JSON lines do not pay for it.
  const stream = options.pretty
    ? (await import('pino-pretty')).default({
        destination: destination as never,
        sync: true,
        colorize: options.color,
        ignore: 'pid,hostname',
      })
    : destination;
  return pino(
    {
      level,
      base: undefined,
      formatters: { log: (obj) => scrub(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? clean(a) : a));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    stream as never,
  );
}
