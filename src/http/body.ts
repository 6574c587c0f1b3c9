import { finished, Readable } from 'node:stream';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { BodyTooLargeError } from './errors.js';

/** Restarts on every sign of progress; its abort is a timeout. */
export interface ProgressTimer {
  touch(): void;
  clear(): void;
}

/**
 * The response body as a Node stream that fails (BodyTooLargeError) as soon as more than
 * `maxBytes` have come, restarts the idle timer on every chunk, and turns a transport error
 * into what `describe` makes of it. Destroying the stream cancels the response, so a body
 * nobody reads does not hold the connection. Node's http client's body (node-get.ts) is read as
 * it comes, fetch's web stream through its reader.
 */
export function cappedBody(
  source: ReadableStream<Uint8Array> | Readable | null,
  limits: { url: string; maxBytes: number },
  timer: ProgressTimer,
  describe: (error: unknown) => unknown,
  logger: Logger,
): Readable {
  const cap = new ByteCap(limits, timer);
  if (source instanceof Readable) return cappedNodeBody(source, cap, describe);
  const reader = source?.getReader();
  return new Readable({
    read() {
      if (!reader) {
        timer.clear();
        this.push(null);
        return;
      }
      reader.read().then(
        (chunk) => {
          if (chunk.done) {
            timer.clear();
            this.push(null);
            return;
          }
          const bytes = Buffer.from(chunk.value.buffer, chunk.value.byteOffset, chunk.value.byteLength);
          const refused = cap.take(bytes);
          if (refused) return this.destroy(refused);
          this.push(bytes);
        },
        (error: unknown) => this.destroy(describe(error) as Error),
      );
    },
    destroy(error, done) {
      timer.clear();
      reader
        ?.cancel()
        .catch((reason: unknown) =>
          logger.debug({ url: limits.url, reason: String(reason) }, 'cancelling a response body failed'),
        );
      done(error);
    },
  });
}

/** Counts the bytes against the cap and restarts the idle timer; the error to fail the body with past the cap. */
class ByteCap {
  private size = 0;
  constructor(
    private readonly limits: { url: string; maxBytes: number },
    private readonly timer: ProgressTimer,
  ) {}
  take(chunk: Buffer): BodyTooLargeError | undefined {
    this.size += chunk.length;
    if (this.size > this.limits.maxBytes) return new BodyTooLargeError(this.limits);
    this.timer.touch();
    return undefined;
  }
  stop(): void {
    this.timer.clear();
  }
}

/** A Node stream's chunks handed on as they come; the source waits while the reader does not read. */
function cappedNodeBody(source: Readable, cap: ByteCap, describe: (error: unknown) => unknown): Readable {
  const body = new Readable({
    read() {
      source.resume();
    },
    destroy(error, done) {
      cap.stop();
      source.destroy();
      done(error);
    },
  });
  source.on('data', (chunk: Buffer) => {
    const refused = cap.take(chunk);
    if (refused) body.destroy(refused);
    else if (!body.push(chunk)) source.pause();
  });
  // Its end, its error, or a close before its end (a premature close is an error too, as fetch's stream has it).
  finished(source, (error) => {
    if (error) return body.destroy(describe(error) as Error);
    cap.stop();
    body.push(null);
  });
  return body;
}

/** Drops a body we will not read (a redirect, an error status), so the connection can be reused or closed. */
export async function discardBody(
  response: { body: ReadableStream<Uint8Array> | Readable | null },
  url: string,
  logger: Logger,
): Promise<void> {
  try {
    if (response.body instanceof Readable) response.body.destroy();
    else await response.body?.cancel();
  } catch (error) {
    logger.debug({ url, reason: describeError(error) }, 'discarding a response body failed');
  }
}
