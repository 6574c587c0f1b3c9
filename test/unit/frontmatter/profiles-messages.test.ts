import { describe, expect, it } from 'vitest';
import { formatKeyPath } from '../../../src/config/load.js';
import { type FrontMatterEntry, frontMatterEntries } from '../../../src/map/front-matter-entries.js';
import type { PostFields } from '../../../src/map/post.js';
import {
  BOOKMARK_LAYOUT,
  DEFAULT_SHAPE,
  defaultFileName,
  fileLayout,
  type FrontMatterMapping,
  type FrontMatterShape,
  managedKeys,
  mappingProblems,
  type ProfileName,
  profileFormats,
  profileKeys,
  Timestamp,
} from '../../../src/frontmatter/profiles.js';

const SOURCES = 'title, date, updated, link, tags, description, image, slug, linkBrand, socialScore, id';
const KEYS: Record<ProfileName, string> = {
  bookmark:
    'archetype, categories, date, description, dropmark.editURL, featuredImage, link, linkBrand, slug, ' +
    'socialScore, socialScoreSimulated, source, title',
  hugo: 'title, date, lastmod, link, tags, description, image, dropmark.editURL',
  jekyll: 'title, date, last_modified_at, link, tags, description, image, render_with_liquid, dropmark.editURL',
  eleventy: 'title, date, link, tags, description, image, templateEngineOverride, dropmark.editURL',
  astro: 'title, description, pubDate, updatedDate, date, link, tags, image, heroImage, dropmark.editURL',
};
const PROFILES = Object.keys(KEYS) as ProfileName[];

const mapping = (m: Partial<FrontMatterMapping>): FrontMatterMapping => ({ rename: {}, drop: [], add: {}, ...m });
const shape = (profile: ProfileName, m: Partial<FrontMatterMapping> = {}): FrontMatterShape => ({
  profile,
  format: 'yaml',
  fileName: '{slug}.md',
  mapping: mapping(m),
});

describe("each profile's keys, formats and default file name", () => {
  it.each(PROFILES)('%s writes its keys in its order', (profile) => {
    expect(profileKeys(profile).join(', ')).toBe(KEYS[profile]);
  });

  it.each<[ProfileName, string[], string]>([
    ['bookmark', ['yaml', 'toml'], '{slug}.md'],
    ['hugo', ['yaml', 'toml'], '{slug}.md'],
    ['jekyll', ['yaml'], '{date}-{slug}.md'],
    ['eleventy', ['yaml'], '{slug}.md'],
    ['astro', ['yaml'], '{slug}.md'],
  ])('%s: formats %j, files named %s by default', (profile, formats, fileName) => {
    expect(profileFormats(profile)).toEqual(formats);
    expect(defaultFileName(profile)).toBe(fileName);
  });

  it('the default shape is bookmark, YAML, "{slug}.md", no mapping; its layout owns the bookmark keys', () => {
    expect(DEFAULT_SHAPE).toStrictEqual({
      profile: 'bookmark',
      format: 'yaml',
      fileName: '{slug}.md',
      mapping: { rename: {}, drop: [], add: {} },
    });
    expect(BOOKMARK_LAYOUT.shape).toBe(DEFAULT_SHAPE);
    expect([...BOOKMARK_LAYOUT.managed].join(', ')).toBe(KEYS.bookmark);
    expect(BOOKMARK_LAYOUT.earlierFileName).toBe('{slug}.md');
  });
});

