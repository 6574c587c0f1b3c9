import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeedError, FeedItemError } from '../../../src/errors.js';
import { parseFeed } from '../../../src/feed/parse.js';
import { SAMPLE } from '../../support/fixtures.js';

const URL_ = 'https://shah.dropmark.com/616548.json';
const parse = (body: unknown) => parseFeed(typeof body === 'string' ? body : JSON.stringify(body), URL_);
const message = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('did not throw');
};

describe('parseFeed on the real feed', () => {
  it('reads the 41 items of the sample feed from its bytes, in feed order, and one item field by field', () => {
    const { items, warnings } = parseFeed(readFileSync(path.join(SAMPLE, 'feed.json')), URL_);
    expect(warnings).toEqual([]);
    expect(items).toHaveLength(41);
    expect(items[0]?.id).toBe('18698541');
    expect(items[40]?.id).toBe('17712462');
    const item = items.find((i) => i.id === '18085640');
    expect({ ...item, content: item?.content?.slice(0, 32), thumbnail: item?.thumbnail?.slice(0, 43) }).toEqual({
      id: '18085640',
      name: 'Understanding Your Interoperability Journey: Gaining Insights through Case Studies',
      description: null,
      content: 'Case Studies in Interoperability',
      link:
        'https://www.himss.org/news/' +
        'understanding-your-interoperability-journey-gaining-insights-through-case-studies',
      thumbnail: 'https://cdn2.dropmarkusercontent.com/353804',
      tags: ['interoperability'],
      createdAt: '2019-02-23 06:47:13 UTC',
      updatedAt: '2019-02-26 11:47:13 UTC',
      url: 'http://radhikan.dropmark.com/616548/18085640',
      kind: 'link',
      mime: 'url',
      size: 0,
      parentId: null,
    });
  });
});

describe('parseFeed: each field of an item', () => {
  it('takes every text field from its own key', () => {
    const { items } = parse({
      items: [
        {
          id: 1,
          name: 'N',
          description: 'D',
          content: 'C',
          link: 'L',
          thumbnail: 'T',
          tags: ['t'],
          created_at: 'CA',
          updated_at: 'UA',
          url: 'U',
          type: 'Video',
          mime: 'video/mp4',
          size: 2048,
          parent_id: '0077',
        },
      ],
    });
    expect(items).toEqual([
      {
        id: '1',
        name: 'N',
        description: 'D',
        content: 'C',
        link: 'L',
        thumbnail: 'T',
        tags: ['t'],
        createdAt: 'CA',
        updatedAt: 'UA',
        url: 'U',
        kind: 'video',
        mime: 'video/mp4',
        size: 2048,
        parentId: '77',
      },
    ]);
  });

  it("reads an unknown kind as a link, and the collection's item count when it is a whole number", () => {
    const feed = parse({ items_total_count: '12', items: [{ id: 1, type: 'hologram', size: -3, parent_id: 'x' }] });
    expect(feed.items[0]).toMatchObject({ kind: 'link', size: null, parentId: null });
    expect(feed.totalCount).toBe(12);
    // Any count, however odd, above the items listed says some are missing; what is no count says nothing.
    expect(parse({ items_total_count: 1.5, items: [] }).totalCount).toBe(1.5);
    expect(parse({ items_total_count: '6e0', items: [] }).totalCount).toBe(6);
    expect(parse({ items_total_count: -5, items: [] }).totalCount).toBeUndefined();
    expect(parse({ items_total_count: 'abc', items: [] }).totalCount).toBeUndefined();
  });

  it('gives null for a missing or null field and [] for missing or null tags, with no warning', () => {
    const { items, warnings } = parse({ items: [{ id: 1, name: null, tags: null }, { id: 2 }] });
    const empty = {
      name: null,
      description: null,
      content: null,
      link: null,
      thumbnail: null,
      tags: [],
      createdAt: null,
      updatedAt: null,
      url: null,
      kind: 'link',
      mime: null,
      size: null,
      parentId: null,
    };
    expect(items).toEqual([
      { id: '1', ...empty },
      { id: '2', ...empty },
    ]);
    expect(warnings).toEqual([]);
  });

  it.each([
    [42, '42'],
    [1.5, '1.5'],
    [true, 'true'],
    [false, 'false'],
    ['', ''],
  ])('keeps %j as the text %j', (value, text) => {
    expect(parse({ items: [{ id: 1, name: value }] }).items[0]?.name).toBe(text);
  });

  it.each([
    [{ a: 1 }, 'item 1: name is a object, not text; ignored'],
    [['x'], 'item 1: name is a list, not text; ignored'],
  ])('drops %j with a warning', (value, warning) => {
    const { items, warnings } = parse({ items: [{ id: 1, name: value }] });
    expect(items[0]?.name).toBeNull();
    expect(warnings).toEqual([warning]);
  });

  it.each([
    ['a list of names', ['a', 'b'], ['a', 'b']],
    ['tag objects', [{ id: 1, name: 'x' }, { name: 'y' }], ['x', 'y']],
    ['blank names dropped', ['', '  ', { name: ' ' }, 'kept'], ['kept']],
    ['names kept untrimmed', [' a '], [' a ']],
    ['non-names dropped', [null, 3, true, { id: 4 }, { name: 5 }, ['z']], []],
    ['lone surrogates made well-formed', ['a\ud800', { name: '\udc00b' }], ['a\ufffd', '\ufffdb']],
  ])('tags: %s', (_what, tags, names) => {
    const { items, warnings } = parse({ items: [{ id: 1, tags }] });
    expect(items[0]?.tags).toEqual(names);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['text', 'a'],
    ['an object', { name: 'a' }],
    ['a number', 3],
  ])('tags that are %s: [] with a warning', (_what, tags) => {
    const { items, warnings } = parse({ items: [{ id: 1, tags }] });
    expect(items[0]?.tags).toEqual([]);
    expect(warnings).toEqual(['item 1: tags is not a list; ignored']);
  });
});

