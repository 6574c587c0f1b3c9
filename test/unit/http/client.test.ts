import { Readable } from 'node:stream';
import nock from 'nock';
import { Agent } from 'undici';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DropmarkSyncError } from '../../../src/errors.js';
import { buffer } from 'node:stream/consumers';
import { createHttpClient, type GetOptions, type HttpClientDeps } from '../../../src/http/client.js';
import { BodyTooLargeError, HttpError } from '../../../src/http/errors.js';
import type { Logger } from '../../../src/log.js';

const ORIGIN = 'https://feed.example.com';
const OTHER = 'https://cdn.example.net';
const SECRET = 'sekrit-read-key-123';
const NOW = Date.parse('2026-11-26T10:00:00Z');

// Never connects: nock answers every request of this file before a dispatcher would be used.
const agent = new Agent();
afterAll(() => agent.close());
afterEach(() => {
  vi.useRealTimers();
});

function recordingLogger(): Logger & { lines: { level: string; obj: object; msg: string | undefined }[] } {
  const lines: { level: string; obj: object; msg: string | undefined }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function client(over: Partial<HttpClientDeps> = {}) {
  return createHttpClient({
    dispatcher: agent,
    guardedDispatcher: agent,
    allowPrivateNetworks: false,
    now: () => NOW,
    random: () => 0,
    ...over,
  });
}

function text(over: Partial<GetOptions<string>> = {}): GetOptions<string> {
  return {
    what: 'feed',
    timeoutMs: 5000,
    maxBytes: 1024,
    retries: 3,
    retryDelayMs: 1,
    maxRetryAfterMs: 60_000,
    trustedOrigin: ORIGIN,
    secretQuery: { key: SECRET },
    read: async (answer) => (await buffer(answer.body)).toString(),
    ...over,
  };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the request succeeded'),
    (error: unknown) => error as HttpError,
  );

describe('answers and retries', () => {
  it('returns the body, sends the key to the trusted origin and our user agent', async () => {
    nock(ORIGIN, { reqheaders: { 'user-agent': 'dropmark-sync', accept: 'application/json' } })
      .get('/feed.json')
      .query({ key: SECRET })
      .reply(200, '{"items":[]}');
    expect(await client().get(`${ORIGIN}/feed.json`, text({ headers: { accept: 'application/json' } }))).toBe(
      '{"items":[]}',
    );
  });

  it('retries 503, 503, then takes the 200, logging each retry without the key', async () => {
    nock(ORIGIN).get('/feed.json').query(true).times(2).reply(503).get('/feed.json').query(true).reply(200, 'ok');
    const logger = recordingLogger();
    expect(await client({ logger }).get(`${ORIGIN}/feed.json`, text())).toBe('ok');
    expect(logger.lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'feed request failed, will retry: HTTP 503'],
      ['warn', 'feed request failed, will retry: HTTP 503'],
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain(SECRET);
  });

  it('gives up after the retries, saying how many attempts were made', async () => {
    nock(ORIGIN).get('/feed.json').query(true).times(4).reply(500);
    const error = await failure(client().get(`${ORIGIN}/feed.json`, text()));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toBeInstanceOf(DropmarkSyncError);
    expect(error).toMatchObject({
      kind: 'status',
      status: 500,
      retryable: true,
      attempts: 4,
      url: `${ORIGIN}/feed.json`,
    });
    expect(error.message + JSON.stringify(error)).not.toContain(SECRET);
  });

  it.each([400, 401, 403, 404, 410])('does not retry HTTP %i', async (status) => {
    nock(ORIGIN).get('/feed.json').query(true).reply(status);
    const error = await failure(client().get(`${ORIGIN}/feed.json`, text()));
    expect(error).toMatchObject({ kind: 'status', status, retryable: false, attempts: 1 });
  });

  it('retries a connection reset; a name that does not resolve is final', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    nock(ORIGIN).get('/a').query(true).replyWithError(reset).get('/a').query(true).reply(200, 'ok');
    expect(await client().get(`${ORIGIN}/a`, text())).toBe('ok');
    nock(ORIGIN).get('/b').query(true).replyWithError(dns);
    expect(await failure(client().get(`${ORIGIN}/b`, text()))).toMatchObject({
      kind: 'network',
      code: 'ENOTFOUND',
      retryable: false,
      attempts: 1,
    });
  });

  it('a transport message that quotes the URL loses the key', async () => {
    nock(ORIGIN)
      .get('/a')
      .query(true)
      .replyWithError(new Error(`boom at ${ORIGIN}/a?key=${SECRET}`));
    const error = await failure(client().get(`${ORIGIN}/a`, text()));
    expect(error.message).toBe(`request to feed.example.com failed (boom at ${ORIGIN}/a?key=[redacted])`);
    expect(error.url).toBe(`${ORIGIN}/a`);
  });

  it('accepts a 304 when the caller says so, with the validators readable', async () => {
    nock(ORIGIN, { reqheaders: { 'if-none-match': '"v1"' } })
      .get('/feed.json')
      .query(true)
      .reply(304, '', { etag: '"v1"' });
    const got = await client().get(`${ORIGIN}/feed.json`, {
      ...text(),
      headers: { 'if-none-match': '"v1"' },
      acceptStatus: (status) => status === 304,
      read: async (answer) => `${answer.status} ${answer.headers.get('etag')}`,
    });
    expect(got).toBe('304 "v1"');
  });
});

