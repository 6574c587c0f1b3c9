import { describe, expect, it } from 'vitest';
import {
  frontMatterRecordPath,
  interimFrontMatterRecord,
  nextFrontMatterRecord,
  parseFrontMatterRecord,
} from '../../../src/frontmatter/key-record.js';
import { BOOKMARK_KEYS } from '../../support/post-fields.js';

// The bookmark profile's keys: what a site without a record was written with.
const BOOKMARK = { fileName: '{slug}.md', keys: BOOKMARK_KEYS };
const HUGO_KEYS = ['title', 'date', 'lastmod', 'link', 'tags', 'description', 'image', 'dropmark.editURL'];

/** The record file's text: two-space JSON and a final newline. */
const recordText = (fileName: string, keys: string[]) =>
  `{\n  "fileName": "${fileName}",\n  "keys": [\n${keys.map((k) => `    "${k}"`).join(',\n')}\n  ]\n}\n`;

describe('the record of the front-matter keys and file-name pattern written last', () => {
  it('lives under data/dropmark-sync/, named after the content folder', () => {
    expect(frontMatterRecordPath('content/post')).toBe('data/dropmark-sync/front-matter-content-post.json');
    expect(frontMatterRecordPath('content_post')).toBe('data/dropmark-sync/front-matter-content_5fpost.json');
  });

  it('reads a record as written', () => {
    const text = recordText('{date}-{slug}.md', ['render_with_liquid', 'title']);
    expect(parseFrontMatterRecord(text)).toStrictEqual({
      fileName: '{date}-{slug}.md',
      keys: ['render_with_liquid', 'title'],
    });
  });

  it.each([
    ['no record', undefined],
    ['an empty file', ''],
    ['text that is no JSON', '{"fileName": "{slug}.md",'],
    ['keys that are no list', '{"fileName": "{id}.md", "keys": 3}'],
    ['no file name', '{"keys": ["title"]}'],
    ['a key it does not know', '{"fileName": "{id}.md", "keys": ["title"], "extra": 1}'],
    ['a list that is no record', '["title"]'],
  ])('%s reads as the bookmark defaults, never as "no key is the tool\'s"', (_, text) => {
    expect(parseFrontMatterRecord(text)).toStrictEqual(BOOKMARK);
  });

  it('a bookmark site with the defaults needs no record, whether or not every file was written', () => {
    expect(nextFrontMatterRecord(undefined, BOOKMARK, true)).toBeUndefined();
    expect(nextFrontMatterRecord(undefined, BOOKMARK, false)).toBeUndefined();
    // The same keys in another order are the same shape.
    expect(nextFrontMatterRecord(undefined, { ...BOOKMARK, keys: [...BOOKMARK_KEYS].reverse() }, true)).toBeUndefined();
  });

  it('a site without a record gets one as soon as its pattern or its keys differ from the defaults', () => {
    // Another pattern, the bookmark keys.
    expect(nextFrontMatterRecord(undefined, { fileName: '{id}.md', keys: BOOKMARK_KEYS }, true)).toBe(
      recordText('{id}.md', BOOKMARK_KEYS),
    );
    // The default pattern, one key fewer.
    const fewer = BOOKMARK_KEYS.filter((k) => k !== 'source');
    expect(nextFrontMatterRecord(undefined, { fileName: '{slug}.md', keys: fewer }, true)).toBe(
      recordText('{slug}.md', fewer),
    );
    // Both differ: hugo's keys, sorted.
    expect(nextFrontMatterRecord(undefined, { fileName: '{slug}.md', keys: HUGO_KEYS }, true)).toBe(
      recordText('{slug}.md', ['date', 'description', 'dropmark.editURL', 'image', 'lastmod', 'link', 'tags', 'title']),
    );
  });

  it("while some file may still have the earlier shape, its keys stay the tool's and its pattern stays", () => {
    // No record before: the earlier shape is the bookmark defaults.
    expect(nextFrontMatterRecord(undefined, { fileName: '{date}-{slug}.md', keys: HUGO_KEYS }, false)).toBe(
      recordText('{slug}.md', [
        'archetype',
        'categories',
        'date',
        'description',
        'dropmark.editURL',
        'featuredImage',
        'image',
        'lastmod',
        'link',
        'linkBrand',
        'slug',
        'socialScore',
        'socialScoreSimulated',
        'source',
        'tags',
        'title',
      ]),
    );
    const before = recordText('{date}-{slug}.md', ['render_with_liquid', 'title']);
    expect(nextFrontMatterRecord(before, { fileName: '{slug}.md', keys: ['title', 'lastmod'] }, false)).toBe(
      recordText('{date}-{slug}.md', ['lastmod', 'render_with_liquid', 'title']),
    );
  });

  it('once every file has the new shape, the record is that shape alone', () => {
    const before = recordText('{date}-{slug}.md', ['render_with_liquid', 'title']);
    expect(nextFrontMatterRecord(before, { fileName: '{slug}.md', keys: ['title', 'lastmod'] }, true)).toBe(
      recordText('{slug}.md', ['lastmod', 'title']),
    );
  });

  it('a site that has a record keeps one, also when it is back to the bookmark defaults', () => {
    // Back from hugo: the record must say bookmark now, or a key a person adds later under one of hugo's
    // names (lastmod) would still count as the tool's and be removed.
    const hugo = recordText('{slug}.md', ['date', 'dropmark.editURL', 'lastmod', 'title']);
    expect(nextFrontMatterRecord(hugo, BOOKMARK, true)).toBe(recordText('{slug}.md', BOOKMARK_KEYS));
    // A record of the defaults is kept as it is (the caller writes nothing when the text is the same).
    const defaults = recordText('{slug}.md', BOOKMARK_KEYS);
    expect(nextFrontMatterRecord(defaults, BOOKMARK, true)).toBe(defaults);
    expect(nextFrontMatterRecord(defaults, BOOKMARK, false)).toBe(defaults);
  });
});

