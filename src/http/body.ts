import type { Dispatcher } from 'undici';

/** The body was longer than allowed; thrown before more than `maxBytes` are held. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/**
 * Reads a response body into memory, refusing it as soon as it is known to exceed
 * `maxBytes`: by its Content-Length before reading, or while streaming. Transport errors
 * are rethrown as they come, for the caller to describe.
 */
export async function readCapped(response: Dispatcher.ResponseData, maxBytes: number): Promise<Buffer> {
  const length = response.headers['content-length'];
  const declared = Number(Array.isArray(length) ? length[0] : length);
  if (Number.isFinite(declared) && declared > maxBytes) {
    discard(response.body);
    throw new BodyTooLargeError();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      discard(response.body);
      throw new BodyTooLargeError();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

/** Drops a body we will not read. undici emits 'error' on a destroyed body: without a listener that would crash the process. */
export function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}
