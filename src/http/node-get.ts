import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/**
 * What the client reads of an answer: fetch's Response has it, and so has nodeGet's, whose body is Node's own
 * stream (a web stream between Node's http client and the Node stream the reader takes cost a copy of every
 * chunk's promise hops through two adapters: ~14 ms of a 10k-item feed).
 */
export interface TransportAnswer {
  status: number;
  headers: { get(name: string): string | null };
  body: ReadableStream<Uint8Array> | Readable | null;
}

/** nodeGet's answer: its body is a Node stream. */
export interface NodeAnswer extends TransportAnswer {
  body: Readable | null;
}

/**
 * A GET on Node's own HTTP client, answered like a fetch Response (status, headers, a body stream),
 * for the origin whose requests need no dispatcher of ours: the configured endpoint's. Node 20's
 * fetch parses HTTP in WebAssembly, which V8 compiles on the first request and optimises in the
 * background, and the process waits for that before it exits: about a quarter of the CPU time of
 * a 304 poll of a 10k-item site (bench/RESULTS.md, start-up). Node's
 * http parser is compiled in; the answer is no Response either, whose module (fetch's undici)
 * starts that compile as it loads. Redirects are not followed (the caller follows them hop by hop);
 * the body comes decoded (gzip, deflate, br), as fetch hands it; a URL with a user name or a
 * password is refused, as fetch refuses it.
 */
export function nodeGet(
  target: URL,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<NodeAnswer> {
  if (target.username !== '' || target.password !== '')
    return Promise.reject(new TypeError('a URL with a user name or a password is refused; put no credentials in it'));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let answered: IncomingMessage | undefined;
    const request = send(
      target,
      { method: 'GET', headers: { 'accept-encoding': 'gzip, deflate, br', ...headers } },
      (answer) => {
        answered = answer;
        try {
          resolve(asAnswer(answer));
        } catch (error) {
          answer.destroy();
          reject(error);
        }
      },
    );
    request.on('error', reject);
    // A 101 is no answer (fetch fails it as a bad upgrade). Node hands over the socket, or closes it without an
    // 'error', and then neither the timeout nor a stop could end the wait: nothing would settle it.
    request.on('upgrade', (_answer, socket) => {
      socket.destroy();
      reject(new Error('the server switched protocols (HTTP 101) instead of answering the GET'));
    });
    request.on('close', () => reject(new Error('the connection closed before an answer came')));
    request.end();
    // Not http's own `signal` option: its abort drops what the answer holds unread and, once the last bytes have
    // come, lets the body end as if whole. A stop fails the answer's body instead, then the request.
    const stop = () => {
      const error = new Error('the request was stopped', { cause: signal.reason });
      answered?.destroy(error);
      request.destroy(error);
    };
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    request.on('close', () => signal.removeEventListener('abort', stop));
  });
}

/** The statuses whose answer has no body (fetch's null body statuses). */
const NO_BODY = new Set([101, 103, 204, 205, 304]);

function asAnswer(answer: IncomingMessage): NodeAnswer {
  const status = answer.statusCode ?? 0;
  // A header sent twice reads as its values joined by ", ", as Headers.get gives it.
  const headers = new Map<string, string>();
  const raw = answer.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    const before = headers.get(name);
    headers.set(name, before === undefined ? value : `${before}, ${value}`);
  }
  const get = (name: string) => headers.get(name.toLowerCase()) ?? null;
  if (NO_BODY.has(status)) {
    answer.resume();
    return { status, headers: { get }, body: null };
  }
  return { status, headers: { get }, body: decoded(answer, get('content-encoding')) };
}

/** zlib's streams, lenient with a body that ends early as fetch's are: the cut itself is the transport's error. */
const LENIENT = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };

/** The body without its content codings, last first; a coding this does not know leaves the bytes as they came. */
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