describe('Retry-After', () => {
  /** The first answer is 429 with `retryAfter`, the next 200. */
  function throttled(retryAfter: string) {
    nock(ORIGIN)
      .get('/feed.json')
      .query(true)
      .reply(429, '', { 'retry-after': retryAfter })
      .get('/feed.json')
      .query(true)
      .reply(200, 'ok');
  }

  /** A logger whose `retried` settles on the first retry (its line says how long the wait is). */
  function retryWatcher() {
    let seen: (obj: object) => void = () => {};
    const retried = new Promise<object>((resolve) => (seen = resolve));
    const logger: Logger = { ...recordingLogger(), warn: (obj) => seen(obj) };
    return { logger, retried };
  }

  it.each([
    ['in seconds', '30', 30_000],
    ['as an HTTP date', new Date(NOW + 30_000).toUTCString(), 30_000],
    ['over http.maxRetryAfterMs, cut to it', '86400', 60_000],
  ])('%s: waits that long before the next attempt', async (_form, header, waitMs) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const sent = vi.spyOn(globalThis, 'fetch');
    throttled(header);
    const { logger, retried } = retryWatcher();
    const pending = client({ logger }).get(`${ORIGIN}/feed.json`, text());
    expect(await retried).toMatchObject({ status: 429, retryAfterMs: waitMs, waitMs });
    await vi.advanceTimersByTimeAsync(waitMs - 1);
    expect(sent).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveBeenCalledTimes(2);
    expect(await pending).toBe('ok');
    sent.mockRestore();
  });

  it('a stop during the wait ends it at once, with the stop as the reason, and nothing more is sent', async () => {
    throttled('100');
    const stop = new AbortController();
    const { logger, retried } = retryWatcher();
    const pending = failure(client({ signal: stop.signal, logger }).get(`${ORIGIN}/feed.json`, text()));
    expect(await retried).toMatchObject({ waitMs: 60_000 });
    const reason = new Error('stopped by SIGTERM');
    stop.abort(reason);
    expect(await pending).toBe(reason);
    // The 200 was never asked for.
    expect(nock.pendingMocks()).toHaveLength(1);
    nock.cleanAll();
  });
});