describe("the record keeps a person's keys in single files, where it lists them as the tool's", () => {
  it('names them by item id, sorted, beside the keys of the shape', () => {
    const text = nextFrontMatterRecord(
      undefined,
      { fileName: '{slug}.md', keys: HUGO_KEYS, kept: { '9': ['lastmod', 'image', 'lastmod'], '10': ['weight'] } },
      true,
    );
    expect(text).toBe(
      '{\n  "fileName": "{slug}.md",\n  "keys": [\n' +
        [...HUGO_KEYS]
          .sort()
          .map((k) => `    "${k}"`)
          .join(',\n') +
        '\n  ],\n  "kept": {\n    "9": [\n      "image",\n      "lastmod"\n    ]\n  }\n}\n',
    );
    expect(parseFrontMatterRecord(text).kept).toStrictEqual({ '9': ['image', 'lastmod'] });
  });

  it('a bookmark site with its default keys gets a record only while a person holds one of them', () => {
    expect(nextFrontMatterRecord(undefined, { ...BOOKMARK, kept: { '9': ['lastmod'] } }, true)).toBeUndefined();
    expect(
      JSON.parse(nextFrontMatterRecord(undefined, { ...BOOKMARK, kept: { '9': ['slug'] } }, true) ?? '{}').kept,
    ).toStrictEqual({ '9': ['slug'] });
  });
});

describe('the interim record, written before the first post changes shape', () => {
  it("holds the earlier keys and this pass's, so a killed run's rewritten files hold only the tool's keys", () => {
    const hugo = { fileName: '{slug}.md', keys: [...HUGO_KEYS].sort(), kept: { '7': ['lastmod'] } };
    const union = [...new Set([...BOOKMARK_KEYS, ...HUGO_KEYS])].sort();
    expect(interimFrontMatterRecord(undefined, hugo)).toBe(
      `${recordText('{slug}.md', union).slice(0, -3)},\n  "kept": {\n    "7": [\n      "lastmod"\n    ]\n  }\n}\n`,
    );
  });

  it('is not written when the record does not change', () => {
    const text = recordText('{slug}.md', [...HUGO_KEYS].sort());
    expect(interimFrontMatterRecord(text, { fileName: '{slug}.md', keys: [...HUGO_KEYS].sort() })).toBeUndefined();
    expect(interimFrontMatterRecord(undefined, BOOKMARK)).toBeUndefined();
  });
});
