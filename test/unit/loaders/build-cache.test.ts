import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { Agent } from 'undici';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { checkCollectionOptions } from '../../../src/config/collection-options.js';
import { ConfigError, DropmarkSyncError, SyncRefusedError } from '../../../src/errors.js';
import { ImageError } from '../../../src/images/image-error.js';
import type { Logger } from '../../../src/log.js';
import {
  type BuildDeps,
  type BuildOutcome,
  type BuildState,
  readBuildState,
  refreshCollection,
} from '../../../src/loaders/build-cache.js';
import { jpeg } from '../../support/images.js';
import { snapshotTree } from '../../support/tree.js';

const ORIGIN = 'https://me.dropmark.com';
const ENDPOINT = `${ORIGIN}/616548.json`;
const CDN = 'https://cdn2.dropmarkusercontent.com';
const NOW = new Date('2026-11-27T12:00:00Z');
const agent = new Agent();
afterAll(() => agent.close());

const thumbnail = (id: number) => `${CDN}/353804/${id}/thumbnail/photo-${id}.jpg?Expires=4102444800&Signature=s${id}`;
const item = (id: number) => ({
  id,
  name: `Item ${id}`,
  link: `https://example.com/${id}`,
  content: `Body of ${id}.`,
  thumbnail: thumbnail(id),
  url: `${ORIGIN}/616548/${id}`,
  created_at: '2024-03-10 08:00:00 UTC',
  updated_at: '2024-03-11 09:30:00 UTC',
});
const feedBody = (...ids: number[]) => JSON.stringify({ items: ids.map(item), items_total_count: ids.length });

const feed = (headers: Record<string, string> = {}) => nock(ORIGIN, { reqheaders: headers }).get('/616548.json');
const image = (id: number) => nock(CDN).get(`/353804/${id}/thumbnail/photo-${id}.jpg`).query(true);

let root: string;
const lines: string[] = [];
const logger: Logger = {
  debug: () => {},
  info: (_obj, msg) => lines.push(msg ?? ''),
  warn: (_obj, msg) => lines.push(msg ?? ''),
  error: (_obj, msg) => lines.push(msg ?? ''),
};
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dms-build-cache-'));
  lines.length = 0;
});

async function refresh(previous: BuildState | undefined, keys: Record<string, unknown> = {}, env = {}) {
  const options = await checkCollectionOptions({ endpoint: ENDPOINT, profile: 'astro', ...keys }, 'the test loader', {
    images: { dir: 'public/img/dropmark', urlPrefix: '/img/dropmark' },
  });
  const deps: BuildDeps = { env, logger, now: () => NOW, guardedDispatcher: agent };
  return refreshCollection({ ...options, root }, previous, deps);
}

const changed = (outcome: BuildOutcome) => {
  if (!outcome.changed) throw new Error('expected a changed feed');
  return outcome;
};
const folder = () => readdir(path.join(root, 'public/img/dropmark')).catch(() => []);

/** The first build: items 1 and 2, each image mirrored. */
async function firstBuild(): Promise<BuildState> {
  feed().reply(200, feedBody(1, 2), { etag: '"v1"' });
  image(1).reply(200, jpeg('1'), { 'content-type': 'image/jpeg' });
  image(2).reply(200, jpeg('2'), { 'content-type': 'image/jpeg' });
  return changed(await refresh(undefined)).state;
}

describe('readBuildState: a state read back is not trusted with names', () => {
  it("keeps only the posts' names a slug could give: a path, a quote or a dot file is made anew", () => {
    const state = {
      key: 'k',
      feedUrl: 'https://x.dropmark.com/1.json',
      feedHash: 'h',
      names: { '1': 'my-post', '2': '../../../escaped', '3': 'x" onerror="alert(1)', '4': '.hidden', '5': 'a/b' },
      images: {},
      files: {},
      complete: true,
    };
    expect(readBuildState(JSON.stringify(state))?.names).toEqual({ '1': 'my-post' });
  });
});

