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

type Item = { id: number; name: string; content: string };
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
    const posts = renderPending(inputs(feed, whole.index, recorded), first);

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
    expect(first.pending.map((i) => i.id)).toEqual(['2', '3', '4']);
    expect(textsNeeded(read.index, first)).toEqual(
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
