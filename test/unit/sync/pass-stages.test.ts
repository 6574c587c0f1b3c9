import { mkdir, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { Agent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/log.js';
import { plan } from '../../../src/plan/post-plan.js';
import { applyPass, dryRunOutcome } from '../../../src/sync/apply-stage.js';
import { fetchCollectionFeed, readCachedState, type FetchedCollection } from '../../../src/sync/feed-stage.js';
import { feedHash, saveFeedState } from '../../../src/state/feed-cache.js';
import { parseFeed } from '../../../src/feed/parse.js';
import type { PassPlan } from '../../../src/sync/stage-results.js';
import { stateFileChanges } from '../../../src/sync/state-files.js';
import { changeRecords, postTextChanges } from '../../../src/sync/change-records.js';
import { summarizePass, type PassFacts } from '../../../src/summary.js';

import { MANAGED_KEY_LIST } from '../../../src/frontmatter/post-keys.js';

type ChangedFeed = Extract<FetchedCollection, { kind: 'changed' }>;

const ORIGIN = 'https://me.dropmark.com';
const ENDPOINT = `${ORIGIN}/616548.json`;
const NOW = new Date('2026-11-27T12:00:00Z');
const agent = new Agent();
afterAll(() => agent.close());

const http = configSchema.parse({ siteDir: '/site', collections: [{ endpoint: ENDPOINT }], http: { retries: 0 } }).http;
const fetchDeps = {
  dispatcher: agent,
  guardedDispatcher: agent,
  allowPrivateNetworks: false,
  logger: silentLogger,
  now: () => NOW.getTime(),
};
/** The feed of the collection, read with no retry. */
const source = { endpoint: ENDPOINT, feedUrl: ENDPOINT, http, fetchDeps, stripSignatures: true, log: silentLogger };

const trusted = { key: 'k', feedHash: 'will-not-match', siteFingerprint: 'f', files: 3, etag: '"v1"', savedAt: '' };

describe('readCachedState: a cache of this job, and the site picture to check it with', () => {
  const cacheIn = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dms-cached-'));
    return { file: path.join(dir, 'feed.json'), key: 'this job', log: silentLogger };
  };
  const saved = (cache: { file: string; key: string }, extra: Record<string, string> = {}) =>
    saveFeedState(cache.file, {
      key: cache.key,
      feedHash: 'h',
      siteFingerprint: 'stat:ahead',
      files: 2,
      savedAt: '',
      ...extra,
    });
  const pictures: string[] = [];
  const read = (options: { full?: boolean; dryRun?: boolean } = {}) => ({
    options,
    now: NOW,
    takePicture: (offThread: boolean) => {
      pictures.push(offThread ? 'taken off the thread' : 'taken');
      return Promise.resolve('stat:now');
    },
  });

  it('asks for the picture off the thread when the whole feed comes (no validators), on it if a 304 may', async () => {
    const cache = await cacheIn();
    pictures.length = 0;
    await saved(cache);
    await readCachedState(cache, read());
    await saved(cache, { etag: '"e"' });
    await readCachedState(cache, read());
    await saved(cache, { lastModified: 'Tue, 08 Dec 2026 06:00:00 GMT' });
    await readCachedState(cache, read());
    expect(pictures).toEqual(['taken off the thread', 'taken', 'taken']);
  });

  it('hands on the cache and the picture of the site now, which the fetch stage compares', async () => {
    const cache = await cacheIn();
    await saved(cache);
    const cached = await readCachedState(cache, read());
    expect(cached.candidate).toMatchObject({ feedHash: 'h', files: 2 });
    expect(await cached.picture).toBe('stat:now');
  });

  it("none for another job's cache, a due missing image, --full or a dry run: no picture is taken", async () => {
    const cache = await cacheIn();
    const none = { candidate: undefined, picture: undefined };
    pictures.length = 0;
    await saved(cache, { key: 'another job' });
    expect(await readCachedState(cache, read())).toEqual(none);
    await saved(cache, { retryImagesAt: '2026-11-27T11:59:59Z' });
    expect(await readCachedState(cache, read())).toEqual(none);
    expect(pictures).toEqual([]);
    await saved(cache, { retryImagesAt: '2026-11-27T12:00:01Z' });
    expect((await readCachedState(cache, read())).candidate).toBeDefined();
    expect(await readCachedState(cache, read({ full: true }))).toEqual(none);
    expect(await readCachedState(cache, read({ dryRun: true }))).toEqual(none);
    expect(pictures).toEqual(['taken off the thread']);
  });
});

describe('fetchCollectionFeed: not-modified, unchanged or changed', () => {
  const cache = (picture: string) => ({ candidate: trusted, picture: Promise.resolve(picture) });

  it('a 304 to the conditional request, the site as the cache saw it: not-modified, one request', async () => {
    const scope = nock(ORIGIN).get('/616548.json').matchHeader('if-none-match', '"v1"').reply(304);
    const fetched = await fetchCollectionFeed(source, cache('f'));
    expect(fetched).toEqual({ kind: 'not-modified', trusted });
    expect(scope.isDone()).toBe(true);
  });

  it('a 304 for a site touched since: a second request, for the whole feed, and a full pass', async () => {
    const conditional = nock(ORIGIN).get('/616548.json').matchHeader('if-none-match', '"v1"').reply(304);
    const whole = nock(ORIGIN, { badheaders: ['if-none-match'] })
      .get('/616548.json')
      .reply(200, '{"items":[]}', { etag: '"v1"' });
    const fetched = await fetchCollectionFeed(source, cache('f, then a hand edit'));
    expect(fetched).toMatchObject({ kind: 'changed', validators: { etag: '"v1"' } });
    expect(conditional.isDone() && whole.isDone()).toBe(true);
  });

  it('a body whose hash is the cached one is unchanged only while the site is as the cache saw it', async () => {
    const body = '{"items":[]}';
    nock(ORIGIN).get('/616548.json').reply(200, body, { etag: '"v2"' });
    const changed = await fetchCollectionFeed(source, { candidate: undefined, picture: undefined });
    expect(changed).toMatchObject({ kind: 'changed', validators: { etag: '"v2"' } });
    const hash = (changed as { hash: string }).hash;
    const same = { ...trusted, feedHash: hash };
    nock(ORIGIN).get('/616548.json').reply(200, body, { etag: '"v3"' });
    const unchanged = await fetchCollectionFeed(source, { candidate: same, picture: Promise.resolve('f') });
    expect(unchanged).toMatchObject({ kind: 'unchanged', validators: { etag: '"v3"' } });
    // The poll keeps nothing of what it hashed: the pass asks for the whole feed again, and takes that answer's.
    const hashed = nock(ORIGIN).get('/616548.json').reply(200, body, { etag: '"v4"' });
    const whole = nock(ORIGIN, { badheaders: ['if-none-match'] })
      .get('/616548.json')
      .reply(200, body, { etag: '"v5"' });
    const told: string[] = [];
    const log = { ...silentLogger, info: (_: object, msg?: string) => told.push(msg ?? '') };
    const touched = await fetchCollectionFeed({ ...source, log }, { candidate: same, picture: Promise.resolve('g') });
    expect(touched).toMatchObject({ kind: 'changed', hash, validators: { etag: '"v5"' } });
    expect(hashed.isDone() && whole.isDone()).toBe(true);
    expect(told).toEqual(['the site changed since the last sync; asking for the whole feed']);
  });

  it('against the cache: re-signed is unchanged (one request), changed is asked for again and parsed', async () => {
    const cdn = 'https://cdn.dropmarkusercontent.com/1/';
    const feedOf = (signature: string, name: string) =>
      JSON.stringify({
        items_total_count: 2,
        items: [
          { id: 1, name, content: 'Text', thumbnail: `${cdn}a.jpg?Expires=1&Signature=${signature}&Key-Pair-Id=K` },
          { id: '02', name: 'Two', tags: ['x', { name: 'y' }], link: 'https://example.com/?q=1' },
        ],
      });
    const before = feedOf('old', 'One');
    const saved = { ...trusted, files: 2, feedHash: feedHash(parseFeed(before, ENDPOINT), true) };
    const once = nock(ORIGIN).get('/616548.json').reply(200, feedOf('new', 'One'), { etag: '"v2"' });
    const resigned = await fetchCollectionFeed(source, { candidate: saved, picture: Promise.resolve('f') });
    expect(resigned).toMatchObject({ kind: 'unchanged', validators: { etag: '"v2"' } });
    expect(once.isDone()).toBe(true);
    // Retitled, then retitled again by the time the whole feed is asked for: the pass has the second answer, and
    // the hash saved with it is that answer's, never the one the poll hashed.
    const first = feedOf('newer', 'One, retitled');
    const after = feedOf('newest', 'One, retitled again');
    nock(ORIGIN).get('/616548.json').reply(200, first, { etag: '"v3"' });
    nock(ORIGIN, { badheaders: ['if-none-match'] })
      .get('/616548.json')
      .reply(200, after, { etag: '"v4"' });
    const told: string[] = [];
    const log = { ...silentLogger, info: (_: object, msg?: string) => told.push(msg ?? '') };
    const changed = await fetchCollectionFeed({ ...source, log }, { candidate: saved, picture: Promise.resolve('f') });
    expect(told).toEqual(['the feed changed since the last sync; asking for the whole feed']);
    const { feed, ...rest } = changed as ChangedFeed;
    expect(rest).toEqual({
      kind: 'changed',
      hash: feedHash(parseFeed(after, ENDPOINT), true),
      validators: { etag: '"v4"' },
    });
    expect(nock.pendingMocks()).toEqual([]);
    const taken = feed.take();
    expect(taken).toEqual(parseFeed(after, ENDPOINT));
    expect(taken.items.map((i) => i.name)).toEqual(['One, retitled again', 'Two']);
  });

  it('image mode remote (signatures in the hash): a re-signed feed is parsed in one request', async () => {
    const remote = { ...source, stripSignatures: false };
    const feedOf = (signature: string) =>
      JSON.stringify({
        items: [{ id: 1, name: 'One', thumbnail: `https://cdn.example/a.jpg?Signature=${signature}` }],
      });
    const saved = { ...trusted, files: 1, feedHash: feedHash(parseFeed(feedOf('old'), ENDPOINT), false) };
    const once = nock(ORIGIN).get('/616548.json').reply(200, feedOf('new'), { etag: '"v2"' });
    const changed = await fetchCollectionFeed(remote, { candidate: saved, picture: Promise.resolve('f') });
    const { feed, ...rest } = changed as ChangedFeed;
    expect(rest).toEqual({
      kind: 'changed',
      hash: feedHash(parseFeed(feedOf('new'), ENDPOINT), false),
      validators: { etag: '"v2"' },
    });
    expect(feed.take()).toEqual(parseFeed(feedOf('new'), ENDPOINT));
    expect(once.isDone()).toBe(true);
  });

  it('a hash saved by the earlier algorithm (of the body text) is a change, once, not an error', async () => {
    const body = '{"items":[]}';
    // sha256 of that body: what the earlier algorithm saved for it.
    const earlier = { ...trusted, feedHash: 'eef46741adfc3a9f76294d3b78f37a45f113092ac9d44ee77c7a038a88ff09a1' };
    nock(ORIGIN).get('/616548.json').times(2).reply(200, body);
    const fetched = await fetchCollectionFeed(source, { candidate: earlier, picture: Promise.resolve('f') });
    expect(fetched.kind).toBe('changed');
    expect((fetched as ChangedFeed).feed.take().items).toEqual([]);
  });

  it('a 304 to a request that was not conditional is an error, not a silent no-op', async () => {
    nock(ORIGIN).get('/616548.json').reply(304);
    await expect(fetchCollectionFeed(source, { candidate: undefined, picture: undefined })).rejects.toThrow(/HTTP 304/);
  });

  it("a failed picture fails the pass after the request ends; the feed's own failure comes first", async () => {
    const failed = Object.assign(new Error('ENOTDIR: not a directory'), { code: 'ENOTDIR' });
    nock(ORIGIN).get('/616548.json').reply(304);
    await expect(fetchCollectionFeed(source, { candidate: trusted, picture: Promise.reject(failed) })).rejects.toBe(
      failed,
    );
    nock(ORIGIN).get('/616548.json').reply(404);
    await expect(
      fetchCollectionFeed(source, { candidate: trusted, picture: Promise.reject(failed) }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

/** A pass with two new posts, planned against an empty site. */
function passFor(): PassPlan {
  const wanted = ['a', 'b'].map((n, i) => ({
    id: String(i + 1),
    relPath: `content/post/${n}.md`,
    text: `---\ntitle: ${n}\n---\n`,
    title: n,
    link: '',
    editUrl: '',
  }));
  const recorded = { file: 'data/dropmark-sync/bodies-content-post.json', text: undefined, hashes: new Map() };
  const stateInputs = {
    wanted,
    bodies: new Map([
      ['1', 'h1'],
      ['2', 'h2'],
    ]),
    recorded,
    imagePlan: { changes: [], manifest: { files: {} } },
    manifestBefore: { files: {} },
    manifestPath: 'data/m.json',
    manifestBeforeText: undefined,
    record: {
      file: 'data/k.json',
      before: undefined,
      current: { fileName: '{slug}.md', keys: [...MANAGED_KEY_LIST] },
      everyFile: true,
    },
  };
  return {
    postPlan: plan(wanted, [], { deletions: 'delete', allowMassDelete: false, feedItemCount: 2 }),
    imagePlan: stateInputs.imagePlan,
    filePlan: { changes: [], manifest: { files: {} } },
    stateInputs,
    stateFiles: stateFileChanges(stateInputs),
    strays: [],
    journal: { file: 'data/r.json', text: undefined },
  };
}

/** What the summary reads of such a pass (no download folder). */
function factsOf(pass: PassPlan): PassFacts {
  return {
    changes: changeRecords(pass.postPlan.changes, pass.postPlan.skipped),
    unchanged: pass.postPlan.unchanged,
    images: [],
    postTexts: postTextChanges(pass.postPlan.changes),
    stateFiles: pass.stateFiles,
    duplicates: [],
    keptKeys: [],
    failures: [],
    downloads: undefined,
  };
}

const applying = (siteDir: string, stop = false) => ({ siteDir, shouldStop: () => stop, log: silentLogger });
const told = (options: { dryRun?: boolean; stop?: 'stop' } = {}) =>
  ({
    endpoint: ENDPOINT,
    onError: 'degrade',
    stop: options.stop,
    dryRun: options.dryRun ?? false,
    diff: false,
  }) as const;

describe('apply and summarize: one summary for the real run and the dry run', () => {
  it('the dry run counts what the real run then writes, file for file', async () => {
    const siteDir = await mkdtemp(path.join(tmpdir(), 'dms-pass-'));
    const pass = passFor();
    const dry = summarizePass(told({ dryRun: true }), factsOf(pass), dryRunOutcome(pass));
    const outcome = await applyPass(applying(siteDir), pass);
    const real = summarizePass(told(), factsOf(pass), outcome);
    expect(dry).toMatchObject({ result: 'ok', created: 2, failed: 0 });
    expect(real).toMatchObject({ result: 'ok', created: 2, failed: 0 });
    expect(real.files).toEqual(dry.files);
    expect(real.files).toEqual([
      'content/post/a.md',
      'content/post/b.md',
      'data/dropmark-sync/bodies-content-post.json',
    ]);
    expect((await readdir(path.join(siteDir, 'content/post'))).sort()).toEqual(['a.md', 'b.md']);
    expect(
      JSON.parse(await readFile(path.join(siteDir, 'data/dropmark-sync/bodies-content-post.json'), 'utf8')),
    ).toEqual({
      1: 'h1',
      2: 'h2',
    });
  });

  it('a stop before the first write: nothing written, the summary says stopped', async () => {
    const siteDir = await mkdtemp(path.join(tmpdir(), 'dms-pass-'));
    await mkdir(path.join(siteDir, 'content/post'), { recursive: true });
    const pass = passFor();
    const summary = summarizePass(
      told({ stop: 'stop' }),
      factsOf(pass),
      await applyPass(applying(siteDir, true), pass),
    );
    expect(summary).toMatchObject({ result: 'stopped', created: 0, files: [] });
    expect(await readdir(path.join(siteDir, 'content/post'))).toEqual([]);
  });
});
