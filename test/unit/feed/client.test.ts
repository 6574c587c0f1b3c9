import { gzipSync } from 'node:zlib';
import nock from 'nock';
import { Agent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { DropmarkSyncError, FeedError } from '../../../src/errors.js';
import { fetchFeed, type FetchDeps, type FetchedFeed, type HttpOptions } from '../../../src/feed/client.js';
import type { Logger } from '../../../src/log.js';

const ORIGIN = 'https://shah.dropmark.com';
const ENDPOINT = `${ORIGIN}/616548.json`;
const SECRET = 'sekrit-read-key-123';

const options: HttpOptions = {
  timeoutMs: 5000,
  retries: 3,
  retryDelayMs: 1,
  maxRetryAfterMs: 60_000,
  maxBodyBytes: 1024,
};

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (obj: object, msg?: string) => lines.push(JSON.stringify({ ...obj, msg }));
  return { lines, debug: rec, info: rec, warn: rec, error: rec };
}

// nock answers before any dispatcher is used; the transport itself is test/unit/http/transport.test.ts's.
const agent = new Agent();
afterAll(() => agent.close());

const deps = (over: Partial<FetchDeps> = {}): FetchDeps => ({
  dispatcher: agent,
  guardedDispatcher: agent,
  allowPrivateNetworks: false,
  logger: recordingLogger(),
  now: Date.now,
  ...over,
});
const feed = () => nock(ORIGIN).get('/616548.json').query(true);
/** The ids of the items the feed was read to, or `(304)`. */
const idsOf = (got: FetchedFeed) => (got.notModified ? '(304)' : got.feed.items.map((i) => i.id));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the feed was fetched'),
    (e: unknown) => e as FeedError,
  );

