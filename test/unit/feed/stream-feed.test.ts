import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed, streamFeed, type FetchDeps, type HttpOptions } from '../../../src/feed/client.js';
import { FeedParser, parseFeed } from '../../../src/feed/parse.js';
import { silentLogger } from '../../../src/log.js';
import { FeedHasher, feedHash } from '../../../src/state/feed-cache.js';
import { json, startServer, type Handler } from '../../support/feed-server.js';

/** What a poll against a cache gets from FeedParser's stream: the hash, and the items the parser kept (none). */
function streamed(body: string, cuts: number[] = []): { hash: string; kept: number } {
  const hasher = new FeedHasher(true);
  const parser = new FeedParser('feed', hasher);
  const bytes = Buffer.from(body);
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    parser.push(bytes.subarray(at, cut));
    at = cut;
  }
  const end = parser.end();
  return { hash: hasher.digest(end.totalCount), kept: end.items.length };
}

const hashOf = (body: string) => feedHash(parseFeed(body, 'feed'), true);

describe('the feed hashed as it is read (FeedHasher through FeedParser) is the hash of the parsed feed', () => {
  const item = (id: number | string, extra: object = {}) => ({ id, name: `Item ${id}`, content: 'é 😀 "q"', ...extra });
  it.each([
    ['the count before the items', { items_total_count: 2, items: [item(1), item(2)] }],
    ['the count after the items', { items: [item(1), item(2)], items_total_count: 5 }],
    ['no count', { items: [item(1)] }],
    ['no items', { items: [] }],
    [
      'fields of the wrong type, dropped with a warning',
      { items: [item(1, { name: { a: 1 }, tags: 'x', size: '12' })] },
    ],
    ['signed CDN URLs', { items: [item(1, { thumbnail: 'https://c.dropmarkusercontent.com/a.jpg?Signature=s' })] }],
  ])('%s', (_what, feed) => {
    const body = JSON.stringify(feed);
    expect(streamed(body)).toEqual({ hash: hashOf(body), kept: 0 });
    expect(streamed(body, [1, 17, 40])).toEqual({ hash: hashOf(body), kept: 0 });
  });

  it('an `items` key given twice: the later list replaces the earlier in the hash too', () => {
    const body = `{"items":[${JSON.stringify(item(9))}],"items_total_count":1,"items":[${JSON.stringify(item(1))}]}`;
    expect(streamed(body).hash).toBe(hashOf(body));
    expect(streamed(body).hash).toBe(hashOf(JSON.stringify({ items_total_count: 1, items: [item(1)] })));
  });

  it('tells the feeds apart as the parsed hash does: the count, the order, a field', () => {
    const base = { items_total_count: 2, items: [item(1), item(2)] };
    const hashes = [
      base,
      { ...base, items_total_count: 3 },
      { ...base, items: [item(2), item(1)] },
      { ...base, items: [item(1), item(2, { name: 'Other' })] },
    ].map((feed) => streamed(JSON.stringify(feed)).hash);
    expect(new Set(hashes).size).toBe(4);
  });
});

describe('streamFeed: a poll that hashes the feed and keeps none of it', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer(json({ items: [] }));
  });
  afterAll(() => server.close());

  const options: HttpOptions = {
    timeoutMs: 5000,
    retries: 2,
    retryDelayMs: 1,
    maxRetryAfterMs: 1000,
    maxBodyBytes: 1e6,
  };
  const deps = (): FetchDeps => ({
    guardedDispatcher: () => {
      throw new Error('no redirect in these tests');
    },
    allowPrivateNetworks: true,
    logger: silentLogger,
    now: Date.now,
  });
  const whole = JSON.stringify({
    items_total_count: 3,
    items: [1, 2, 3].map((id) => ({ id, name: `Item ${id}`, content: 'x'.repeat(400) })),
  });

  it('an answer cut off after some items, retried: the hash is the whole answer’s alone', async () => {
    const cutAfterTwoItems: Handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(whole.length) });
      res.write(whole.slice(0, whole.indexOf('"id":3')), () => res.socket?.destroy());
    };
    server.answer(cutAfterTwoItems, json(whole));
    const hasher = new FeedHasher(true);
    const got = await streamFeed(`${server.url}/1.json`, options, deps(), {}, hasher);
    expect(server.requests).toHaveLength(2);
    if (got.notModified) throw new Error('a 200 was expected');
    expect(Object.keys(got).sort()).toEqual(['notModified', 'totalCount', 'validators']);
    expect(got.totalCount).toBe(3);
    expect(hasher.digest(got.totalCount)).toBe(hashOf(whole));
  });

  it('refuses a feed as fetchFeed does: the same error for an id given twice', async () => {
    const twice = JSON.stringify({ items: [{ id: 4 }, { id: '4' }] });
    server.answer(json(twice));
    const viaParse = await fetchFeed(`${server.url}/1.json`, options, deps()).catch((e: unknown) => e);
    const viaStream = await streamFeed(`${server.url}/1.json`, options, deps(), {}, new FeedHasher(true)).catch(
      (e: unknown) => e,
    );
    expect((viaParse as Error).message).toMatch(/lists the same item id more than once \(4\)/);
    expect(viaStream).toBeInstanceOf((viaParse as Error).constructor);
    expect((viaStream as Error).message).toBe((viaParse as Error).message);
  });
});
