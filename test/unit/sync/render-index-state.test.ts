import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log.js';
import type { ImagePlan } from '../../../src/plan/image-plan.js';
import type { ExistingFile, SiteSnapshot } from '../../../src/site/read.js';
import { bodyHash } from '../../../src/state/bodies.js';
import { keptBody, renderPosts, type PostInputs } from '../../../src/sync/render-posts.js';
import { indexSite } from '../../../src/sync/site-index.js';
import { indexSnapshot } from '../../support/site-index.js';
import { readBodies } from '../../../src/sync/read-stage.js';
import { stateFileChanges, type StateInputs } from '../../../src/sync/state-files.js';
import { MANAGED_KEY_LIST } from '../../../src/frontmatter/post-keys.js';
import { DEFAULT_SHAPE, fileLayout, shapeOf } from '../../../src/frontmatter/profiles.js';
import { existingFile, feedWith, siteSnapshot, wantedText } from '../../support/builders.js';

const ENDPOINT = 'https://me.dropmark.com/616548.json';
const NOW = new Date('2026-11-27T12:00:00Z');

type Item = { id: number; name: string; updated_at?: string; content?: string };
const feedOf = (...items: Item[]) => feedWith({ updated_at: '2024-03-07 22:29:46 UTC' }, items);
const file = (name: string, id: string | undefined, over: Partial<ExistingFile> = {}) =>
  existingFile(name, id, {
    text: `---\ntitle: ${name}\n---\nbody of ${name}\n`,
    body: `body of ${name}\n`,
    ...over,
  });

const snapshot = (over: Partial<SiteSnapshot>): SiteSnapshot => siteSnapshot(over.files ?? [], over);

describe('indexFiles: which names are free', () => {
  const feed = feedOf(
    { id: 7, name: 'Seven' },
    { id: 8, name: 'Eight' },
    { id: 9, name: 'Nine' },
    { id: 10, name: 'Ten' },
  );
  const site = snapshot({
    files: [
      file('example-seven', '7'),
      file('dup', '7'),
      file('example-eight', '99'),
      file('example-nine', undefined),
      file('locked', '11', { locked: true }),
    ],
    unreadable: [
      { relPath: 'content/post/broken-seven.md', reason: 'bad YAML', text: '', id: '7' },
      { relPath: 'content/post/no-id.md', reason: 'bad YAML', text: '' },
      { relPath: 'content/post/broken-twelve.md', reason: 'bad YAML', text: '', id: '12' },
    ],
    blocked: ['example-ten'],
  });
  const index = indexSnapshot(site, feed, 'keep');

  it("an item keeps its first file; a file without an id is nobody's", () => {
    expect([...index.existingById].map(([id, f]) => [id, f.name])).toEqual([
      ['7', 'example-seven'],
      ['99', 'example-eight'],
      ['11', 'locked'],
    ]);
  });

  it('a broken file counts for an item without a readable one, and only with an id', () => {
    expect([...index.brokenById]).toEqual([
      ['12', { relPath: 'content/post/broken-twelve.md', reason: 'bad YAML', text: '', id: '12' }],
    ]);
  });

  it("the names of a person's files, of vanished items' files and of folders are not given to new items", () => {
    expect(Object.fromEntries(index.slugs)).toEqual({
      '7': 'example-seven',
      '8': 'example-eight-8',
      '9': 'example-nine-9',
      '10': 'example-ten-10',
    });
    expect([...index.feedIds]).toEqual(['7', '8', '9', '10']);
    expect([...index.lockedIds]).toEqual(['11']);
  });
});

describe('indexSite', () => {
  it('logs what reading the folder passed over, with the content folder', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dms-index-'));
    await mkdir(path.join(dir, 'content/post'), { recursive: true });
    await writeFile(path.join(dir, 'elsewhere.md'), '---\ntitle: x\n---\n');
    await symlink(path.join(dir, 'elsewhere.md'), path.join(dir, 'content/post/link.md'));
    const calls: unknown[][] = [];
    const logger = { ...silentLogger, warn: (...args: unknown[]) => calls.push(args) } as typeof silentLogger;
    const folder = { siteDir: dir, contentDir: 'content/post', slugs: 'keep', shape: DEFAULT_SHAPE } as const;
    await indexSite(folder, feedOf(), { now: NOW, log: logger });
    expect(calls).toEqual([[{ contentDir: 'content/post' }, expect.stringMatching(/^content\/post\/link\.md is /)]]);
  });
});

