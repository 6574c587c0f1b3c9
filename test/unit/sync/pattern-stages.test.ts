import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log.js';
import type { ImagePlan } from '../../../src/plan/image-plan.js';
import type { WantedFile } from '../../../src/plan/post-plan.js';
import { DEFAULT_SHAPE, fileLayout, type FrontMatterMapping } from '../../../src/frontmatter/profiles.js';
import type { ExistingFile } from '../../../src/site/read.js';
import { renderPosts } from '../../../src/sync/render-posts.js';
import { indexSite } from '../../../src/sync/site-index.js';
import { indexSnapshot } from '../../support/site-index.js';
import { stateFileChanges, type StateInputs } from '../../../src/sync/state-files.js';
import { existingFile, feedWith, siteSnapshot, wantedText } from '../../support/builders.js';

// The file-name pattern and the record of keys as the pass's stages use them: the {date} of
// each item, a changed pattern, and the record written beside the content.

const ENDPOINT = 'https://me.dropmark.com/616548.json';
const RECORD_FILE = 'data/dropmark-sync/front-matter-content-post.json';

type Item = { id: number; name: string; updated_at?: string; created_at?: string };
const feedOf = (...items: Item[]) => feedWith({}, items);
const file = (name: string, id: string, over: Partial<ExistingFile> = {}) => existingFile(name, id, over);
const snapshot = siteSnapshot;
const dated = fileLayout({ ...DEFAULT_SHAPE, fileName: '{date}-{slug}.md' });

describe("indexFiles: an item's {date} is its own date's UTC day, else its file's, else today", () => {
  it.each([
    [
      'updated_at before created_at',
      { updated_at: '2024-03-07 22:29:46 UTC', created_at: '2023-01-01 10:00:00 UTC' },
      '2024-03-07',
    ],
    ['created_at when there is no updated_at', { created_at: '2023-05-06 23:30:00 -0500' }, '2023-05-07'],
    [
      'created_at when updated_at is no date',
      { updated_at: 'nope', created_at: '2023-05-06 10:00:00 UTC' },
      '2023-05-06',
    ],
    ['today when the item has none', {}, '2030-01-02'],
  ])('%s', (_what, dates, day) => {
    const feed = feedOf({ id: 1, name: 'One', ...dates });
    const index = indexSnapshot(snapshot(), feed, 'keep', dated, { today: '2030-01-02' });
    expect(index.slugs.get('1')).toBe(`${day}-example-one`);
  });

  it("the file's date when the item has none (its file, named otherwise, is renamed to the pattern)", () => {
    const site = snapshot([file('example-one', '1', { date: '2022-02-02T23:00:00-05:00' })]);
    const index = indexSnapshot(site, feedOf({ id: 1, name: 'One' }), 'keep', dated, { today: '2030-01-02' });
    expect(index.slugs.get('1')).toBe('2022-02-03-example-one');
  });

  it('without a today, an item with no date is dated 1970-01-01', () => {
    expect(indexSnapshot(snapshot(), feedOf({ id: 1, name: 'One' }), 'keep', dated).slugs.get('1')).toBe(
      '1970-01-01-example-one',
    );
  });
});

describe('indexFiles: a pattern changed since the files were named renames them, in keep mode too', () => {
  const site = snapshot([file('1', '1')]);
  const feed = feedOf({ id: 1, name: 'One' });

  it('{id}.md before, {slug}.md now: "1" becomes the slug', () => {
    const layout = fileLayout(DEFAULT_SHAPE, [], '{id}.md');
    expect(indexSnapshot(site, feed, 'keep', layout).slugs.get('1')).toBe('example-one');
  });

  it('{slug}.md before and now: "1" is a name the pattern gives, and stays', () => {
    expect(indexSnapshot(site, feed, 'keep', fileLayout(DEFAULT_SHAPE)).slugs.get('1')).toBe('1');
  });
});

describe('indexSite', () => {
  const NOW = new Date('2026-11-27T23:59:59Z');
  async function folder(fileName?: string) {
    const siteDir = await mkdtemp(path.join(tmpdir(), 'dms-pattern-'));
    await mkdir(path.join(siteDir, 'content/post'), { recursive: true });
    const shape = fileName ? { ...DEFAULT_SHAPE, fileName } : DEFAULT_SHAPE;
    return { siteDir, contentDir: 'content/post', slugs: 'keep', shape } as const;
  }
  const read = { now: NOW, log: silentLogger };

  it("dates an item without a date with the clock's UTC day, and hands on the record's path and text", async () => {
    const index = await indexSite(await folder('{date}-{slug}.md'), feedOf({ id: 1, name: 'One' }), read);
    expect(index.slugs.get('1')).toBe('2026-11-27-example-one');
    expect(index.keysRecord).toEqual({ file: RECORD_FILE, text: undefined });
  });

  it('reads the record beside the content: its pattern is the one the files were named with', async () => {
    const site = await folder();
    const text = '{\n  "fileName": "{id}.md",\n  "keys": [\n    "title"\n  ]\n}\n';
    await mkdir(path.join(site.siteDir, 'data/dropmark-sync'), { recursive: true });
    await writeFile(path.join(site.siteDir, RECORD_FILE), text);
    const index = await indexSite(site, feedOf({ id: 1, name: 'One' }), read);
    expect(index.keysRecord).toEqual({ file: RECORD_FILE, text });
    expect(index.layout.earlierFileName).toBe('{id}.md');
    expect(index.layout.managed.has('title')).toBe(true);
  });
});