describe('what each profile key is made of', () => {
  // Every field a distinct value, so that each entry shows which one it was made of.
  const FIELDS: PostFields = {
    archetype: 'bookmark',
    categories: ['tag-a'],
    date: '2019-02-26T11:47:13Z',
    description: 'the description',
    'dropmark.editURL': 'https://x.dropmark.com/1/7',
    featuredImage: '/images/7.jpg',
    link: 'https://example.com/a',
    linkBrand: 'example.com',
    slug: 'the-slug',
    socialScore: 37,
    socialScoreSimulated: true,
    source: { name: 'Dropmark', apiendpoint: 'https://x.dropmark.com/1.json' },
    title: 'The title',
  };
  // The item was created on the 23rd and last updated on the 26th (FIELDS.date, the reference schema's date).
  const date = new Timestamp('2019-02-23T06:47:13Z');
  const updated = new Timestamp('2019-02-26T11:47:13Z');
  const owner: FrontMatterEntry = ['dropmark.editURL', 'https://x.dropmark.com/1/7'];
  const common: FrontMatterEntry[] = [
    ['title', 'The title'],
    ['date', date],
    ['link', 'https://example.com/a'],
    ['tags', ['tag-a']],
    ['description', 'the description'],
    ['image', '/images/7.jpg'],
  ];

  it.each<[ProfileName, FrontMatterEntry[]]>([
    [
      'hugo',
      [
        ['title', 'The title'],
        ['date', date],
        ['lastmod', updated],
        ['link', 'https://example.com/a'],
        ['tags', ['tag-a']],
        ['description', 'the description'],
        ['image', '/images/7.jpg'],
        owner,
      ],
    ],
    [
      'jekyll',
      [...common.slice(0, 2), ['last_modified_at', updated], ...common.slice(2), ['render_with_liquid', false], owner],
    ],
    ['eleventy', [...common, ['templateEngineOverride', 'md'], owner]],
    [
      'astro',
      [
        ['title', 'The title'],
        ['description', 'the description'],
        ['pubDate', date],
        ['updatedDate', updated],
        ['date', date],
        ['link', 'https://example.com/a'],
        ['tags', ['tag-a']],
        ['image', '/images/7.jpg'],
        ['heroImage', '/images/7.jpg'],
        owner,
      ],
    ],
  ])('%s', (profile, entries) => {
    expect(frontMatterEntries(FIELDS, shape(profile), '7', '2019-02-23T06:47:13Z')).toStrictEqual(entries);
  });
});

describe('managedKeys: the keys written after rename, drop and add, and the keys dropped', () => {
  it.each<[string, FrontMatterShape, string[]]>([
    ['no mapping', shape('eleventy'), KEYS.eleventy.split(', ')],
    [
      'a profile key renamed in its place',
      shape('astro', { rename: { heroImage: 'cover' } }),
      ['title', 'description', 'pubDate', 'updatedDate', 'date', 'link', 'tags', 'image', 'cover', 'dropmark.editURL'],
    ],
    [
      'a source field the profile does not write, renamed: added after the profile keys',
      shape('hugo', { rename: { socialScore: 'score', slug: 'url' } }),
      [...KEYS.hugo.split(', '), 'score', 'url'],
    ],
    [
      "dropped keys stay the tool's (to be removed from the files), after the added ones",
      shape('hugo', { drop: ['lastmod', 'image', 'weight'], add: { layout: 'link' } }),
      ['title', 'date', 'link', 'tags', 'description', 'dropmark.editURL', 'layout', 'lastmod', 'image', 'weight'],
    ],
    [
      'a renamed key dropped under its new name',
      shape('hugo', { rename: { image: 'cover' }, drop: ['cover'] }),
      ['title', 'date', 'lastmod', 'link', 'tags', 'description', 'dropmark.editURL', 'cover'],
    ],
    [
      'a key dropped and added again is listed once',
      shape('jekyll', { drop: ['render_with_liquid'], add: { render_with_liquid: true } }),
      [
        'title',
        'date',
        'last_modified_at',
        'link',
        'tags',
        'description',
        'image',
        'dropmark.editURL',
        'render_with_liquid',
      ],
    ],
  ])('%s', (_, sh, keys) => {
    expect(managedKeys(sh)).toEqual(keys);
  });

  it("a layout owns the shape's keys and an earlier shape's; the earlier pattern is the shape's unless given", () => {
    const layout = fileLayout(shape('hugo'), ['render_with_liquid', 'title']);
    expect([...layout.managed]).toEqual([...KEYS.hugo.split(', '), 'render_with_liquid']);
    expect(layout.earlierFileName).toBe('{slug}.md');
    expect(fileLayout(shape('hugo'), [], '{date}-{slug}.md').earlierFileName).toBe('{date}-{slug}.md');
  });
});

