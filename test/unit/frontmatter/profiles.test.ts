import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import type { FeedItem } from '../../../src/feed/parse.js';
import { fileNameOf, fileNameProblem, parseFileName } from '../../../src/frontmatter/file-names.js';
import { mapItem, type MapContext } from '../../../src/map/item.js';
import { assignSlugs } from '../../../src/map/unique-slugs.js';
import {
  dateKeys,
  fileLayout,
  isReference,
  keysFrom,
  managedKeys,
  mappingProblems,
  PROFILE_NAMES,
  PROFILES,
  postDateSource,
  profileKeys,
  reservedNames,
  shapeOf,
  slugRuleOf,
  type FrontMatterShape,
} from '../../../src/frontmatter/profiles.js';
import { renderPost } from '../../../src/render/post.js';
import { dateAsText, parseFrontMatter } from '../../../src/frontmatter/read-front-matter.js';
import { nextFrontMatterRecord, parseFrontMatterRecord } from '../../../src/frontmatter/key-record.js';
import { ConfigError } from '../../../src/errors.js';
import { BOOKMARK_KEYS } from '../../support/post-fields.js';

const context: MapContext = { feedUrl: 'https://shah.dropmark.com/616548.json', imageMode: 'local', now: new Date(0) };

function item(overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    id: '18085640',
    name: 'Interoperability {{ site.title }} | HIMSS',
    description: 'A note',
    content: 'Body {% include x.html %} {{< boom >}}\n',
    link: 'https://www.himss.org/news/x',
    thumbnail: null,
    tags: ['interoperability'],
    createdAt: '2019-02-23 06:47:13 UTC',
    updatedAt: '2019-02-26 11:47:13 UTC',
    url: 'http://radhikan.dropmark.com/616548/18085640',
    kind: 'link',
    mime: null,
    size: null,
    parentId: null,
    ...overrides,
  };
}

const shape = (s: Partial<FrontMatterShape> & Pick<FrontMatterShape, 'profile'>): FrontMatterShape => ({
  format: 'yaml',
  fileName: '{slug}.md',
  mapping: { rename: {}, drop: [], add: {} },
  ...s,
});

// As the sync maps items for the profile: the generator profiles date a post by its creation.
const render = (sh: FrontMatterShape, kept: Record<string, unknown> = {}, it = item(), image = '/img/x.jpg') =>
  renderPost(
    mapItem(it, 'himss-interop', { ...context, generatorProfile: sh.profile !== 'bookmark' }, undefined, { image }),
    kept,
    undefined,
    fileLayout(sh),
  );

