import { describe, expect, it } from 'vitest';
import { FeedError, FeedItemError } from '../../../src/errors.js';
import { parseFeed } from '../../../src/feed/parse.js';

const URL_ = 'https://shah.dropmark.com/616548.json';
const parse = (body: unknown) => parseFeed(typeof body === 'string' ? body : JSON.stringify(body), URL_);

describe('parseFeed', () => {
  it('reads items, numeric and numeric-string ids alike, and tags as objects or strings', () => {
    const { items } = parse({
      items: [
        { id: 7, name: 'A', tags: [{ id: 1, name: 'x' }, 'y', { name: '' }, null] },
        { id: '0008', name: 'B' },
      ],
    });
    expect(items.map((i) => i.id)).toEqual(['7', '8']);
    expect(items[0]?.tags).toEqual(['x', 'y']);
    expect(items[1]?.description).toBeNull();
  });

  it('tolerates a BOM and unknown keys', () => {
    expect(parse(`\ufeff${JSON.stringify({ items: [], whatever: 1 })}`).items).toEqual([]);
  });

  it.each([
    ['not JSON', 'not json at all', /not JSON/],
    ['an HTML page', '<!doctype html><html>', /HTML page/],
    ['an array', [], /not a JSON object/],
    ['null', 'null', /not a JSON object/],
    ['no items', { name: 'x' }, /no "items" list/],
    ['items not a list', { items: {} }, /no "items" list/],
  ])('refuses %s', (_what, body, message) => {
    expect(() => parse(body)).toThrow(FeedError);
    expect(() => parse(body)).toThrow(message);
  });

  it('never quotes the body in its error (a redirect may have led to an internal service)', () => {
    for (const body of ['SECRET-INTERNAL-TOKEN-abc', '{"items": [SECRET-INTERNAL', 'Xsecret']) {
      const message = (() => {
        try {
          parse(body);
        } catch (error) {
          return (error as Error).message;
        }
        return '';
      })();
      expect(message).toMatch(/not JSON/);
      expect(message).not.toMatch(/SECRET|INTERNAL|secret/);
    }
  });

  it.each([
    ['missing', { name: 'x' }],
    ['null', { id: null }],
    ['zero', { id: 0 }],
    ['negative', { id: -3 }],
    ['fractional', { id: 1.5 }],
    ['text', { id: 'abc' }],
  ])('refuses an item whose id is %s', (_what, raw) => {
    expect(() => parse({ items: [{ id: 1 }, raw] })).toThrow(/item\(s\) have no usable id \(items #2\)/);
  });

  it('refuses duplicated ids and names them', () => {
    try {
      parse({ items: [{ id: 5 }, { id: '5' }, { id: 6 }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FeedItemError);
      expect((error as FeedItemError).itemIds).toEqual(['5']);
      expect((error as Error).message).toMatch(/same item id more than once \(5\)/);
    }
  });

  it('drops fields of the wrong type with a warning, keeps numbers as text', () => {
    const { items, warnings } = parse({ items: [{ id: 1, name: { x: 1 }, description: 42, tags: 'a' }] });
    expect(items[0]?.name).toBeNull();
    expect(items[0]?.description).toBe('42');
    expect(warnings).toEqual(['item 1: name is a object, not text; ignored', 'item 1: tags is not a list; ignored']);
  });

  it('makes lone surrogates well-formed', () => {
    const { items } = parse('{"items":[{"id":1,"name":"a\\ud800b"}]}');
    expect(items[0]?.name).toBe('a\ufffdb');
  });
});