describe('redirects', () => {
  it('follows a relative Location', async () => {
    nock(ORIGIN)
      .get('/old.json')
      .query(true)
      .reply(301, '', { location: '/new.json' })
      .get('/new.json')
      .query({ key: SECRET })
      .reply(200, 'ok');
    expect(await client().get(`${ORIGIN}/old.json`, text())).toBe('ok');
  });

  it('never sends the key to another origin, not even one the Location spells out', async () => {
    const seen: string[] = [];
    nock(ORIGIN)
      .get('/feed.json')
      .query(true)
      .reply(302, '', { location: `${OTHER}/feed.json?key=${SECRET}&v=2` });
    nock(OTHER)
      .get('/feed.json')
      .query(true)
      .reply(function () {
        seen.push(this.req.path);
        return [200, 'ok'];
      });
    expect(await client().get(`${ORIGIN}/feed.json`, text())).toBe('ok');
    expect(seen).toEqual(['/feed.json?v=2']);
  });

  it('stops after five redirects', async () => {
    nock(ORIGIN).get('/loop').query(true).times(6).reply(302, '', { location: '/loop' });
    const error = await failure(client().get(`${ORIGIN}/loop`, text()));
    expect(error).toMatchObject({ kind: 'refused', retryable: false, message: 'more than 5 redirects' });
  });

  it.each([
    'http://127.0.0.1:8080/feed.json',
    'http://10.1.2.3/feed.json',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/feed.json',
    'http://[::ffff:127.0.0.1]/feed.json',
    'http://0.0.0.0/',
  ])('refuses a redirect to the private address in %s and sends nothing there', async (location) => {
    nock(ORIGIN).get('/feed.json').query(true).reply(302, '', { location });
    const error = await failure(client().get(`${ORIGIN}/feed.json`, text()));
    expect(error).toMatchObject({ kind: 'refused', retryable: false });
    expect(error.message).toMatch(/is a private or local address; refused \(.*set http\.allowPrivateNetworks: true/);
  });

  it('follows a redirect to a private address when http.allowPrivateNetworks is set', async () => {
    nock(ORIGIN).get('/feed.json').query(true).reply(302, '', { location: 'http://10.1.2.3/feed.json' });
    nock('http://10.1.2.3').get('/feed.json').reply(200, 'ok');
    expect(await client({ allowPrivateNetworks: true }).get(`${ORIGIN}/feed.json`, text())).toBe('ok');
  });

  it('refuses a redirect to a scheme that is not http(s), and a caller rule applies to every hop', async () => {
    nock(ORIGIN).get('/a').query(true).reply(302, '', { location: 'file:///etc/passwd' });
    expect((await failure(client().get(`${ORIGIN}/a`, text()))).message).toMatch(/^file: URLs are refused/);
    nock(ORIGIN)
      .get('/b')
      .query(true)
      .reply(302, '', { location: `${OTHER}/b` });
    const checkHop = (target: URL) => {
      if (target.origin !== ORIGIN) throw new DropmarkSyncError(`host ${target.host} is not allowed`);
    };
    expect((await failure(client().get(`${ORIGIN}/b`, text({ checkHop })))).message).toBe(
      'host cdn.example.net is not allowed',
    );
  });
});

describe('the body cap', () => {
  it('refuses a body announced larger by Content-Length, without reading or retrying it', async () => {
    nock(ORIGIN).get('/big').query(true).reply(200, 'x'.repeat(2000), { 'content-length': '2000' });
    const error = await failure(client().get(`${ORIGIN}/big`, text()));
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(error).toMatchObject({ kind: 'too-large', retryable: false, attempts: 1 });
  });

  it('refuses a body found larger while streaming, before holding more than the cap', async () => {
    const chunks = Readable.from(Array.from({ length: 100 }, () => Buffer.alloc(100, 'x')));
    nock(ORIGIN)
      .get('/big')
      .query(true)
      .reply(200, () => chunks);
    const held: number[] = [];
    const error = await failure(
      client().get(
        `${ORIGIN}/big`,
        text({
          read: async (answer) => (await buffer(answer.body.on('data', (c: Buffer) => held.push(c.length)))).toString(),
        }),
      ),
    );
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(held.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1024);
  });
});

describe('timeouts', () => {
  it('no headers within timeoutMs: the attempt fails as a timeout and the next one is made', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    nock(ORIGIN).get('/slow').query(true).delay(10_000).reply(200, 'late').get('/slow').query(true).reply(200, 'ok');
    const logger = recordingLogger();
    const pending = client({ logger }).get(`${ORIGIN}/slow`, text({ timeoutMs: 500 }));
    await vi.advanceTimersByTimeAsync(500);
    await vi.advanceTimersByTimeAsync(10);
    expect(await pending).toBe('ok');
    expect(logger.lines[0]?.msg).toBe('feed request failed, will retry: no answer from feed.example.com within 500 ms');
  });

  it('a body that stalls fails as a timeout too, and gives up when the retries are spent', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // Not delayBody: through fetch, nock holds the headers back with the body.
    // A stream that stops after its first chunk stalls.
    nock(ORIGIN)
      .get('/stall')
      .query(true)
      .reply(200, () => {
        const body = new Readable({ read() {} });
        body.push('first');
        return body;
      });
    let started: () => void = () => {};
    const reading = new Promise<void>((resolve) => (started = resolve));
    const read = async (answer: { body: Readable }) => {
      started();
      return (await buffer(answer.body)).toString();
    };
    const pending = failure(client().get(`${ORIGIN}/stall`, text({ timeoutMs: 500, retries: 0, read })));
    await reading;
    await vi.advanceTimersByTimeAsync(500);
    expect(await pending).toMatchObject({
      kind: 'timeout',
      code: 'UND_ERR_BODY_TIMEOUT',
      retryable: true,
      attempts: 1,
    });
  });

  it('a stop during a request ends it with the stop as the reason, not as a failure of the server', async () => {
    nock(ORIGIN).get('/slow').query(true).delay(60_000).reply(200, 'late');
    const stop = new AbortController();
    const reason = new Error('deadline');
    const pending = failure(client({ signal: stop.signal }).get(`${ORIGIN}/slow`, text()));
    stop.abort(reason);
    expect(await pending).toBe(reason);
    nock.cleanAll();
  });
});