describe('the profiles write their keys in their documented order', () => {
  it('hugo: title, date, lastmod, link, tags, description, image, the owner key; shortcodes escaped', () => {
    expect(render(shape({ profile: 'hugo' }))).toBe(
      [
        '---',
        'title: Interoperability {{ site.title }}',
        'date: 2019-02-23T06:47:13Z',
        'lastmod: 2019-02-26T11:47:13Z',
        'link: https://www.himss.org/news/x',
        'tags:',
        '- interoperability',
        'description: A note',
        'image: /img/x.jpg',
        'dropmark.editURL: http://radhikan.dropmark.com/616548/18085640',
        '---',
        'Body {% include x.html %} {{</* boom */>}}',
        '',
      ].join('\n'),
    );
  });

  it('jekyll turns Liquid off; eleventy turns its template engines off; no image key without an image', () => {
    const jekyll = render(shape({ profile: 'jekyll' }), {}, item(), '');
    expect(jekyll).toContain('description: A note\nrender_with_liquid: false\ndropmark.editURL:');
    expect(jekyll).not.toContain('image');
    const eleventy = render(shape({ profile: 'eleventy' }));
    expect(eleventy).toContain('image: /img/x.jpg\ntemplateEngineOverride: md\ndropmark.editURL:');
  });

  it('astro: pubDate and heroImage beside date and image; tags: [] without tags', () => {
    const astro = render(shape({ profile: 'astro' }), {}, item({ tags: [] }));
    expect(astro.split('\n').slice(1, 11)).toEqual([
      'title: Interoperability {{ site.title }}',
      'description: A note',
      'pubDate: 2019-02-23T06:47:13Z',
      'updatedDate: 2019-02-26T11:47:13Z',
      'date: 2019-02-23T06:47:13Z',
      'link: https://www.himss.org/news/x',
      'tags: []',
      'image: /img/x.jpg',
      'heroImage: /img/x.jpg',
      'dropmark.editURL: http://radhikan.dropmark.com/616548/18085640',
    ]);
  });

  it("the mapping: rename (a source field too), drop, add, in that order; a person's keys after, sorted", () => {
    const sh = shape({
      profile: 'hugo',
      mapping: {
        rename: { image: 'cover', socialScore: 'score' },
        drop: ['lastmod', 'description'],
        add: { layout: 'link', draft: false },
      },
    });
    const text = render(sh, { weight: 3, aliases: ['/a'] });
    expect(text.split('\n').slice(0, 15)).toEqual([
      '---',
      'title: Interoperability {{ site.title }}',
      'date: 2019-02-23T06:47:13Z',
      'link: https://www.himss.org/news/x',
      'tags:',
      '- interoperability',
      'cover: /img/x.jpg',
      'dropmark.editURL: http://radhikan.dropmark.com/616548/18085640',
      'score: 37', // item 18085640's simulated score, pinned in map/item.test.ts
      'layout: link',
      'draft: false',
      'aliases:',
      '- /a',
      'weight: 3',
      '---',
    ]);
  });

  it('toml: +++ front matter that reads back to the same values as the yaml file', () => {
    const toml = render(shape({ profile: 'hugo', format: 'toml' }), { weight: 3 });
    expect(toml.split('\n').slice(0, 4)).toEqual([
      '+++',
      'title = "Interoperability {{ site.title }}"',
      'date = 2019-02-23T06:47:13.000Z',
      'lastmod = 2019-02-26T11:47:13.000Z',
    ]);
    expect(toml).toContain('\n"dropmark.editURL" = "http://radhikan.dropmark.com/616548/18085640"\n');
    const fromToml = parseFrontMatter(toml);
    const fromYaml = parseFrontMatter(render(shape({ profile: 'hugo' }), { weight: 3 }));
    // TOML's dates stay dates (a person's keep their type); as text they are YAML's.
    expect(fromToml?.data['date']).toBeInstanceOf(Date);
    const datesAsText = Object.fromEntries(Object.entries(fromToml?.data ?? {}).map(([k, v]) => [k, dateAsText(v)]));
    expect({ ...fromToml, data: datesAsText }).toEqual(fromYaml);
    expect(parseToml(toml.split('+++\n')[1] ?? '')['weight']).toBe(3);
  });
});

describe('the profiles table: bookmark is one entry like the others', () => {
  it('has an entry for every profile name', () => {
    expect(Object.keys(PROFILES).sort()).toEqual([...PROFILE_NAMES].sort());
  });

  it("bookmark's entry: the reference schema's keys, its date the last update, the ascii slug rule", () => {
    expect(profileKeys('bookmark')).toEqual(BOOKMARK_KEYS);
    const bookmark = shape({ profile: 'bookmark' });
    expect([isReference('bookmark'), postDateSource('bookmark'), slugRuleOf(bookmark)]).toEqual([
      true,
      'updated',
      'ascii',
    ]);
    expect([dateKeys(bookmark), keysFrom(bookmark, 'image')]).toEqual([['date'], ['featuredImage']]);
  });

  it.each(['hugo', 'jekyll', 'eleventy', 'astro'] as const)(
    '%s: not the reference schema; its date when the item was created; the transliterate slug rule',
    (profile) => {
      const own = shape({ profile });
      expect([isReference(profile), postDateSource(profile), slugRuleOf(own)]).toEqual([
        false,
        'date',
        'transliterate',
      ]);
    },
  );

  it('astro writes the date and the image under two keys each; a rename and a drop follow them', () => {
    const astro = shape({ profile: 'astro', mapping: { rename: { heroImage: 'cover' }, drop: ['date'], add: {} } });
    expect([dateKeys(astro), keysFrom(astro, 'image')]).toEqual([['pubDate'], ['image', 'cover']]);
  });
});

