import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline, Readable } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/**
 * A GET on Node's own HTTP client, answered as a fetch Response (status, headers, a body stream),
 * for the origin whose requests need no dispatcher of ours: the configured endpoint's. Node 20's
 * fetch parses HTTP in WebAssembly, which V8 compiles on the first request and optimises in the
 * background, and the process waits for that before it exits: ~100 ms of CPU on every poll from
 * cron, where the whole 304 of a 10k-item site costs ~450 (bench/RESULTS.md, start-up). Node's
 * http parser is compiled in. Redirects are not followed (the caller follows them hop by hop);
 * the body comes decoded (gzip, deflate, br), as fetch hands it; a URL with a user name or a
 * password is refused, as fetch refuses it.
 */
export function nodeGet(
  target: URL,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<Response> {
  if (target.username !== '' || target.password !== '')
    return Promise.reject(new TypeError('a URL with a user name or a password is refused; put no credentials in it'));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      { method: 'GET', headers: { 'accept-encoding': 'gzip, deflate, br', ...headers }, signal },
      (answer) => {
        try {
          resolve(asResponse(answer));
        } catch (error) {
          answer.destroy();
          reject(error);
        }
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** The statuses whose answer has no body (fetch's null body statuses). */
const NO_BODY = new Set([101, 103, 204, 205, 304]);

function asResponse(answer: IncomingMessage): Response {
  const status = answer.statusCode ?? 0;
  const headers = new Headers();
  const raw = answer.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  if (NO_BODY.has(status)) {
    answer.resume();
    return new Response(null, { status, headers });
  }
  const body = Readable.toWeb(decoded(answer, headers.get('content-encoding'))) as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers });
}

/** zlib's streams, lenient with a body that ends early as fetch's are: the cut itself is the transport's error. */
const LENIENT = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };

/** The body without its content codings, undone last first; a coding this does not know leaves the bytes as they came. */
function decoded(answer: IncomingMessage, encoding: string | null): Readable {
  const codings = (encoding ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '' && c !== 'identity')
    .reverse();
  const decoders: NodeJS.ReadWriteStream[] = [];
  for (const coding of codings) {
    if (coding === 'gzip' || coding === 'x-gzip') decoders.push(createGunzip(LENIENT));
    else if (coding === 'deflate') decoders.push(createInflate(LENIENT));
    else if (coding === 'br') decoders.push(createBrotliDecompress());
    else return answer;
  }
  if (decoders.length === 0) return answer;
  // Any failure, of the transport or of a decoder, destroys every stream and reaches the last one's reader.
  return pipeline([answer, ...decoders], () => {}) as unknown as Readable;
}