describe('renderPosts', () => {
  function inputs(feed = feedOf({ id: 1, name: 'One' }), site = snapshot({}), over: Partial<PostInputs> = {}) {
    return {
      feed,
      index: indexSnapshot(site, feed, 'keep'),
      map: { feedUrl: ENDPOINT, imageMode: 'none' as const, now: NOW },
      featuredImage: undefined,
      recordedBodies: new Map<string, string>(),
      contentDir: 'content/post',
      deletions: 'delete' as const,
      ...over,
    };
  }

  it('each item as the file it becomes: path, title, link, edit URL, and its body hash', () => {
    const posts = renderPosts(inputs());
    expect(
      posts.wanted.map(({ id, relPath, title, link, editUrl }) => ({ id, relPath, title, link, editUrl })),
    ).toEqual([
      {
        id: '1',
        relPath: 'content/post/example-one.md',
        title: 'One',
        link: 'https://example.com/1',
        editUrl: 'https://me.dropmark.com/616548/1',
      },
    ]);
    expect(wantedText(posts.wanted[0])).toMatch(/^---\narchetype: bookmark\ndate: 2024-03-07T22:29:46Z\n/);
    expect(posts.bodies).toEqual(new Map([['1', bodyHash('')]]));
    expect(posts.failures).toEqual([]);
  });

  it("takes over the file's simulated social score, its valid date, and a person's keys", () => {
    const feed = feedOf({ id: 1, name: 'One', updated_at: '' });
    const site = snapshot({
      files: [
        file('example-one', '1', {
          socialScore: 33,
          socialScoreSimulated: true,
          date: '2020-01-02T03:04:05Z',
          extraKeys: { draft: true },
        }),
      ],
    });
    const text = wantedText(renderPosts(inputs(feed, site)).wanted[0]) ?? '';
    expect(text).toContain('\nsocialScore: 33\n');
    expect(text).toContain('\ndate: 2020-01-02T03:04:05Z\n');
    expect(text).toContain('\ndraft: true\n');
  });

  it.each([
    ['a score a person set (not simulated)', { socialScore: 33, socialScoreSimulated: false }],
    ['a simulated flag without a score', { socialScore: undefined, socialScoreSimulated: true }],
  ])('does not take over %s', (_what, over) => {
    const site = snapshot({ files: [file('example-one', '1', over)] });
    // 44 is the simulated score of item 1 (FNV-1a of "1" modulo 50, worked out outside this code base).
    expect(wantedText(renderPosts(inputs(undefined, site)).wanted[0])).toContain('\nsocialScore: 44\n');
  });

  it('a date in the file that is no valid date is not taken over: the clock dates an item without one', () => {
    const feed = feedOf({ id: 1, name: 'One', updated_at: '' });
    const site = snapshot({ files: [file('example-one', '1', { date: 'last tuesday' })] });
    expect(wantedText(renderPosts(inputs(feed, site)).wanted[0])).toContain('\ndate: 2026-11-27T12:00:00Z\n');
  });

  it('an item that cannot be mapped fails by itself, keeping its recorded hash; one without a record has none', () => {
    const feed = feedOf(
      { id: 1, name: 'One', updated_at: 'not a date' },
      { id: 2, name: 'Two', updated_at: 'nope' },
      {
        id: 3,
        name: 'Three',
      },
    );
    const posts = renderPosts(inputs(feed, snapshot({}), { recordedBodies: new Map([['1', 'hash-1']]) }));
    expect(posts.wanted.map((w) => w.id)).toEqual(['3']);
    expect(posts.failures).toEqual([
      { itemId: '1', reason: expect.stringMatching(/^item 1: its date "not a date" is not a valid date/) },
      { itemId: '2', reason: expect.stringMatching(/^item 2: its date "nope" is not a valid date/) },
    ]);
    expect([...posts.keepIds]).toEqual(['1', '2']);
    expect(posts.bodies.get('1')).toBe('hash-1');
    expect(posts.bodies.has('2')).toBe(false);
  });

  it('an item whose text nests too deep fails by itself, named; the others render', () => {
    const feed = feedOf(
      { id: 1, name: 'One', content: `${'>'.repeat(3000)} <b>x</b>` },
      { id: 2, name: 'Two', content: '> a <b>quote</b>' },
    );
    const posts = renderPosts(inputs(feed));
    expect(posts.wanted.map((w) => w.id)).toEqual(['2']);
    expect(posts.failures).toEqual([
      {
        itemId: '1',
        reason:
          'item 1: its text nests quotes, lists or emphasis more than 100 levels deep, too deep to check it is ' +
          'safe; the item is skipped until its text in Dropmark nests less',
      },
    ]);
    expect([...posts.keepIds]).toEqual(['1']);
  });

  it('settles the tags of the whole collection first: one spelling in generator profiles, none path-like', () => {
    const items = [
      { id: 1, name: 'One', tags: ['Patient Engagement', '..'] },
      { id: 2, name: 'Two', tags: ['patient engagement'] },
      { id: 3, name: 'Three', tags: ['patient engagement', '__proto__'] },
    ];
    const feed = feedWith({ updated_at: '2024-03-07 22:29:46 UTC' }, items);
    const hugo = fileLayout(shapeOf({ profile: 'hugo', format: 'yaml', frontMatter: DEFAULT_SHAPE.mapping }));
    const posts = renderPosts(inputs(feed, snapshot({}), { index: indexSnapshot(snapshot({}), feed, 'keep', hugo) }));
    for (const post of posts.wanted)
      expect(wantedText(post), post.id).toContain('\ntags:\n- patient engagement\ndescription:');
    expect(posts.warnings).toEqual([
      { itemId: '1', message: 'tag ".." left out: it is empty or only dots once cleaned (a tag is never a path)' },
      {
        itemId: '3',
        message:
          'tag "__proto__" left out: a name every JavaScript object has, which breaks generators that key tags by name',
      },
    ]);
    // bookmark: each item's own spelling.
    const bookmark = renderPosts(inputs(feed));
    expect(wantedText(bookmark.wanted[0])).toContain('\ncategories:\n- Patient Engagement\ndate:');
  });

  it('an error that is no DropmarkSyncError is a bug and is thrown', () => {
    const featuredImage = {
      get: () => {
        throw new TypeError('a bug');
      },
    } as unknown as ReadonlyMap<string, string>;
    expect(() => renderPosts(inputs(undefined, snapshot({}), { featuredImage }))).toThrow(TypeError);
  });

  it.each([
    ['keep', ['1', '50']],
    ['delete', ['1']],
  ] as const)('deletions %s: the records kept are %j', (deletions, ids) => {
    // 50 vanished but its file is kept (with keep); 60 vanished and has no file.
    const site = snapshot({ files: [file('fifty', '50')] });
    const recordedBodies = new Map([
      ['50', 'hash-50'],
      ['60', 'hash-60'],
      ['1', 'old-hash-1'],
    ]);
    const posts = renderPosts(inputs(undefined, site, { recordedBodies, deletions }));
    expect([...posts.bodies.keys()]).toEqual(ids);
    expect(posts.bodies.get('1')).toBe(bodyHash(''));
    if (deletions === 'keep') expect(posts.bodies.get('50')).toBe('hash-50');
  });
});