describe('stateFileChanges: the record of the keys and pattern', () => {
  const plan: ImagePlan = { changes: [], manifest: { files: {} } };
  const wanted = (relPath: string): WantedFile => ({
    id: relPath,
    relPath,
    text: '',
    title: '',
    link: '',
    editUrl: '',
  });
  const BEFORE = '{\n  "fileName": "{slug}.md",\n  "keys": [\n    "old",\n    "title"\n  ]\n}\n';
  const input = (record: Partial<StateInputs['record']>, files = ['a.md', 'b.md']): StateInputs => ({
    wanted: files.map(wanted),
    bodies: new Map(),
    recorded: { file: 'bodies.json', text: '{}\n', hashes: new Map() },
    imagePlan: plan,
    manifestBefore: { files: {} },
    manifestPath: 'm.json',
    manifestBeforeText: undefined,
    record: {
      file: RECORD_FILE,
      before: BEFORE,
      current: { fileName: '{date}-{slug}.md', keys: ['title', 'date'] },
      everyFile: true,
      ...record,
    },
  });
  const NEW_ONLY = '{\n  "fileName": "{date}-{slug}.md",\n  "keys": [\n    "date",\n    "title"\n  ]\n}\n';
  const BOTH = '{\n  "fileName": "{slug}.md",\n  "keys": [\n    "date",\n    "old",\n    "title"\n  ]\n}\n';

  it('every owned file written with the new shape: the record holds only it', () => {
    expect(stateFileChanges(input({}))).toEqual([{ relPath: RECORD_FILE, before: BEFORE, after: NEW_ONLY }]);
  });

  it('a file not written this time keeps the earlier keys and pattern in the record', () => {
    expect(stateFileChanges(input({}), new Set(['b.md']))).toEqual([
      { relPath: RECORD_FILE, before: BEFORE, after: BOTH },
    ]);
  });

  it('not every owned file rewritten (locked ones, say): the earlier keys and pattern stay', () => {
    expect(stateFileChanges(input({ everyFile: false }))).toEqual([
      { relPath: RECORD_FILE, before: BEFORE, after: BOTH },
    ]);
  });

  it('a record that stays as it was is not written', () => {
    expect(stateFileChanges(input({ before: NEW_ONLY }))).toEqual([]);
  });
});

describe("an item without a date keeps its file's date when the mapping moves or drops the date key", () => {
  const hugo = (mapping: Partial<FrontMatterMapping>, fileName = '{slug}.md') =>
    fileLayout({ profile: 'hugo', format: 'yaml', fileName, mapping: { rename: {}, drop: [], add: {}, ...mapping } });

  it('date renamed to published: the date is read back from published, not the clock', () => {
    const layout = hugo({ rename: { date: 'published' } });
    const site = snapshot([file('example-one', '1', { data: { published: '2020-01-02T03:04:05Z' } })]);
    const feed = feedOf({ id: 1, name: 'One' });
    const posts = renderPosts({
      feed,
      index: indexSnapshot(site, feed, 'keep', layout, { today: '2030-01-02' }),
      map: { feedUrl: ENDPOINT, imageMode: 'none', now: new Date('2030-01-02T10:00:00Z') },
      featuredImage: undefined,
      recordedBodies: new Map(),
      contentDir: 'content/post',
      deletions: 'delete',
    });
    expect(wantedText(posts.wanted[0])).toContain('\npublished: 2020-01-02T03:04:05Z\n');
  });

  it('every date key dropped, {date} in the file name: the day the file is named with, not today', () => {
    const layout = hugo({ drop: ['date', 'lastmod'] }, '{date}-{slug}.md');
    const site = snapshot([file('2022-02-03-example-one', '1')]);
    // follow-title renames a file whose name the item's values no longer give: a new day would.
    const index = indexSnapshot(site, feedOf({ id: 1, name: 'One' }), 'follow-title', layout, { today: '2030-01-02' });
    expect(index.slugs.get('1')).toBe('2022-02-03-example-one');
  });
});
