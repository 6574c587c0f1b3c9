import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FeedError } from '../../../src/errors.js';
import { fetchFeed, type FetchedFeed, type HttpOptions } from '../../../src/feed/client.js';
import type { Logger } from '../../../src/log.js';

const ORIGIN = 'https://shah.dropmark.com';
const ENDPOINT = `${ORIGIN}/616548.json`;
const SECRET = 'sekrit-read-key-123';

const options: HttpOptions = { timeoutMs: 5000, retries: 3, retryDelayMs: 1, maxRetryAfterMs: 60_000, maxBodyBytes: 1024 };

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (obj: object, msg?: string) => lines.push(JSON.stringify({ ...obj, msg }));
  return { lines, debug: rec, info: rec, warn: rec, error: rec };
}

let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(async () => {
  vi.useRealTimers();
  await agent.close();
});

const feedPath = (p: string) => p.startsWith('/616548.json');
const bodyOf = (got: FetchedFeed) => (got.notModified ? '(304)' : got.body.toString());

describe('fetchFeed', () => {
  it('returns the body and sends the read key as ?key=', async () => {
    const seen: string[] = [];
    agent
      .get(ORIGIN)
      .intercept({ path: feedPath, method: 'GET' })
      .reply((request) => (seen.push(request.path), { statusCode: 200, data: '{"items":[]}' }));
    const logger = recordingLogger();
    const got = await fetchFeed(ENDPOINT, options, { dispatcher: agent, guardedDispatcher: agent, allowPrivateNetworks: false, logger, now: Date.now, apiKey: SECRET });
    expect(bodyOf(got)).toBe('{"items":[]}');
    expect(seen[0]).toBe(`/616548.json?key=${SECRET}`);
  });

  it('retries 5xx and network errors, then succeeds', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: feedPath }).reply(503, '');
    pool.intercept({ path: feedPath }).replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    pool.intercept({ path: feedPath }).reply(200, '{"items":[1]}');
    const logger = recordingLogger();
    const got = await fetchFeed(ENDPOINT, options, { dispatcher: agent, guardedDispatcher: agent, allowPrivateNetworks: false, logger, now: Date.now });
    expect(bodyOf(got)).toBe('{"items":[1]}');
    expect(logger.lines).toHaveLength(2);
  });

  it('gives up after the retries with a message naming the status, without the key', async () => {
    agent.get(ORIGIN).intercept({ path: feedPath }).reply(500, '').times(4);
    const logger = recordingLogger();
    const error = await fetchFeed(ENDPOINT, options, { dispatcher: agent, guardedDispatcher: agent, allowPrivateNetworks: false, logger, now: Date.now, apiKey: SECRET }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).status).toBe(500);
    expect((error as Error).message).toMatch(/HTTP 500.*gave up after 4 attempts/);
    expect((error as FeedError).url).toBe(ENDPOINT);
    expect(JSON.stringify(error) + (error as Error).message + logger.lines.join()).not.toContain(SECRET);
    agent.assertNoPendingInterceptors();
  });

  it.each([400, 401, 403, 404])('does not retry HTTP %i', async (code) => {
    agent.get(ORIGIN).intercept({ path: feedPath }).reply(code, '');
    const error = await fetchFeed(ENDPOINT, options, { dispatcher: agent, guardedDispatcher: agent, allowPrivateNetworks: false, logger: recordingLogger(), now: Date.now }).catch(
      (e: unknown) => e,
    );
    expect((error as FeedError).status).toBe(code);
    expect((error as Error).message).not.toMatch(/gave up/);
  });

  it('waits for Retry-After on 429 before the next attempt', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let calls = 0;
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: feedPath }).reply(() => (calls++, { statusCode: 429, data: '', responseOptions: { headers: { 'retry-after': '30' } } }));
    pool.intercept({ path: feedPath }).reply(() => (calls++, { statusCode: 200, data: '{"items":[]}' }));
    const pending = fetchFeed(ENDPOINT, options, { dispatcher: agent, guardedDispatcher: agent, allowPrivateNetworks: false, logger: recordingLogger(), now: Date.now });
    await vi.advanceTimersByTimeAsync(29_000);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toBe(2);
    expect(bodyOf(await pending)).toBe('{"items":[]}');
  });

  it.each([
    ['announced by Content-Length', { 'content-length': '2000' }],
    ['found while streaming', {}],
  ])('refuses a body over the cap, %s, without retrying', async (_how, headers) => {
    agent.get(ORIGIN).intercept({ path: feedPath }).reply(200, 'x'.repeat(2000), { headers });
    const error = await fetchFeed(ENDPOINT, options, { dispatcher: agent, guardedDispatcher: agent, allowPrivateNetworks: false, logger: recordingLogger(), now: Date.now }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/larger than 1024 bytes \(http\.maxBodyBytes\)/);
    agent.assertNoPendingInterceptors();
  });

  it('follows a redirect and does not send the key to another host', async () => {
    const seen: string[] = [];
    agent
      .get(ORIGIN)
      .intercept({ path: feedPath })
      .reply(302, '', { headers: { location: 'https://cdn.example.net/feed.json' } });
    agent
      .get('https://cdn.example.net')
      .intercept({ path: () => true })
      .reply((request) => (seen.push(request.path), { statusCode: 200, data: '{"items":[]}' }));
    await fetchFeed(ENDPOINT, options, { dispatcher: agent, guardedDispatcher: agent, allowPrivateNetworks: false, logger: recordingLogger(), now: Date.now, apiKey: SECRET });
    expect(seen).toEqual(['/feed.json']);
  });

  it('sends a redirect to another host through the guarded dispatcher, never the trusted one', async () => {
    const guarded = new MockAgent();
    guarded.disableNetConnect();
    agent.get(ORIGIN).intercept({ path: feedPath }).reply(302, '', { headers: { location: 'https://cdn.example.net/feed.json' } });
    guarded.get('https://cdn.example.net').intercept({ path: '/feed.json' }).reply(200, '{"items":[]}');
    const deps = { dispatcher: agent, guardedDispatcher: guarded, allowPrivateNetworks: false, logger: recordingLogger(), now: Date.now };
    const got = await fetchFeed(ENDPOINT, options, deps);
    expect(bodyOf(got)).toBe('{"items":[]}');
    guarded.assertNoPendingInterceptors();
    await guarded.close();
  });

  it.each([
    'http://127.0.0.1:8080/feed.json',
    'http://10.1.2.3/feed.json',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/feed.json',
    'http://[::ffff:127.0.0.1]/feed.json',
    'http://0.0.0.0/',
  ])('refuses a redirect to the private address in %s, and sends nothing there', async (location) => {
    agent.get(ORIGIN).intercept({ path: feedPath }).reply(302, '', { headers: { location } });
    const deps = { dispatcher: agent, guardedDispatcher: agent, allowPrivateNetworks: false, logger: recordingLogger(), now: Date.now };
    const error = await fetchFeed(ENDPOINT, options, deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedError);
    expect((error as Error).message).toMatch(/private or local address; refused \(set http\.allowPrivateNetworks/);
  });

  it('follows a redirect to a private address when http.allowPrivateNetworks is set', async () => {
    agent.get(ORIGIN).intercept({ path: feedPath }).reply(302, '', { headers: { location: 'http://127.0.0.1:8080/feed.json' } });
    agent.get('http://127.0.0.1:8080').intercept({ path: '/feed.json' }).reply(200, '{"items":[]}');
    const deps = { dispatcher: agent, guardedDispatcher: agent, allowPrivateNetworks: true, logger: recordingLogger(), now: Date.now };
    expect(bodyOf(await fetchFeed(ENDPOINT, options, deps))).toBe('{"items":[]}');
  });

  it('says a DNS failure is one, and does not retry it', async () => {
    // Unit-level on purpose: an end-to-end lookup of a name that does not exist would ask a real resolver.
    agent.get(ORIGIN).intercept({ path: feedPath }).replyWithError(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    const error = await fetchFeed(ENDPOINT, options, { dispatcher: agent, guardedDispatcher: agent, allowPrivateNetworks: false, logger: recordingLogger(), now: Date.now }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/the host name shah\.dropmark\.com could not be resolved \(DNS\)/);
    expect((error as Error).message).not.toMatch(/gave up/);
  });

  it('stops after too many redirects', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: feedPath })
      .reply(302, '', { headers: { location: `${ENDPOINT}` } })
      .persist();
    const error = await fetchFeed(ENDPOINT, options, { dispatcher: agent, guardedDispatcher: agent, allowPrivateNetworks: false, logger: recordingLogger(), now: Date.now }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/more than 5 redirects/);
  });
});
