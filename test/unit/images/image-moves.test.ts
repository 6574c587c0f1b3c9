import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import type { ImageBackoff } from '../../../src/images/backoff.js';
import type { DownloadOptions } from '../../../src/images/download.js';
import { serializeManifest, type ImageManifest } from '../../../src/images/manifest.js';
import { downloadMirror } from '../../../src/images/mirror.js';
import { planMirror, type ImageRequest, type MirrorInput, type MirrorResult } from '../../../src/images/mirror-plan.js';
import { manifestAfterFailures, planImages, type ImagePlanInput } from '../../../src/plan/image-plan.js';
import { toFileOps } from '../../../src/plan/post-plan.js';
import { imageTarget } from '../../../src/sync/mirror-targets.js';
import { planDownloadFiles } from '../../../src/sync/plan-stage.js';
import { indexSnapshot } from '../../support/site-index.js';
import { existingFile, feedWith, TEST_ENDPOINT, siteSnapshot } from '../../support/builders.js';

/** A renamed post (profile, fileName, follow-title) takes its image along: nothing is requested. */

const SOURCE = 'https://img.dropmarkusercontent.com/353804/aaa/thumbnail/first.jpg';
const SIGNED = `${SOURCE}?Expires=4102444800&Signature=sig&Key-Pair-Id=K`;
const RECORD = { source: SOURCE, bytes: 3, sha256: 'aaa' };
const OPTIONS: DownloadOptions = {
  allowedHosts: ['*.dropmarkusercontent.com'],
  allowHttp: false,
  allowPrivateNetworks: false,
  maxBytes: 1024,
  timeoutMs: 1000,
  retries: 0,
  retryDelayMs: 1,
  maxRetryAfterMs: 1,
  svg: 'refuse',
};
/** Backed off until 2100: a request for it would be a miss, were it not on disk. */
const BACKED_OFF: ImageBackoff = new Map([
  [
    SOURCE,
    {
      count: 3,
      firstFailedAt: '2026-01-01T00:00:00.000Z',
      lastFailedAt: '2026-01-01T00:00:00.000Z',
      retryAt: '2100-01-01T00:00:00.000Z',
      reason: 'HTTP 404',
    },
  ],
]);

function mirror(
  requests: ImageRequest[],
  manifest: ImageManifest,
  present: string[],
  backoff: ImageBackoff = new Map(),
): Promise<MirrorResult> {
  const input: MirrorInput = {
    requests,
    manifest,
    present: new Set(present),
    blocked: new Set(),
    urlPrefix: '/img/post',
    concurrency: 1,
    backoff,
    ignoreBackoff: false,
    dryRun: false,
  };
  const now = () => Date.parse('2026-06-01T00:00:00Z');
  return downloadMirror(planMirror(input, OPTIONS, now()), input, OPTIONS, {
    // Any request would fail the test: no dispatcher, no sink, no fresh feed.
    dispatcher: () => Promise.reject(new Error('no request expected')),
    now,
    sink: {
      create() {
        throw new Error('no download expected');
      },
      discard: async () => {},
    },
    refetchUrls: () => Promise.reject(new Error('no fresh feed expected')),
  });
}

