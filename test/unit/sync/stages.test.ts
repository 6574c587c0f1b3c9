import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SyncRefusedError } from '../../../src/errors.js';
import { parseFeed } from '../../../src/feed/parse.js';
import { silentLogger } from '../../../src/log.js';
import { referencedImages } from '../../../src/plan/image-plan.js';
import { imagesDue } from '../../../src/sync/feed-stage.js';
import { indexSite } from '../../../src/sync/site-index.js';
import { keptBody, renderPosts } from '../../../src/sync/render-posts.js';
import { stateFileChanges } from '../../../src/sync/state-files.js';
import { summarizeCached, summarizeFailure } from '../../../src/summary.js';
import { bodyHash } from '../../../src/state/bodies.js';
import { MANAGED_KEY_LIST } from '../../../src/frontmatter/post-keys.js';
import { DEFAULT_SHAPE } from '../../../src/frontmatter/profiles.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const ENDPOINT = 'https://me.dropmark.com/616548.json';
// The record the bodies file keeps of a body: the rule compares against it, so the test writes records the same way.
const sha = (text: string) => bodyHash(text);

/** The content folder of a collection with the default settings (bookmark profile, `slugs: keep`). */
const folder = (siteDir: string) =>
  ({ siteDir, contentDir: 'content/post', slugs: 'keep', shape: DEFAULT_SHAPE }) as const;
const read = { now: NOW, log: silentLogger };

/** How a collection's summary is told, with its key to keep out of messages. */
function told(over: { onError?: 'degrade' | 'fail'; stop?: 'stop' | 'abort' } = {}) {
  const { onError = 'degrade', stop } = over;
  return { endpoint: ENDPOINT, onError, stop, secrets: ['sekrit-key'], log: silentLogger };
}

const feedOf = (...items: { id: number; name: string; content?: string }[]) =>
  parseFeed(
    JSON.stringify({
      items: items.map((i) => ({
        ...i,
        link: `https://example.com/${i.id}`,
        url: `https://me.dropmark.com/616548/${i.id}`,
        updated_at: '2024-03-07 22:29:46 UTC',
      })),
    }),
    ENDPOINT,
  );

const owned = (id: number, extra = '') =>
  `---\ntitle: Old ${id}\ndropmark.editURL: https://me.dropmark.com/616548/${id}\n${extra}---\nold body ${id}\n`;

const BROKEN =
  '---\ntitle: Nine\ndropmark.editURL: https://me.dropmark.com/616548/9\ntags: [unclosed\nslug: broken\n---\n';

async function site(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dms-stages-'));
  await mkdir(path.join(dir, 'content/post'), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, 'content/post', name), text);
  return dir;
}

describe('indexSite: the content folder against the feed', () => {
  it(
    'keeps an owned file name, lets a broken owned file keep its item, ' + 'never reuses a name a person holds',
    async () => {
      const dir = await site({
        'my-own-name.md': owned(7),
        'locked.md': owned(8, 'dropmark.locked: true\n'),
        'broken.md': BROKEN,
        'example-new-one.md': "---\ntitle: mine, not the tool's\n---\n",
      });
      const index = await indexSite(
        folder(dir),
        feedOf(
          { id: 7, name: 'Seven' },
          { id: 8, name: 'Eight' },
          { id: 9, name: 'Nine' },
          { id: 10, name: 'New one' },
        ),
        read,
      );
      expect(index.slugs.get('7')).toBe('my-own-name');
      expect(index.slugs.get('9')).toBe('broken');
      expect([...index.brokenById.keys()]).toEqual(['9']);
      expect([...index.lockedIds]).toEqual(['8']);
      // example.com/10 "New one" would be example-new-one, which a person's file holds.
      expect(index.slugs.get('10')).not.toBe('example-new-one');
      expect(index.slugs.get('10')).toMatch(/^example-new-one-/);
    },
  );
});

describe('renderPosts: the hand-edit rule and failing items', () => {
  it.each([
    ['no file yet: the feed body', undefined, 'feed', undefined, 'feed'],
    ['same body as the feed', 'feed', 'feed', sha('feed'), 'feed'],
    [
      'edited by hand, the feed unchanged since it was written: the hand edit stays',
      'mine',
      'feed',
      sha('feed'),
      'mine',
    ],
    ['edited by hand, and the feed changed too: the feed wins', 'mine', 'feed v2', sha('feed'), 'feed v2'],
    ['no record: the feed body', 'mine', 'feed', undefined, 'feed'],
  ])('%s', (_name, onDisk, feedBody, recorded, expected) => {
    expect(keptBody(onDisk, feedBody, recorded)).toBe(expected);
  });

  it('an item whose owned file is broken fails, named with the file, and keeps its recorded body hash', async () => {
    const dir = await site({ 'broken.md': BROKEN });
    const feed = feedOf({ id: 9, name: 'Nine' }, { id: 10, name: 'Ten' });
    const index = await indexSite(folder(dir), feed, read);
    const posts = renderPosts({
      feed,
      index,
      map: { feedUrl: ENDPOINT, imageMode: 'none', now: NOW },
      featuredImage: undefined,
      recordedBodies: new Map([['9', 'recorded-hash-9']]),
      contentDir: 'content/post',
      deletions: 'delete',
    });
    expect(posts.wanted.map((w) => w.relPath)).toEqual(['content/post/example-ten.md']);
    expect(posts.failures).toEqual([
      {
        itemId: '9',
        file: 'content/post/broken.md',
        reason: expect.stringMatching(/^content\/post\/broken\.md: .*repair or delete the file/),
      },
    ]);
    expect([...posts.keepIds]).toEqual(['9']);
    expect(posts.bodies.get('9')).toBe('recorded-hash-9');
  });
});

