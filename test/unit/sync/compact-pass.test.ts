import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SyncRefusedError } from '../../../src/errors.js';
import { bodiesPath } from '../../../src/fs/name-parts.js';
import { DEFAULT_SHAPE } from '../../../src/frontmatter/profiles.js';
import { silentLogger } from '../../../src/log.js';
import { plan } from '../../../src/plan/post-plan.js';
import { readSite } from '../../../src/site/read.js';
import { serializeBodies } from '../../../src/state/bodies.js';
import { textsNeeded } from '../../../src/sync/file-texts.js';
import { readStage, readWholeFiles, type PassRead } from '../../../src/sync/read-stage.js';
import { renderPending, renderPosts, type PostInputs } from '../../../src/sync/render-posts.js';
import type { IndexedFiles } from '../../../src/sync/index-files.js';
import { feedWith, wantedText } from '../../support/builders.js';
import { indexSnapshot } from '../../support/site-index.js';

// A pass reads the content folder compact (site/read.ts): the files of only the tool's keys as their fields and the
// hash of their text. These tests hold its outcome against the same pass over the files read whole.

const NOW = new Date('2026-11-27T12:00:00Z');
const CONTENT = 'content/post';
const FOLDER = { contentDir: CONTENT, slugs: 'keep', shape: DEFAULT_SHAPE } as const;
const NO_TARGETS = { images: undefined, files: undefined };

type Item = { id: number; name: string; content: string; link?: string };
const feedOf = (items: Item[]) => feedWith({ updated_at: '2024-03-07 22:29:46 UTC' }, items);
const BEFORE: Item[] = [1, 2, 3, 4, 5].map((id) => ({ id, name: `Post ${id}`, content: `<p>Body ${id}</p>` }));
// 1 as it was; 2 retitled; 3 a new body; 4 as it was, its body edited by a person on disk; 5 gone; 6 new.
const AFTER: Item[] = [
  BEFORE[0] as Item,
  { id: 2, name: 'Post 2, retitled', content: '<p>Body 2</p>' },
  { id: 3, name: 'Post 3', content: '<p>Body 3, rewritten</p>' },
  BEFORE[3] as Item,
  { id: 6, name: 'Post 6', content: '<p>Body 6</p>' },
];

const inputs = (feed: ReturnType<typeof feedOf>, index: IndexedFiles, recorded: Map<string, string>): PostInputs => ({
  feed,
  index,
  map: { feedUrl: 'https://me.dropmark.com/616548.json', imageMode: 'none', now: NOW },
  featuredImage: undefined,
  recordedBodies: recorded,
  contentDir: CONTENT,
  deletions: 'delete',
});

/** A site as a first sync of BEFORE leaves it, with item 4's body edited by hand since. */
async function syncedSite(): Promise<string> {
  const siteDir = await mkdtemp(path.join(tmpdir(), 'dms-compact-'));
  await mkdir(path.join(siteDir, CONTENT), { recursive: true });
  const feed = feedOf(BEFORE);
  const first = renderPosts(inputs(feed, indexSnapshot(await readSite(siteDir, CONTENT), feed, 'keep'), new Map()));
  for (const want of first.wanted) await writeFile(path.join(siteDir, want.relPath), wantedText(want) as string);
  await mkdir(path.join(siteDir, 'data/dropmark-sync'), { recursive: true });
  await writeFile(path.join(siteDir, bodiesPath(CONTENT)), serializeBodies(first.bodies));
  const four = path.join(siteDir, CONTENT, 'example-post-4.md');
  await writeFile(four, `${await readFile(four, 'utf8')}\nA note of mine.\n`);
  return siteDir;
}

const readCompact = (siteDir: string, feed: ReturnType<typeof feedOf>) =>
  readStage({ ...FOLDER, siteDir }, feed, NO_TARGETS, { now: NOW, log: silentLogger });

