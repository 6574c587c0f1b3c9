import type { Logger } from '../log.js';
import { redactText } from '../text/redact.js';
import { visibleControls } from '../text/terminal.js';

/** A generator's own log (Astro's logger, Eleventy's console): one line a message. */
export interface LinePrinter {
  debug(line: string): void;
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/** The values of a record a person needs beside the message, in this order. */
const SHOWN = ['itemId', 'file', 'endpoint', 'reason'] as const;

/**
 * The library's Logger as lines of the generator's log: the message, then the item, file, feed and
 * reason it names. Every line is scrubbed of the secrets (the API key) and of control characters:
 * feed text reaches the messages.
 */
export function lineLogger(print: LinePrinter, secrets: readonly string[]): Logger {
  const line = (obj: object, msg: string | undefined): string => {
    const record = obj as Record<string, unknown>;
    const details = SHOWN.flatMap((key) => {
      const value = record[key];
      return typeof value === 'string' || typeof value === 'number'
        ? [`${key === 'itemId' ? 'item' : key} ${value}`]
        : [];
    });
    const text = details.length > 0 ? `${msg ?? ''} (${details.join(', ')})` : (msg ?? '');
    return visibleControls(redactText(text, secrets));
  };
  return {
    debug: (obj, msg) => print.debug(line(obj, msg)),
    info: (obj, msg) => print.info(line(obj, msg)),
    warn: (obj, msg) => print.warn(line(obj, msg)),
    error: (obj, msg) => print.error(line(obj, msg)),
  };
}