describe('fetchFeed', () => {
  it('returns the parsed feed and the validators, and sends the read key as ?key=', async () => {
    nock(ORIGIN)
      .get('/616548.json')
      .query({ key: SECRET })
      .reply(200, '{"items":[]}', { etag: '"e1"', 'last-modified': 'Thu, 26 Nov 2026 10:00:00 GMT' });
    const got = await fetchFeed(ENDPOINT, options, deps({ apiKey: SECRET }));
    expect(idsOf(got)).toEqual([]);
    expect(got.validators).toEqual({ etag: '"e1"', lastModified: 'Thu, 26 Nov 2026 10:00:00 GMT' });
  });

  it('reads a compressed body whole, though its Content-Length is the compressed size', async () => {
    const text = JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ id: i + 1, name: 'same words' })) });
    const zipped = gzipSync(text);
    expect(zipped.length).toBeLessThan(text.length / 2);
    feed().reply(200, zipped, { 'content-encoding': 'gzip', 'content-length': String(zipped.length) });
    expect(idsOf(await fetchFeed(ENDPOINT, options, deps()))).toEqual(
      Array.from({ length: 20 }, (_, i) => String(i + 1)),
    );
  });

  it('sends the validators of a conditional GET and reports a 304 as not modified', async () => {
    nock(ORIGIN, { reqheaders: { 'if-none-match': '"e1"', 'if-modified-since': 'Thu, 26 Nov 2026 10:00:00 GMT' } })
      .get('/616548.json')
      .query(true)
      .reply(304, '', { etag: '"e1"' });
    const got = await fetchFeed(ENDPOINT, options, deps(), {
      etag: '"e1"',
      lastModified: 'Thu, 26 Nov 2026 10:00:00 GMT',
    });
    expect(got).toEqual({ notModified: true, validators: { etag: '"e1"', lastModified: undefined } });
  });

  it('an answer that is not JSON fails at once as a FeedError, not retried (it is an answer)', async () => {
    const page = feed().reply(200, '<!doctype html><p>Sign in</p>');
    const error = await failure(fetchFeed(ENDPOINT, options, deps()));
    expect(error).toBeInstanceOf(FeedError);
    expect(error.message).toBe(
      `GET ${ENDPOINT}: the answer is not JSON (it looks like an HTML page: is the endpoint the collection URL ` +
        'ending in .json?). Check the endpoint URL',
    );
    expect(page.isDone()).toBe(true);
  });

  it('a 304 to a request that was not conditional is an unexpected answer', async () => {
    feed().reply(304);
    expect((await failure(fetchFeed(ENDPOINT, options, deps()))).message).toMatch(/HTTP 304: unexpected answer/);
  });

  it('retries 5xx and network errors, then succeeds', async () => {
    feed()
      .reply(503)
      .get('/616548.json')
      .query(true)
      .replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    feed().reply(200, '{"items":[{"id":7}]}');
    const logger = recordingLogger();
    expect(idsOf(await fetchFeed(ENDPOINT, options, deps({ logger })))).toEqual(['7']);
    expect(logger.lines).toHaveLength(2);
  });

  it('gives up after the retries with a FeedError naming the status, without the key', async () => {
    feed().times(4).reply(500);
    const logger = recordingLogger();
    const error = await failure(fetchFeed(ENDPOINT, options, deps({ logger, apiKey: SECRET })));
    expect(error).toBeInstanceOf(FeedError);
    expect(error).toBeInstanceOf(DropmarkSyncError);
    expect(error.status).toBe(500);
    expect(error.message).toMatch(
      /^GET https:\/\/shah\.dropmark\.com\/616548\.json: HTTP 500: the server failed.*gave up after 4 attempts/,
    );
    expect(error.url).toBe(ENDPOINT);
    expect(JSON.stringify(error) + error.message + logger.lines.join()).not.toContain(SECRET);
  });

  it('says it made a single attempt when http.retries is 0', async () => {
    feed().reply(500);
    const error = await failure(fetchFeed(ENDPOINT, { ...options, retries: 0 }, deps()));
    expect(error.message).toMatch(
      /HTTP 500: the server failed.*\(gave up after its only attempt: http\.retries is 0\)$/,
    );
  });

  it.each([
    [401, /the collection is private or the read key is wrong/],
    [403, /the collection is private or the read key is wrong/],
    [404, /no such collection/],
    [400, /unexpected answer/],
  ])('does not retry HTTP %i', async (code, message) => {
    feed().reply(code);
    const error = await failure(fetchFeed(ENDPOINT, options, deps()));
    expect(error.status).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/gave up/);
  });

  it('refuses a body over the cap without retrying, naming http.maxBodyBytes', async () => {
    feed().reply(200, 'x'.repeat(2000));
    expect((await failure(fetchFeed(ENDPOINT, options, deps()))).message).toMatch(
      /the feed is larger than 1024 bytes \(http\.maxBodyBytes\)/,
    );
  });

  it('follows a redirect and does not send the key to another host', async () => {
    const seen: string[] = [];
    feed().reply(302, '', { location: 'https://cdn.example.net/feed.json' });
    nock('https://cdn.example.net')
      .get('/feed.json')
      .query(true)
      .reply(function () {
        seen.push(this.req.path);
        return [200, '{"items":[]}'];
      });
    await fetchFeed(ENDPOINT, options, deps({ apiKey: SECRET }));
    expect(seen).toEqual(['/feed.json']);
  });

  it('refuses a redirect to a private address, naming http.allowPrivateNetworks', async () => {
    feed().reply(302, '', { location: 'http://169.254.169.254/latest/meta-data/' });
    const error = await failure(fetchFeed(ENDPOINT, options, deps()));
    expect(error).toBeInstanceOf(FeedError);
    expect(error.message).toMatch(
      /169\.254\.169\.254 is a private or local address; refused \(.*set http\.allowPrivateNetworks: true/,
    );
  });

  it('says a DNS failure is one, and does not retry it', async () => {
    feed().replyWithError(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    const error = await failure(fetchFeed(ENDPOINT, options, deps()));
    expect(error.message).toMatch(/the host name shah\.dropmark\.com could not be resolved \(DNS\)/);
    expect(error.message).not.toMatch(/gave up/);
  });

  it('stops after too many redirects', async () => {
    feed().times(6).reply(302, '', { location: ENDPOINT });
    expect((await failure(fetchFeed(ENDPOINT, options, deps()))).message).toMatch(/more than 5 redirects/);
  });

  it('an endpoint that is not a URL is a FeedError', async () => {
    expect(await failure(fetchFeed('not a url', options, deps()))).toBeInstanceOf(FeedError);
  });

  it('a stop is passed on as it is, not as a failure of the feed', async () => {
    feed().delay(60_000).reply(200, '{}');
    const stop = new AbortController();
    const reason = new Error('stopped by SIGTERM');
    const pending = failure(fetchFeed(ENDPOINT, options, deps({ signal: stop.signal })));
    stop.abort(reason);
    expect(await pending).toBe(reason);
    nock.cleanAll();
  });
});