describe('keptBody: a body that is no file', () => {
  it('no file: the feed body, whatever the record says', () => {
    expect(keptBody(undefined, 'feed', bodyHash('feed'))).toBe('feed');
  });
});

describe('stateFileChanges and readBodies', () => {
  const plan = (manifestText?: string): ImagePlan => ({
    changes: [],
    manifest: { files: {} },
    ...(manifestText ? { manifestText } : {}),
  });
  const input = (over: Partial<StateInputs> = {}): StateInputs => ({
    wanted: [],
    bodies: new Map(),
    recorded: { file: 'data/dropmark-sync/bodies-content-post.json', text: undefined, hashes: new Map() },
    imagePlan: plan(),
    manifestBefore: { files: {} },
    manifestPath: 'data/m.json',
    manifestBeforeText: undefined,
    // A bookmark site with the defaults: no front-matter record is written.
    record: {
      file: 'data/dropmark-sync/front-matter-content-post.json',
      before: undefined,
      current: { fileName: '{slug}.md', keys: [...MANAGED_KEY_LIST] },
      everyFile: true,
    },
    ...over,
  });

  it('no bodies and no bodies file: nothing to write', () => {
    expect(stateFileChanges(input())).toEqual([]);
  });

  it('the manifest first, when the image plan changes it, then the bodies', () => {
    const files = stateFileChanges(
      input({ imagePlan: plan('{"files":{}}\n'), manifestBeforeText: 'old', bodies: new Map([['1', 'h']]) }),
    );
    expect(files).toEqual([
      { relPath: 'data/m.json', before: 'old', after: '{"files":{}}\n' },
      { relPath: 'data/dropmark-sync/bodies-content-post.json', before: undefined, after: '{\n  "1": "h"\n}\n' },
    ]);
  });

  it('readBodies reads the file beside the content, and none is an empty record', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dms-bodies-'));
    expect(await readBodies(dir, 'content/post')).toEqual({
      file: 'data/dropmark-sync/bodies-content-post.json',
      text: undefined,
      hashes: new Map(),
    });
    await mkdir(path.join(dir, 'data/dropmark-sync'), { recursive: true });
    await writeFile(path.join(dir, 'data/dropmark-sync/bodies-content-post.json'), '{"5":"abc"}');
    expect(await readBodies(dir, 'content/post')).toEqual({
      file: 'data/dropmark-sync/bodies-content-post.json',
      text: '{"5":"abc"}',
      hashes: new Map([['5', 'abc']]),
    });
  });
});

describe('indexFiles: a name a rename frees', () => {
  it('is not given to another item of the feed in the same pass (follow-title): a new file never replaces one', () => {
    const feed = feedOf({ id: 7, name: 'New' }, { id: 8, name: 'Old' });
    const index = indexSnapshot(snapshot({ files: [file('example-old', '7')] }), feed, 'follow-title');
    expect(Object.fromEntries(index.slugs)).toEqual({ '7': 'example-new', '8': 'example-old-8' });
  });

  it("two items that swap titles (follow-title) each get <slug>-<id>, never the other one's name", () => {
    const feed = feedOf({ id: 7, name: 'Beta' }, { id: 8, name: 'Alpha' });
    const files = [file('example-alpha', '7'), file('example-beta', '8')];
    const index = indexSnapshot(snapshot({ files }), feed, 'follow-title');
    expect(Object.fromEntries(index.slugs)).toEqual({ '7': 'example-beta-7', '8': 'example-alpha-8' });
  });
});