describe('the cached path and failures', () => {
  it('imagesDue: a degraded cache stands until its first missing image may be tried again', () => {
    const state = {
      key: 'k',
      feedHash: 'h',
      siteFingerprint: 'f',
      files: 1,
      savedAt: '',
      retryImagesAt: '2026-11-27T13:00:00.000Z',
    };
    expect(imagesDue(state, new Date('2026-11-27T12:59:59Z'), {})).toBe(false);
    expect(imagesDue(state, new Date('2026-11-27T13:00:00Z'), {})).toBe(true);
    const missing = [{ itemId: '1', reason: 'HTTP 404' }];
    expect(imagesDue({ ...state, imagesMissing: missing }, NOW, { retryImages: true })).toBe(true);
    // A refusal by the config has no time to be tried again; --retry-images tries it all the same.
    const refused = { ...state, retryImagesAt: undefined, imagesMissing: missing };
    expect(imagesDue(refused, new Date('2030-01-01T00:00:00Z'), {})).toBe(false);
    expect(imagesDue(refused, NOW, { retryImages: true })).toBe(true);
    expect(imagesDue({ ...state, retryImagesAt: undefined }, NOW, { retryImages: true })).toBe(false);
  });

  it(
    'summarizeCached reports the missing images of the last pass: ' + 'degraded, or failed under images.onError: fail',
    async () => {
      const trusted = {
        key: 'k',
        feedHash: 'h',
        siteFingerprint: 'f',
        files: 40,
        skipped: 1,
        savedAt: '',
        imagesMissing: [{ itemId: '3', reason: 'image x: HTTP 404' }],
      };
      const degraded = summarizeCached(told(), 'not-modified', trusted);
      expect(degraded).toMatchObject({
        result: 'not-modified',
        unchanged: 40,
        skipped: 1,
        imagesMissing: 1,
        failed: 0,
      });
      expect(degraded.imageFailures).toEqual([{ itemId: '3', reason: 'image x: HTTP 404' }]);
      const failing = summarizeCached(told({ onError: 'fail' }), 'unchanged-feed', trusted);
      expect(failing).toMatchObject({ result: 'failed', failed: 1, imageFailures: [] });
    },
  );

  it('summarizeFailure: a refusal keeps its message (no secret), a clean stop is "stopped", an abort "failed"', () => {
    const refused = summarizeFailure(told(), new SyncRefusedError('refused: would delete 9 of 10 (key sekrit-key)'));
    expect(refused).toMatchObject({ result: 'failed', error: 'refused: would delete 9 of 10 (key [redacted])' });
    expect(summarizeFailure(told({ stop: 'stop' }), new Error('aborted')).result).toBe('stopped');
    const aborted = summarizeFailure(told({ stop: 'abort' }), new Error('aborted'));
    expect(aborted).toMatchObject({
      result: 'failed',
      error: expect.stringMatching(/stopped before the end \(deadline or abort\)/),
    });
  });
});

describe('planning images and state files', () => {
  it('referencedImages: only values under the prefix, as names', () => {
    expect([
      ...referencedImages('/img/post/', ['/img/post/a.jpg', '/img/other/b.jpg', '', undefined, 42, '/img/post/c.png']),
    ]).toEqual(['a.jpg', 'c.png']);
  });

  it('stateFileChanges: a post that could not be written keeps its old body hash; a new one loses its record', () => {
    const recorded = {
      file: 'data/dropmark-sync/bodies-content-post.json',
      text: '{\n  "1": "old1"\n}\n',
      hashes: new Map([['1', 'old1']]),
    };
    const input = {
      wanted: [
        { id: '1', relPath: 'content/post/a.md', text: '', title: '', link: '', editUrl: '' },
        { id: '2', relPath: 'content/post/b.md', text: '', title: '', link: '', editUrl: '' },
      ],
      bodies: new Map([
        ['1', 'new1'],
        ['2', 'new2'],
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
    expect(JSON.parse(stateFileChanges(input)[0]?.after ?? '')).toEqual({ 1: 'new1', 2: 'new2' });
    const failed = stateFileChanges(input, new Set(['content/post/a.md', 'content/post/b.md']));
    expect(failed).toEqual([]);
  });
});