describe('a pass over a content folder read compact', () => {
  it('plans exactly what the same pass plans over the files read whole', async () => {
    const siteDir = await syncedSite();
    const feed = feedOf(AFTER);
    const read = await readCompact(siteDir, feed);
    const recorded = read.recorded.hashes;
    const first = renderPosts(inputs(feed, read.index, recorded));
    const whole = await readWholeFiles(siteDir, read, textsNeeded(read.index, first));
    const mappedBefore = structuredClone(first.pending.map((p) => p.post));
    const posts = renderPending(inputs(feed, whole.index, recorded), first);
    // The first rendering's posts are its own: the second keeps item 4's edited body in a copy.
    expect(first.pending.map((p) => p.post)).toEqual(mappedBefore);

    const wholeSite = await readSite(siteDir, CONTENT);
    const reference = renderPosts(inputs(feed, indexSnapshot(wholeSite, feed, 'keep'), recorded));
    const options = { deletions: 'delete' as const, allowMassDelete: true, feedItemCount: AFTER.length };
    expect(plan(posts.wanted, whole.index.site.files, options)).toEqual(
      plan(reference.wanted, wholeSite.files, options),
    );
    expect(posts.bodies).toEqual(reference.bodies);
    expect(posts.failures).toEqual([]);
    // What it held compact throughout: only item 1's file, the one post that is its file as it is.
    expect(first.wanted.filter((w) => 'unchanged' in w).map((w) => w.id)).toEqual(['1']);
    expect(first.pending.map((p) => p.item.id)).toEqual(['2', '3', '4']);
    expect(textsNeeded(read.index, first).map((f) => f.relPath)).toEqual(
      ['2', '3', '4', '5'].map((id) => `${CONTENT}/example-post-${id}.md`),
    );
    // The person's body stays (the hand-edit rule needs the file's text, read again).
    expect(wantedText(posts.wanted.find((w) => w.id === '4'))).toContain('A note of mine.');
  });

  it('a file that changed between the two reads refuses the pass, naming it', async () => {
    const siteDir = await syncedSite();
    const feed = feedOf(AFTER);
    const read: PassRead = await readCompact(siteDir, feed);
    const first = renderPosts(inputs(feed, read.index, read.recorded.hashes));
    const three = path.join(siteDir, CONTENT, 'example-post-3.md');
    await writeFile(three, `${await readFile(three, 'utf8')}edited meanwhile\n`);
    const again = readWholeFiles(siteDir, read, textsNeeded(read.index, first));
    await expect(again).rejects.toThrow(SyncRefusedError);
    await expect(again).rejects.toThrow(
      'content/post/example-post-3.md changed while this sync read the content folder; nothing was written. ' +
        'Run the sync again',
    );
  });
});

/** The same pass over `siteDir` twice: over the folder read compact (as a sync reads it), and over the files whole. */
async function bothWays(siteDir: string, feed: ReturnType<typeof feedOf>) {
  const read = await readCompact(siteDir, feed);
  const recorded = read.recorded.hashes;
  const first = renderPosts(inputs(feed, read.index, recorded));
  const whole = await readWholeFiles(siteDir, read, textsNeeded(read.index, first));
  const compact = renderPending(inputs(feed, whole.index, recorded), first);
  const reference = renderPosts(inputs(feed, indexSnapshot(await readSite(siteDir, CONTENT), feed, 'keep'), recorded));
  return { compact, reference };
}

/** Rewrites one file of the synced site. */
async function edit(siteDir: string, name: string, change: (text: string) => string): Promise<void> {
  const file = path.join(siteDir, CONTENT, `${name}.md`);
  await writeFile(file, change(await readFile(file, 'utf8')));
}

describe('a pass over a content folder read compact tells what it found in the order of the feed', () => {
  it('failures, warnings and posts: a pending post in its place, not after the others', async () => {
    const siteDir = await syncedSite();
    // 1: held compact (the fast path reads no values), its YAML broken; retitled, so it fails once read whole.
    await edit(siteDir, 'example-post-1', (text) => text.replace('\ntitle: Post 1\n', '\ntitle: [Post 1\n'));
    // 2: a person's key and broken YAML: read whole from the start, it fails in the first rendering.
    await edit(siteDir, 'example-post-2', (text) => text.replace('\n---\n', '\ndraft: [\n---\n'));
    const feed = feedOf([
      { id: 1, name: 'Post 1, retitled', content: '<p>Body 1</p>' },
      BEFORE[1] as Item,
      // 3: held compact, changed (pending); 6: new. Both warn of their link.
      { id: 3, name: 'Post 3', content: '<p>Body 3, rewritten</p>', link: 'ftp://example.com/3' },
      BEFORE[3] as Item,
      { id: 6, name: 'Post 6', content: '<p>Body 6</p>', link: 'ftp://example.com/6' },
    ]);
    const { compact, reference } = await bothWays(siteDir, feed);
    expect(compact.failures.map((f) => f.itemId)).toEqual(['1', '2']);
    expect(compact.warnings).toEqual([
      { itemId: '3', message: 'item 3: its link "ftp://example.com/3" is not an http(s) URL; it is left out' },
      { itemId: '6', message: 'item 6: its link "ftp://example.com/6" is not an http(s) URL; it is left out' },
    ]);
    expect(compact.wanted.map((w) => w.id)).toEqual(['3', '4', '6']);
    expect(compact.failures).toEqual(reference.failures);
    expect(compact.warnings).toEqual(reference.warnings);
    expect(compact.wanted.map((w) => w.id)).toEqual(reference.wanted.map((w) => w.id));
  });
});

describe("a file the fast path must not take for one of only the tool's keys", () => {
  it('a key of a person that starts with a dash stays when the post changes', async () => {
    const siteDir = await syncedSite();
    await edit(siteDir, 'example-post-3', (text) => text.replace('\n---\n', '\n-draft: true\n---\n'));
    const { compact } = await bothWays(siteDir, feedOf(AFTER));
    const three = wantedText(compact.wanted.find((w) => w.id === '3'));
    expect(three).toContain('\n-draft: true\n');
    expect(three).toContain('Body 3, rewritten');
  });
});
