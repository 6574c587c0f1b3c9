import { text } from 'node:stream/consumers';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type GetOptions } from '../../../src/http/client.js';
import type { HttpError } from '../../../src/http/errors.js';
import { nodeGet } from '../../../src/http/node-get.js';
import { cutOffBody, type Handler, startServer, status } from '../../support/feed-server.js';
import { feedGetOptions } from '../../support/get-options.js';

/**
 * The endpoint's own origin goes through Node's http client instead of fetch (a poll then
 * compiles no WebAssembly parser). Each answer is asked of both, against a real loopback
 * server: what the client reads (status, the headers it uses, the decoded body) is fetch's.
 */
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer(status(200, {}, 'ok'));
});
afterAll(() => server.close());

const FEED = '{"items":[{"id":1,"name":"café"}]}';

async function viaFetch(url: string): Promise<{ status: number; etag: string | null; body: string }> {
  const answer = await fetch(url, { redirect: 'manual', headers: { 'user-agent': 'dropmark-sync' } });
  return { status: answer.status, etag: answer.headers.get('etag'), body: await answer.text() };
}

async function viaNode(url: string): Promise<{ status: number; etag: string | null; body: string }> {
  const answer = await nodeGet(new URL(url), { 'user-agent': 'dropmark-sync' }, new AbortController().signal);
  const body = answer.body === null ? '' : await text(answer.body);
  return { status: answer.status, etag: answer.headers.get('etag'), body };
}

const encoded =
  (encoding: string, bytes: Buffer): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-encoding': encoding, etag: '"v2"', 'content-length': String(bytes.length) });
    res.end(bytes);
  };

describe('nodeGet answers as fetch does', () => {
  const cases: [string, Handler, { status: number; etag: string | null; body: string }][] = [
    ['a plain body', status(200, { etag: '"v1"' }, FEED), { status: 200, etag: '"v1"', body: FEED }],
    ['gzip', encoded('gzip', gzipSync(FEED)), { status: 200, etag: '"v2"', body: FEED }],
    ['deflate', encoded('deflate', deflateSync(FEED)), { status: 200, etag: '"v2"', body: FEED }],
    ['br', encoded('br', brotliCompressSync(FEED)), { status: 200, etag: '"v2"', body: FEED }],
    [
      'two codings, undone last first',
      encoded('deflate, gzip', gzipSync(deflateSync(FEED))),
      { status: 200, etag: '"v2"', body: FEED },
    ],
    [
      'a coding neither knows: the bytes as they came',
      encoded('zstd-x', Buffer.from('raw')),
      { status: 200, etag: '"v2"', body: 'raw' },
    ],
    ['304: no body', status(304, { etag: '"v1"' }), { status: 304, etag: '"v1"', body: '' }],
    [
      'a redirect is handed back, not followed',
      status(302, { location: '/elsewhere' }, 'moved'),
      { status: 302, etag: null, body: 'moved' },
    ],
  ];
  for (const [what, handler, expected] of cases) {
    it(what, async () => {
      server.answer(handler);
      const url = `${server.url}/feed.json`;
      expect(await viaNode(url)).toEqual(expected);
      expect(await viaFetch(url)).toEqual(expected);
    });
  }

  it('asks for compressed answers and sends the caller headers', async () => {
    server.answer(status(200, {}, 'ok'));
    const before = server.requests.length;
    await viaNode(`${server.url}/feed.json`);
    expect(server.requests[before]?.headers).toMatchObject({
      'accept-encoding': 'gzip, deflate, br',
      'user-agent': 'dropmark-sync',
    });
  });

  it('a header sent twice reads as its values joined, whatever the case of its name', async () => {
    server.answer((_req, res) => {
      res.writeHead(200, [
        ['Link', '<a>; rel="next"'],
        ['link', '<b>; rel="last"'],
      ]);
      res.end();
    });
    const url = `${server.url}/feed.json`;
    const node = await nodeGet(new URL(url), {}, new AbortController().signal);
    const viaFetchLink = (await fetch(url)).headers.get('link');
    expect(node.headers.get('LINK')).toBe('<a>; rel="next", <b>; rel="last"');
    expect(viaFetchLink).toBe('<a>; rel="next", <b>; rel="last"');
    node.body?.destroy();
  });

  it('refuses a URL with a user name or a password, as fetch does', async () => {
    const url = `${server.url.replace('//', '//user:secret@')}/feed.json`;
    await expect(viaNode(url)).rejects.toThrow(/user name or a password is refused/);
    await expect(viaFetch(url)).rejects.toThrow(TypeError);
  });
});

describe('the endpoint origin through the client', () => {
  const options = (over: Partial<GetOptions<string>> = {}) => feedGetOptions(server.url, over);
  const client = (warned: string[] = []) =>
    createHttpClient({
      guardedDispatcher: () => Promise.reject(new Error('no other origin in these tests')),
      allowPrivateNetworks: false,
      now: Date.now,
      random: () => 0,
      logger: { debug() {}, info() {}, error() {}, warn: (_o: object, msg?: string) => warned.push(String(msg)) },
    });

  it('a body cut off mid-way is a network failure, retried', async () => {
    server.answer(cutOffBody, status(200, {}, 'whole'));
    const warned: string[] = [];
    expect(await client(warned).get(`${server.url}/feed.json`, options())).toBe('whole');
    expect(warned).toEqual([
      expect.stringMatching(
        /^feed request failed, will retry: the answer from 127\.0\.0\.1:\d+ was cut off \(ECONNRESET\)$/,
      ),
    ]);
  });

  it('a decoded body over maxBytes is refused, however small it came', async () => {
    const big = gzipSync('x'.repeat(5000));
    server.answer(encoded('gzip', big));
    const error = (await client()
      .get(`${server.url}/feed.json`, options())
      .catch((e: unknown) => e)) as HttpError;
    expect(big.length).toBeLessThan(1024);
    expect(error).toMatchObject({ name: 'BodyTooLargeError' });
  });

  it('a 101 Switching Protocols is a failure at once, not an answer waited for in vain', async () => {
    server.answer((_req, res) => {
      res.writeHead(101, { upgrade: 'websocket', connection: 'Upgrade' });
      res.end();
    });
    const error = (await client()
      .get(`${server.url}/feed.json`, options({ retries: 0 }))
      .catch((e: unknown) => e)) as HttpError;
    expect(error).toMatchObject({ name: 'HttpError', kind: 'network', retryable: false });
    const host = new URL(server.url).host;
    expect(error.message).toBe(
      `request to ${host} failed (the server switched protocols (HTTP 101) instead of answering the GET)`,
    );
  });

  it('a body that stops coming for timeoutMs is a body timeout, its bytes so far dropped', async () => {
    server.answer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('x'.repeat(10));
    });
    const error = (await client()
      .get(`${server.url}/feed.json`, options({ timeoutMs: 50, retries: 0 }))
      .catch((e: unknown) => e)) as HttpError;
    expect(error).toMatchObject({ kind: 'timeout', code: 'UND_ERR_BODY_TIMEOUT', retryable: true });
  });

  it('no answer within timeoutMs is a timeout', async () => {
    server.answer(() => {});
    const error = (await client()
      .get(`${server.url}/feed.json`, options({ timeoutMs: 50, retries: 0 }))
      .catch((e: unknown) => e)) as HttpError;
    expect(error).toMatchObject({ kind: 'timeout', code: 'UND_ERR_HEADERS_TIMEOUT', retryable: true });
  });
});