describe('managed keys and the mapping rules', () => {
  it("the managed keys are the profile's after the mapping, plus added and dropped ones", () => {
    expect(managedKeys(shape({ profile: 'jekyll' }))).toEqual([
      'title',
      'date',
      'last_modified_at',
      'link',
      'tags',
      'description',
      'image',
      'render_with_liquid',
      'dropmark.editURL',
    ]);
    const mapped = shape({
      profile: 'hugo',
      mapping: { rename: { image: 'cover' }, drop: ['lastmod', 'old'], add: { layout: 'x' } },
    });
    expect(managedKeys(mapped)).toEqual([
      'title',
      'date',
      'link',
      'tags',
      'description',
      'cover',
      'dropmark.editURL',
      'layout',
      'lastmod',
      'old',
    ]);
  });

  it.each([
    [
      { rename: {}, drop: ['dropmark.editURL'], add: {} },
      'dropmark.editURL is how the tool finds its files by item id; it cannot be dropped',
    ],
    [
      { rename: { 'dropmark.editURL': 'id' }, drop: [], add: {} },
      'dropmark.editURL is how the tool finds its files by item id; it cannot be renamed',
    ],
    [{ rename: { colour: 'x' }, drop: [], add: {} }, '"colour" is neither a key of the hugo profile'],
    [
      { rename: { image: 'title' }, drop: [], add: {} },
      '"image" -> "title" would collide with the profile\'s own key "title"; rename that too',
    ],
    [
      { rename: {}, drop: [], add: { title: 'x' } },
      '"title" is already written by the hugo profile; drop it first to replace it',
    ],
  ])('refuses %j', (mapping, message) => {
    expect(
      mappingProblems('hugo', mapping)
        .map((p) => p.message)
        .join('\n'),
    ).toContain(message);
  });

  it(
    'a config naming a bad mapping, an unknown profile, ' + 'toml for jekyll or a bad pattern fails with the key path',
    async () => {
      const attempts: [string, string][] = [
        ['    profile: gatsby', 'collections[0].profile: must be one of: bookmark, hugo, jekyll, eleventy, astro'],
        ['    profile: jekyll\n    format: toml', 'collections[0].format: "toml" front matter is not read by jekyll'],
        ['    frontMatter: { drop: [dropmark.editURL] }', 'collections[0].frontMatter.drop[0]: dropmark.editURL'],
        ['    fileName: "{title}.md"', 'collections[0].fileName: has an unknown token {title}'],
      ];
      for (const [extra, message] of attempts) {
        const yaml = `collections:\n  - endpoint: https://a.dropmark.com/1.json\n${extra}\n`;
        const error = await loadConfig({
          cwd: '/site',
          env: {},
          overrides: { configFile: 'dropmark-sync.yaml' },
          readText: async () => yaml,
        }).catch((e: unknown) => e);
        expect(error, extra).toBeInstanceOf(ConfigError);
        expect((error as Error).message, extra).toContain(message);
      }
    },
  );

  it('shapeOf gives jekyll "{date}-{slug}.md" by default and the others "{slug}.md"', () => {
    const mapping = { rename: {}, drop: [], add: {} };
    expect(shapeOf({ profile: 'jekyll', format: 'yaml', frontMatter: mapping }).fileName).toBe('{date}-{slug}.md');
    expect(shapeOf({ profile: 'astro', format: 'yaml', frontMatter: mapping }).fileName).toBe('{slug}.md');
    expect(shapeOf({ profile: 'hugo', format: 'yaml', fileName: '{id}.md', frontMatter: mapping }).fileName).toBe(
      '{id}.md',
    );
  });
});