describe('mappingProblems: each message names the key, what is wrong and what to do', () => {
  const OWNER_RENAMED =
    'rename."dropmark.editURL": dropmark.editURL is how the tool finds its files by item id; it cannot be renamed';
  const RESERVED = 'keys that start with "dropmark." are the tool\'s (dropmark.locked is written by hand in one file)';
  const problems = (profile: ProfileName, m: Partial<FrontMatterMapping>) =>
    mappingProblems(profile, mapping(m)).map((p) => `${formatKeyPath(p.at)}: ${p.message}`);

  it.each(PROFILES)('%s: a rename of a key that is neither its own nor a source field lists both', (profile) => {
    expect(problems(profile, { rename: { colour: 'x' } })).toEqual([
      `rename.colour: "colour" is neither a key of the ${profile} profile (${KEYS[profile]}) ` +
        `nor a source field (${SOURCES})`,
    ]);
  });

  it.each<[string, ProfileName, Partial<FrontMatterMapping>, string[]]>([
    ['nothing asked', 'hugo', {}, []],
    // rename
    ['the owner key renamed', 'hugo', { rename: { 'dropmark.editURL': 'id' } }, [OWNER_RENAMED]],
    [
      'a key renamed to the owner key',
      'jekyll',
      { rename: { image: 'dropmark.editURL' } },
      [`rename.image: "image" -> "dropmark.editURL": ${RESERVED}; choose another name`],
    ],
    ['a profile key renamed', 'hugo', { rename: { image: 'cover', lastmod: 'updated' } }, []],
    ['a source field the profile does not write, renamed', 'hugo', { rename: { socialScore: 'score' } }, []],
    [
      'the item page (editURL) is no source field to rename',
      'astro',
      { rename: { editURL: 'page' } },
      [
        `rename.editURL: "editURL" is neither a key of the astro profile (${KEYS.astro}) ` +
          `nor a source field (${SOURCES})`,
      ],
    ],
    [
      "a rename onto one of the profile's own keys",
      'hugo',
      { rename: { image: 'title' } },
      ['rename.image: "image" -> "title" would collide with the profile\'s own key "title"; rename that too'],
    ],
    [
      'a source field renamed onto an own key',
      'eleventy',
      { rename: { linkBrand: 'link' } },
      ['rename.linkBrand: "linkBrand" -> "link" would collide with the profile\'s own key "link"; rename that too'],
    ],
    ['a rename onto an own key that is renamed too', 'hugo', { rename: { image: 'title', title: 'headline' } }, []],
    ['an own key renamed to itself', 'hugo', { rename: { title: 'title' } }, []],
    // drop
    [
      'the owner key dropped',
      'bookmark',
      { drop: ['socialScore', 'dropmark.editURL'] },
      ['drop[1]: dropmark.editURL is how the tool finds its files by item id; it cannot be dropped'],
    ],
    ["any other key dropped, the profile's or not", 'hugo', { drop: ['lastmod', 'weight'] }, []],
    // add
    [
      'the owner key added',
      'hugo',
      { add: { 'dropmark.editURL': 'x' } },
      [
        'add."dropmark.editURL": dropmark.editURL is how the tool finds its files by item id; ' +
          'it cannot be added (the tool writes it)',
      ],
    ],
    [
      'a key the profile writes added',
      'jekyll',
      { add: { link: 'x' } },
      ['add.link: "link" is already written by the jekyll profile; drop it first to replace it'],
    ],
    ['a key the profile writes, dropped first, added', 'jekyll', { drop: ['link'], add: { link: 'x' } }, []],
    [
      'a renamed key added under its new name',
      'astro',
      { rename: { heroImage: 'cover' }, add: { cover: 'x' } },
      ['add.cover: "cover" is already written by the astro profile; drop it first to replace it'],
    ],
    [
      'a renamed key added under its old name',
      'astro',
      { rename: { heroImage: 'cover' }, add: { heroImage: 'x' } },
      [],
    ],
    ['a new key added', 'hugo', { add: { layout: 'link', draft: false } }, []],
    // every problem, in the order rename, drop, add
    [
      'several at once',
      'hugo',
      {
        rename: { 'dropmark.editURL': 'id', image: 'date' },
        drop: ['dropmark.editURL'],
        add: { 'dropmark.editURL': 'x', tags: 'y' },
      },
      [
        OWNER_RENAMED,
        'rename.image: "image" -> "date" would collide with the profile\'s own key "date"; rename that too',
        'drop[0]: dropmark.editURL is how the tool finds its files by item id; it cannot be dropped',
        'add."dropmark.editURL": dropmark.editURL is how the tool finds its files by item id; ' +
          'it cannot be added (the tool writes it)',
        'add.tags: "tags" is already written by the hugo profile; drop it first to replace it',
      ],
    ],
  ])('%s', (_, profile, m, lines) => {
    expect(problems(profile, m)).toEqual(lines);
  });
});