describe('parseFeed: item ids', () => {
  it.each([
    [7, '7'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    ['7', '7'],
    ['007', '7'],
    [' 12 ', '12'],
    // Only leading zeros go.
    ['100', '100'],
    [' 0100 ', '100'],
    ['1'.repeat(30), '1'.repeat(30)],
    [`0${'9'.repeat(29)}`, '9'.repeat(29)],
  ])('%j is the id %j', (id, normal) => {
    expect(parse({ items: [{ id }] }).items[0]?.id).toBe(normal);
  });

  it.each([
    ['zero', 0],
    ['"0"', '0'],
    ['"000"', '000'],
    ['negative', -1],
    ['unsafe', Number.MAX_SAFE_INTEGER + 1],
    ['fractional', 2.5],
    ['31 digits', '1'.repeat(31)],
    ['a sign', '+5'],
    ['text after digits', '5a'],
    ['text before digits', 'a5'],
    ['empty', ''],
    ['a boolean', true],
    ['a list', [5]],
  ])('refuses an id that is %s', (_what, id) => {
    expect(message(() => parse({ items: [{ id }] }))).toBe(
      `GET ${URL_}: 1 item(s) have no usable id (items #1); an id must be a positive whole number. Nothing was changed`,
    );
  });

  it.each([
    ['null', null],
    ['a number', 5],
    ['text', 'x'],
    ['a list', [{ id: 5 }]],
  ])('refuses an item that is %s', (_what, raw) => {
    expect(message(() => parse({ items: [{ id: 1 }, raw] }))).toMatch(/1 item\(s\) have no usable id \(items #2\)/);
  });

  it('names ten bad items and says there are more', () => {
    const eleven = Array.from({ length: 11 }, () => ({ id: 'x' }));
    const error = (() => {
      try {
        parse({ items: eleven });
      } catch (e) {
        return e as FeedItemError;
      }
      throw new Error('did not throw');
    })();
    expect(error).toBeInstanceOf(FeedItemError);
    expect(error.itemIds).toEqual([]);
    expect(error.message).toBe(
      `GET ${URL_}: 11 item(s) have no usable id (items #1, #2, #3, #4, #5, #6, #7, #8, #9, #10, ...); ` +
        'an id must be a positive whole number. Nothing was changed',
    );
    expect(message(() => parse({ items: eleven.slice(1) }))).toContain(
      '10 item(s) have no usable id (items #1, #2, #3, #4, #5, #6, #7, #8, #9, #10); ',
    );
  });

  it('names at most ten duplicated ids, and all of them in itemIds', () => {
    const ids = Array.from({ length: 11 }, (_, i) => i + 1);
    const error = (() => {
      try {
        parse({ items: [...ids, ...ids].map((id) => ({ id })) });
      } catch (e) {
        return e as FeedItemError;
      }
      throw new Error('did not throw');
    })();
    expect(error.message).toBe(
      `GET ${URL_}: the feed lists the same item id more than once (1, 2, 3, 4, 5, 6, 7, 8, 9, 10); ` +
        'refusing to guess which one is right. Nothing was changed',
    );
    expect(error.itemIds).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
  });
});

describe('parseFeed: bodies that are no feed', () => {
  it.each([
    ['plain text', 'nope', ''],
    ['HTML', '<!doctype html>', ' (it looks like an HTML page: is the endpoint the collection URL ending in .json?)'],
    [
      'HTML after blank lines',
      '\n\n  <html>',
      ' (it looks like an HTML page: is the endpoint the collection URL ending in .json?)',
    ],
    [
      'HTML after a form feed and a no-break space',
      '\f\u00a0<html>',
      ' (it looks like an HTML page: is the endpoint the collection URL ending in .json?)',
    ],
    ['text ending in <', 'x <', ''],
    ['empty', '', ''],
  ])('%s is not JSON', (_what, body, hint) => {
    expect(() => parse(body)).toThrow(FeedError);
    expect(message(() => parse(body))).toBe(`GET ${URL_}: the answer is not JSON${hint}. Check the endpoint URL`);
  });

  it.each([
    ['a number', '5'],
    ['a text', '"items"'],
    ['a list', '[{"items":[]}]'],
    ['null', 'null'],
  ])('%s is not a feed object', (_what, body) => {
    expect(message(() => parse(body))).toBe(`GET ${URL_}: the feed is not a JSON object with an "items" list`);
  });

  it('a BOM is dropped from bytes as from text', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"items":[{"id":3}]}')]);
    expect(parseFeed(bytes, URL_).items.map((i) => i.id)).toEqual(['3']);
  });

  it('bytes are read as UTF-8', () => {
    const bytes = Buffer.from('{"items":[{"id":3,"name":"Café — 日本"}]}', 'utf8');
    expect(parseFeed(bytes, URL_).items[0]?.name).toBe('Café — 日本');
  });
});
