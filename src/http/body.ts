import { Readable } from 'node:stream';
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
 * nobody reads does not hold the connection.
 */
export function cappedBody(
  web: ReadableStream<Uint8Array> | null,
  limits: { url: string; maxBytes: number },
  timer: ProgressTimer,
  describe: (error: unknown) => unknown,
  logger: Logger,
): Readable {
  const reader = web?.getReader();
  let size = 0;
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
          size += chunk.value.byteLength;
          if (size > limits.maxBytes) return this.destroy(new BodyTooLargeError(limits));
          timer.touch();
          this.push(Buffer.from(chunk.value.buffer, chunk.value.byteOffset, chunk.value.byteLength));
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

/** Drops a body we will not read (a redirect, an error status), so the connection can be reused or closed. */
export async function discardBody(response: Pick<Response, 'body'>, url: string, logger: Logger): Promise<void> {
  try {
    await response.body?.cancel();
  } catch (error) {
    logger.debug({ url, reason: describeError(error) }, 'discarding a response body failed');
  }
}

/** The whole (already capped) body in memory. */
export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