describe('refreshCollection: the build cache of a loader', () => {
  it('fetches the whole feed first, mirrors each image into the folder, and records what it wrote', async () => {
    feed().reply(200, feedBody(1, 2), { etag: '"v1"' });
    image(1).reply(200, jpeg('1'), { 'content-type': 'image/jpeg' });
    image(2).reply(200, jpeg('2'), { 'content-type': 'image/jpeg' });
    const { mapped, state } = changed(await refresh(undefined));
    expect(mapped.posts.map((p) => [p.id, p.data['image']])).toEqual([
      ['1', '/img/dropmark/example-item-1.jpg'],
      ['2', '/img/dropmark/example-item-2.jpg'],
    ]);
    expect(await readFile(path.join(root, 'public/img/dropmark/example-item-1.jpg'))).toEqual(jpeg('1'));
    expect(state).toMatchObject({
      etag: '"v1"',
      complete: true,
      names: { '1': 'example-item-1', '2': 'example-item-2' },
      images: {
        'example-item-1.jpg': { source: `${CDN}/353804/1/thumbnail/photo-1.jpg`, bytes: jpeg('1').length },
      },
    });
    expect(readBuildState(JSON.stringify(state))).toEqual(state);
  });

  it('then makes one conditional request; a 304 leaves every entry and file as it is', async () => {
    const state = await firstBuild();
    const before = await snapshotTree(root);
    feed({ 'if-none-match': '"v1"' }).reply(304, '', { etag: '"v1"' });
    expect(await refresh(state)).toEqual({ changed: false, state });
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('takes a 200 with the same items (signatures aside) as unchanged, keeping its new ETag', async () => {
    const state = await firstBuild();
    const resigned = feedBody(1, 2).replaceAll('Signature=s', 'Signature=new');
    feed({ 'if-none-match': '"v1"' }).reply(200, resigned, { etag: '"v2"' });
    expect(await refresh(state)).toEqual({ changed: false, state: { ...state, etag: '"v2"' } });
  });

  it('does not trust a state whose images are gone: the whole feed is fetched, they are downloaded again', async () => {
    const state = await firstBuild();
    await rm(path.join(root, 'public/img/dropmark/example-item-2.jpg'));
    nock(ORIGIN, { badheaders: ['if-none-match'] })
      .get('/616548.json')
      .reply(200, feedBody(1, 2), { etag: '"v1"' });
    image(2).reply(200, jpeg('2'), { 'content-type': 'image/jpeg' });
    const outcome = changed(await refresh(state));
    expect(outcome.state.images).toEqual(state.images);
    expect(await folder()).toEqual(['example-item-1.jpg', 'example-item-2.jpg']);
  });

  it('does not trust the state of other settings (another profile): the whole feed is fetched', async () => {
    const state = await firstBuild();
    nock(ORIGIN, { badheaders: ['if-none-match'] })
      .get('/616548.json')
      .reply(200, feedBody(1, 2));
    const { mapped } = changed(await refresh(state, { profile: 'eleventy' }));
    expect(Object.keys(mapped.posts[0]?.data ?? {})).toContain('templateEngineOverride');
  });

  it('removes the image of an item gone from the feed, and never a file it did not write', async () => {
    const state = await firstBuild();
    await writeFile(path.join(root, 'public/img/dropmark/mine.jpg'), 'a file of my own');
    feed({ 'if-none-match': '"v1"' }).reply(200, feedBody(1), { etag: '"v3"' });
    const outcome = changed(await refresh(state));
    expect(outcome.mapped.posts.map((p) => p.id)).toEqual(['1']);
    expect(await folder()).toEqual(['example-item-1.jpg', 'mine.jpg']);
    expect(Object.keys(outcome.state.images)).toEqual(['example-item-1.jpg']);
  });

  it('builds without a missing image under images.onError degrade, and trusts that state no more', async () => {
    feed().reply(200, feedBody(1, 2), { etag: '"v1"' });
    image(1).reply(200, jpeg('1'), { 'content-type': 'image/jpeg' });
    image(2).reply(404);
    const { mapped, state } = changed(await refresh(undefined));
    expect(mapped.posts[1]?.data).not.toHaveProperty('image');
    expect(state.complete).toBe(false);
    expect(lines).toContain(
      `image cdn2.dropmarkusercontent.com/353804/2/thumbnail/photo-2.jpg: HTTP 404; the post is built without it`,
    );
    nock(ORIGIN, { badheaders: ['if-none-match'] })
      .get('/616548.json')
      .reply(200, feedBody(1, 2), { etag: '"v1"' });
    image(2).reply(200, jpeg('2'), { 'content-type': 'image/jpeg' });
    expect(changed(await refresh(state)).state.complete).toBe(true);
  });

  it('fails the build with an ImageError naming the item under images.onError fail', async () => {
    feed().reply(200, feedBody(1, 2), { etag: '"v1"' });
    image(1).reply(200, jpeg('1'), { 'content-type': 'image/jpeg' });
    image(2).reply(404);
    const error = await refresh(undefined, { images: { onError: 'fail' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageError);
    expect(error).toBeInstanceOf(DropmarkSyncError);
    expect((error as Error).message).toBe(
      '1 download(s) could not be had (images.onError is fail):\n' +
        'item 2: image cdn2.dropmarkusercontent.com/353804/2/thumbnail/photo-2.jpg: HTTP 404\n' +
        'Build again once they can be had, or set images.onError: degrade to build without them',
    );
  });

  it('sends the API key of the environment to the feed only, and keeps it out of the state', async () => {
    nock(ORIGIN).get('/616548.json').query({ key: 'sekrit-key' }).reply(200, feedBody(1));
    image(1).reply(200, jpeg('1'), { 'content-type': 'image/jpeg' });
    const { state } = changed(await refresh(undefined, {}, { DROPMARK_API_KEY: 'sekrit-key' }));
    expect(JSON.stringify(state)).not.toContain('sekrit');
  });

  it('refuses a second collection whose images would go into the folder of another', async () => {
    await firstBuild();
    const other = await checkCollectionOptions({ endpoint: `${ORIGIN}/999.json` }, 'the other loader', {
      images: { dir: 'public/img/dropmark/', urlPrefix: '/img/other' },
    });
    const error = await refreshCollection({ ...other, root }, undefined, { env: {}, logger, now: () => NOW }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `images.dir: public/img/dropmark holds the images of the collection ${ENDPOINT} too; give each collection ` +
        'its own images.dir and images.urlPrefix (a dev server that ran with another endpoint: restart it)',
    );
  });

  it('refuses a feed that drops over half the entries of the last build, unless the environment says so', async () => {
    feed().reply(200, feedBody(1, 2, 3), { etag: '"v1"' });
    const { state } = changed(await refresh(undefined, { images: { mode: 'none' } }));
    feed({ 'if-none-match': '"v1"' }).reply(200, feedBody(1), { etag: '"v2"' });
    const error = await refresh(state, { images: { mode: 'none' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncRefusedError);
    expect((error as Error).message).toBe(
      'refused: the feed drops 2 of the 3 entries of the last build (more than half). ' +
        'If that is meant, build once with DROPMARK_SYNC_ALLOW_MASS_DELETE=1 in the environment',
    );
    feed({ 'if-none-match': '"v1"' }).reply(200, '{"items": []}', { etag: '"v3"' });
    expect(((await refresh(state, { images: { mode: 'none' } }).catch((e: unknown) => e)) as Error).message).toBe(
      'refused: the feed lists no items, which would drop all 3 entries of the last build. ' +
        'If that is meant, build once with DROPMARK_SYNC_ALLOW_MASS_DELETE=1 in the environment',
    );
    feed({ 'if-none-match': '"v1"' }).reply(200, feedBody(1), { etag: '"v2"' });
    const allowed = { DROPMARK_SYNC_ALLOW_MASS_DELETE: '1' };
    expect(changed(await refresh(state, { images: { mode: 'none' } }, allowed)).mapped.posts).toHaveLength(1);
  });

  it('reads no state from text that is not one', () => {
    expect(readBuildState(undefined)).toBeUndefined();
    expect(readBuildState('{"key": 1}')).toBeUndefined();
    const named = { key: 'k', feedUrl: ENDPOINT, feedHash: 'h', names: {}, files: {}, complete: true };
    const state = readBuildState(
      JSON.stringify({ ...named, images: { '../x.jpg': { source: 's', bytes: 1, sha256: 'x' } } }),
    );
    expect(state?.images).toEqual({});
  });
});
