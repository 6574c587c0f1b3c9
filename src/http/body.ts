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

/**
 * The whole (already capped) body in memory. Given the length the server declared for it (an unencoded body's
 * content-length), the chunks are copied into one buffer of that length as they come, so no list of chunks and a
 * joined copy of them are held at once (a 100k-item feed is ~230 MB); a body that outgrows it is still read whole.
 */
export async function readAll(body: Readable, declaredLength?: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const whole = declaredLength === undefined ? undefined : Buffer.allocUnsafeSlow(declaredLength);
  let filled = 0;
  for await (const chunk of body) {
    const bytes = chunk as Buffer;
    if (whole && chunks.length === 0 && filled + bytes.length <= whole.length) bytes.copy(whole, filled);
    else {
      if (whole && chunks.length === 0) chunks.push(whole.subarray(0, filled));
      chunks.push(bytes);
    }
    filled += bytes.length;
  }
  if (!whole || chunks.length > 0) return Buffer.concat(chunks);
  return filled === whole.length ? whole : whole.subarray(0, filled);
}