describe('planMirror: an image already on disk under the post name before the rename', () => {
  it('is moved to the new name: no request, not missing, whatever its backoff says', async () => {
    const result = await mirror(
      [{ itemId: '1', slug: '2024-03-07-first', previous: 'first', url: SIGNED }],
      { files: { 'first.jpg': RECORD } },
      ['first.jpg'],
      BACKED_OFF,
    );
    expect(result.moved).toEqual(new Map([['2024-03-07-first.jpg', { from: 'first.jpg', itemId: '1' }]]));
    expect(result.featuredImage).toEqual(new Map([['1', '/img/post/2024-03-07-first.jpg']]));
    expect(result.failures).toEqual([]);
    expect(result.downloaded.size).toBe(0);
    expect(result.manifest.files).toEqual({ 'first.jpg': RECORD, '2024-03-07-first.jpg': RECORD });
    // On disk counts as had: the backoff record is dropped.
    expect(result.succeeded).toEqual(new Set([SOURCE]));
  });

  it('a run killed after the post was renamed but before the manifest: found by its identity', async () => {
    const result = await mirror(
      [{ itemId: '1', slug: 'first-retitled', previous: 'first-retitled', url: SIGNED }],
      { files: { 'first.jpg': RECORD } },
      ['first.jpg', 'first-retitled.jpg'],
    );
    expect(result.moved).toEqual(new Map([['first-retitled.jpg', { from: 'first.jpg', itemId: '1' }]]));
    expect(result.failures).toEqual([]);
  });

  it('two posts that swap names each take their own image (the records before the run)', async () => {
    const other = { source: 'https://img.dropmarkusercontent.com/b.jpg', bytes: 4, sha256: 'bbb' };
    const result = await mirror(
      [
        { itemId: '1', slug: 'b', previous: 'a', url: SIGNED },
        { itemId: '2', slug: 'a', previous: 'b', url: `${other.source}?Signature=x` },
      ],
      { files: { 'a.jpg': RECORD, 'b.jpg': other } },
      ['a.jpg', 'b.jpg'],
    );
    expect(result.moved).toEqual(
      new Map([
        ['b.jpg', { from: 'a.jpg', itemId: '1' }],
        ['a.jpg', { from: 'b.jpg', itemId: '2' }],
      ]),
    );
    expect(result.manifest.files).toEqual({ 'a.jpg': other, 'b.jpg': RECORD });
  });

  it('an image that changed upstream and cannot be had: the old one is still moved with the post', async () => {
    const result = await mirror(
      [{ itemId: '1', slug: 'new', previous: 'old', url: SIGNED }],
      { files: { 'old.jpg': { ...RECORD, source: 'https://img.dropmarkusercontent.com/older.jpg' } } },
      ['old.jpg'],
      BACKED_OFF,
    );
    expect(result.failures).toHaveLength(1);
    expect(result.moved).toEqual(new Map([['new.jpg', { from: 'old.jpg', itemId: '1' }]]));
    expect(result.featuredImage.get('1')).toBe('/img/post/new.jpg');
  });
});

const base = (over: Partial<ImagePlanInput>): ImagePlanInput => ({
  relDir: 'img',
  downloaded: new Map(),
  before: { files: { 'old.jpg': RECORD } },
  after: { files: { 'old.jpg': RECORD, 'new.jpg': RECORD } },
  present: new Map([['old.jpg', null]]),
  referenced: new Set(['new.jpg']),
  removeOrphans: true,
  manifestRelPath: 'data/m.json',
  manifestBefore: serializeManifest({ files: { 'old.jpg': RECORD } }),
  moved: new Map([['new.jpg', { from: 'old.jpg', staged: '/tmp/copy' }]]),
  ...over,
});