describe('file-name patterns', () => {
  it.each([
    ['{slug}.md', undefined],
    ['{date}-{slug}.md', undefined],
    ['{id}.md', undefined],
    ['{slug}', 'must end in .md (the files are Markdown)'],
    ['posts/{slug}.md', 'must be a file name, not a path: the folder is contentDir'],
    ['{date}.md', 'must hold {slug} or {id}, so that no two items share a file'],
    ['{slug}-{slug}.md', 'may hold {slug} and {id} once each'],
    ['{name}.md', 'has an unknown token {name}; the tokens are {slug}, {id} and {date}'],
    ['{slug}{.md', 'has a stray { or }; the tokens are {slug}, {id} and {date}'],
    ['{slug} x.md', 'may hold only letters, digits, ".", "_", "-" besides its tokens'],
  ])('%s: %s', (pattern, problem) => expect(fileNameProblem(pattern)).toBe(problem));

  it('names and parses names', () => {
    const values = { slug: 'himss-x', id: '7', date: '2019-02-26' };
    expect(fileNameOf('{date}-{slug}.md', values)).toBe('2019-02-26-himss-x');
    expect(fileNameOf('{id}.md', values)).toBe('7');
    expect(parseFileName('{date}-{slug}.md', '2019-02-26-himss-x')).toEqual({ slug: 'himss-x', date: '2019-02-26' });
    expect(parseFileName('{date}-{slug}.md', 'himss-x')).toBeUndefined();
    expect(parseFileName('{slug}.md', 'Any Name a person gave')).toEqual({ slug: 'Any Name a person gave' });
  });

  it('assignSlugs: a changed pattern renames (keep mode too); an unchanged one keeps every name', () => {
    const items = [item({ id: '1', name: 'First' }), item({ id: '2', name: 'First' })];
    const claims = { existingById: new Map([['1', 'himss-first']]), taken: new Set<string>() };
    const dateOf = () => '2019-02-26';
    const renamed = assignSlugs(items, {
      ...claims,
      fileName: { pattern: '{date}-{slug}.md', renaming: true, dateOf },
    });
    expect([...renamed]).toEqual([
      ['1', '2019-02-26-himss-first'],
      ['2', '2019-02-26-himss-first-2'],
    ]);
    const kept = assignSlugs(items, { ...claims, existingById: new Map([['1', 'my-own-name']]) });
    expect(kept.get('1')).toBe('my-own-name');
    // An {id}-only name that a foreign file holds gets a suffix, never a loop.
    const taken = assignSlugs([item({ id: '5' })], {
      existingById: new Map(),
      taken: new Set(['5']),
      fileName: { pattern: '{id}.md', dateOf },
    });
    expect(taken.get('5')).toBe('5-2');
  });
});

describe('reservedNames: the file names a generator treats specially', () => {
  it.each([
    ['bookmark', 'content/post', ['index', '_index']],
    ['hugo', 'content/post', ['index', '_index']],
    ['jekyll', '_posts', ['index', '_index']],
    ['astro', 'src/content/blog', ['index', '_index']],
    // Eleventy writes posts/posts.md where posts/index.md goes: to posts/index.html.
    ['eleventy', 'posts', ['index', '_index', 'posts']],
    ['eleventy', 'src/Blog/', ['index', '_index', 'Blog']],
    ['eleventy', 'content\\notes', ['index', '_index', 'notes']],
    ['eleventy', '.', ['index', '_index']],
  ] as const)('%s in %s: %j', (profile, contentDir, names) => {
    expect(reservedNames(profile, contentDir)).toEqual(names);
  });
});

describe('the record of the keys and pattern written last', () => {
  it('none for a bookmark site with the defaults; the bookmark keys when there is none', () => {
    const bookmark = parseFrontMatterRecord(undefined);
    expect(bookmark.fileName).toBe('{slug}.md');
    expect(nextFrontMatterRecord(undefined, bookmark, true)).toBeUndefined();
  });

  it('the new shape once every file has it; the earlier keys and pattern stay while some file may not', () => {
    const before =
      '{\n  "fileName": "{date}-{slug}.md",\n  "keys": [\n    "render_with_liquid",\n    "title"\n  ]\n}\n';
    const now = { fileName: '{slug}.md', keys: ['title', 'lastmod'] };
    expect(JSON.parse(nextFrontMatterRecord(before, now, true) ?? '')).toEqual({
      fileName: '{slug}.md',
      keys: ['lastmod', 'title'],
    });
    expect(JSON.parse(nextFrontMatterRecord(before, now, false) ?? '')).toEqual({
      fileName: '{date}-{slug}.md',
      keys: ['lastmod', 'render_with_liquid', 'title'],
    });
    // A damaged record reads as the bookmark defaults (zod), never as "no keys are the tool's".
    expect(parseFrontMatterRecord('{"keys": 3}').keys).toContain('archetype');
  });
});