describe('planImages: a moved image', () => {
  it('is one move (new name written, old removed), never a download and a removal', () => {
    const plan = planImages(base({}));
    expect(plan.changes).toEqual([
      { kind: 'move', relPath: 'img/new.jpg', from: 'img/old.jpg', staged: '/tmp/copy', size: 3 },
    ]);
    expect(plan.manifest).toEqual({ files: { 'new.jpg': RECORD } });
    expect(plan.manifestText).toBe(serializeManifest({ files: { 'new.jpg': RECORD } }));
    // Written with the new image, before any post points to it: both names are the tool's.
    expect(plan.interimManifestText).toBe(serializeManifest({ files: { 'old.jpg': RECORD, 'new.jpg': RECORD } }));
  });

  it('is a copy while another post still points to the old name, or with deletions: keep', () => {
    const copy = { kind: 'copy', relPath: 'img/new.jpg', from: 'img/old.jpg', staged: '/tmp/copy', size: 3 };
    expect(planImages(base({ referenced: new Set(['new.jpg', 'old.jpg']) })).changes).toEqual([copy]);
    const kept = planImages(base({ removeOrphans: false }));
    expect(kept.changes).toEqual([copy]);
    expect(kept.interimManifestText).toBeUndefined();
  });

  it('a move that failed leaves the old name and its record; a failed removal keeps the record', () => {
    const plan = planImages(base({}));
    const before = { files: { 'old.jpg': RECORD } };
    const text = serializeManifest(before);
    expect(manifestAfterFailures(plan, before, text, new Set(['img/new.jpg']))).toBeUndefined();
    expect(manifestAfterFailures(plan, before, text, new Set(['img/old.jpg']))).toBe(
      serializeManifest({ files: { 'old.jpg': RECORD, 'new.jpg': RECORD } }),
    );
  });

  it('whose post could not be renamed keeps its old name: the post still points at it', () => {
    const moved = new Map([['new.jpg', { from: 'old.jpg', staged: '/tmp/copy', post: 'content/post/new.md' }]]);
    const plan = planImages(base({ moved }));
    expect(toFileOps([], plan.changes)).toContainEqual({
      phase: 3,
      op: 'delete',
      relPath: 'img/old.jpg',
      unlessFailed: ['img/new.jpg', 'content/post/new.md'],
    });
    const before = { files: { 'old.jpg': RECORD } };
    const text = serializeManifest(before);
    expect(manifestAfterFailures(plan, before, text, new Set(['content/post/new.md']))).toBe(
      serializeManifest({ files: { 'new.jpg': RECORD, 'old.jpg': RECORD } }),
    );
  });

  it('as file steps: new name and interim manifest first, old name removed after posts unless its move failed', () => {
    const plan = planImages(base({}));
    expect(
      toFileOps(
        [],
        plan.changes,
        [{ relPath: 'data/m.json', text: 'final' }],
        [{ relPath: 'data/m.json', text: 'interim' }],
      ),
    ).toStrictEqual([
      { phase: 0, op: 'move', relPath: 'img/new.jpg', from: '/tmp/copy' },
      { phase: 0, op: 'write', relPath: 'data/m.json', data: 'interim' },
      { phase: 3, op: 'delete', relPath: 'img/old.jpg', unlessFailed: ['img/new.jpg'] },
      { phase: 4, op: 'write', relPath: 'data/m.json', data: 'final' },
    ]);
  });
});

describe('planDownloadFiles: a post the run leaves as it is keeps its image', () => {
  it('an item whose post failed to render: its image is copied to the new name, not moved away', async () => {
    const post = existingFile('old', '1', { data: { image: '/img/post/old.jpg' } });
    const site = siteSnapshot([post]);
    const feed = feedWith({}, [{ id: 1 }]);
    const index = indexSnapshot(site, feed, 'follow-title');
    const mirrored = await mirror(
      [{ itemId: '1', slug: 'new', previous: 'old', url: SIGNED }],
      { files: { 'old.jpg': RECORD } },
      ['old.jpg'],
    );
    const config = configSchema.parse({
      siteDir: '/nonexistent-site',
      collections: [{ endpoint: TEST_ENDPOINT, images: { manifest: 'data/m.json', urlPrefix: '/img/post' } }],
    });
    const [collection] = config.collections;
    const target = collection && imageTarget({ collection, http: config.http, cacheFile: 'c.json' });
    if (!target) throw new Error('images mode local gives an image target');
    const images = {
      folder: {
        target,
        dirState: { names: new Set(['old.jpg']), blocked: new Set<string>(), manifestText: undefined },
        manifestBefore: { files: { 'old.jpg': RECORD } },
        strays: [],
        failures: new Map(),
      },
      mirrored,
      moves: new Map([['new.jpg', { from: 'old.jpg', staged: '/tmp/copy', post: 'content/post/new.md' }]]),
      replaced: new Map(),
      retryAt: undefined,
    };
    const plan = planDownloadFiles(images, index, 'delete', new Set(['1']));
    expect(plan.changes).toEqual([
      {
        kind: 'copy',
        relPath: 'static/img/content/post/new.jpg',
        from: 'static/img/content/post/old.jpg',
        staged: '/tmp/copy',
        size: 3,
        post: 'content/post/new.md',
      },
    ]);
  });
});
