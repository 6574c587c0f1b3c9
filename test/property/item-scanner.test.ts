import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { FeedItemScanner } from '../../src/feed/item-scanner.js';
import { propertyOptions } from '../support/property.js';

/** The body cut into chunks at the given places, scanned; what came out, or the error. */
function scan(body: Buffer, cuts: number[]): { items: unknown[]; rest: unknown } | 'error' {
  let items: unknown[] = [];
  const scanner = new FeedItemScanner({
    list: () => {
      items = [];
    },
    item: (raw) => items.push(raw),
  });
  try {
    let at = 0;
    for (const cut of [...new Set(cuts.map((c) => Math.min(c, body.length)))].sort((a, b) => a - b)) {
      scanner.push(body.subarray(at, cut));
      at = cut;
    }
    scanner.push(body.subarray(at));
    return { items, rest: scanner.end() };
  } catch (error) {
    expect(error).toBeInstanceOf(SyntaxError);
    return 'error';
  }
}

/** What JSON.parse makes of the whole body: its items and the rest, or the error. */
function whole(body: Buffer): { items: unknown[]; rest: unknown } | 'error' {
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'error';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { items: [], rest: value };
  const items = (value as Record<string, unknown>)['items'];
  if (!Array.isArray(items)) return { items: 'any' as unknown as unknown[], rest: value };
  return { items, rest: { ...(value as object), items: [] } };
}

function agree(body: Buffer, cuts: number[]): void {
  const expected = whole(body);
  const got = scan(body, cuts);
  if (expected === 'error' || got === 'error') {
    expect(got).toBe(expected);
    return;
  }
  expect(got.rest).toEqual(expected.rest);
  // A root whose `items` is no list: what was read of an earlier list does not matter (the parse refuses the feed).
  if ((expected.items as unknown) !== 'any') expect(got.items).toEqual(expected.items);
}

/** Texts with what a scanner must not take for structure: quotes, backslashes, brackets, escapes, non-ASCII. */
const trickyText = fc
  .array(
    fc.constantFrom(
      '"',
      '\\',
      '\\"',
      '[',
      ']',
      '{',
      '}',
      ',',
      ':',
      'items',
      '\n',
      '\u2028',
      'é',
      '😀',
      '\ud800',
      'a b',
    ),
  )
  .map((parts) => parts.join(''));
const value = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    trickyText,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(trickyText, fc.constant('items')), tie('value'), { maxKeys: 4 }),
  ),
})).value;
const item = fc.oneof(
  { weight: 4, arbitrary: fc.record({ id: fc.nat(), name: trickyText, tags: fc.array(value, { maxLength: 3 }) }) },
  { weight: 1, arbitrary: value },
);
const root = fc.record({
  before: fc.dictionary(trickyText, value, { maxKeys: 3 }),
  items: fc.array(item, { maxLength: 8 }),
  after: fc.dictionary(trickyText, value, { maxKeys: 3 }),
  /** A second `items` key after the first, as a list or not. */
  again: fc.option(fc.oneof(fc.array(item, { maxLength: 3 }), value), { nil: undefined }),
  /** `items` written with an escape (`it\u0065ms`): still the key `items`. */
  escapedKey: fc.boolean(),
  indent: fc.constantFrom(undefined, 0, 1, 2, '\t'),
  bom: fc.boolean(),
});

type Root = typeof root extends fc.Arbitrary<infer T> ? T : never;

/** The JSON text of a generated root, its keys in the order drawn (a second `items` key written by hand). */
function bodyOf(r: Root): Buffer {
  const entries: string[] = [];
  const put = (key: string, v: unknown, rawKey?: string) =>
    entries.push(`${rawKey ?? JSON.stringify(key)}:${JSON.stringify(v, null, r.indent)}`);
  for (const [k, v] of Object.entries(r.before)) if (k !== 'items') put(k, v);
  put('items', r.items, r.escapedKey ? '"it\\u0065ms"' : undefined);
  for (const [k, v] of Object.entries(r.after)) if (k !== 'items') put(k, v);
  if (r.again !== undefined) put('items', r.again);
  const text = `{${entries.join(r.indent === undefined ? ',' : ',\n ')}}`;
  return Buffer.concat([r.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text)]);
}

const cuts = fc.array(fc.nat({ max: 4000 }), { maxLength: 6 });

describe('the feed item scanner reads a body as JSON.parse reads it whole', () => {
  it('generated feeds, cut into chunks anywhere (inside strings, escapes and UTF-8 sequences)', () => {
    fc.assert(
      fc.property(root, cuts, (r, c) => agree(bodyOf(r), c)),
      propertyOptions(400),
    );
  });

  it('broken feeds: a byte taken out, put in or replaced, and cut short', () => {
    const bytes = fc.constantFrom(...'",[]{}:\\ 0n'.split('').map((ch) => ch.charCodeAt(0)), 0xc3, 0x80, 0xff, 0x0c);
    const edit = fc.record({ at: fc.nat(), op: fc.constantFrom('delete', 'insert', 'replace', 'cut'), byte: bytes });
    fc.assert(
      fc.property(root, fc.array(edit, { minLength: 1, maxLength: 3 }), cuts, (r, edits, c) => {
        let body = bodyOf(r);
        for (const e of edits) {
          const at = e.at % (body.length + 1);
          const b = Buffer.from([e.byte]);
          if (e.op === 'delete') body = Buffer.concat([body.subarray(0, at), body.subarray(at + 1)]);
          else if (e.op === 'insert') body = Buffer.concat([body.subarray(0, at), b, body.subarray(at)]);
          else if (e.op === 'replace') body = Buffer.concat([body.subarray(0, at), b, body.subarray(at + 1)]);
          else body = body.subarray(0, at);
        }
        agree(body, c);
      }),
      propertyOptions(1500),
    );
  });

  it('cut at every byte: an escaped `items` key, escapes and backslashes at chunk ends, a BOM', () => {
    const bodies = [
      '{"it\\u0065ms":[{"id":1,"n":"a\\"b\\\\"},2],"x":"\\\\"}',
      '\ufeff{"a\\"":[1],"items":["\\\\\\"]",{"]":"["}]}',
      '{"items":[1],"items":[{"id":"\\u00e9😀"}]}',
    ];
    for (const text of bodies) {
      const body = Buffer.from(text);
      for (let cut = 0; cut <= body.length; cut++) agree(body, [cut]);
      for (let cut = 0; cut + 1 <= body.length; cut++) agree(body, [cut, cut + 1]);
    }
  });

  it('bodies that are no feed object: a list, a scalar, HTML, nothing', () => {
    for (const text of ['[{"id":1}]', '"items"', '42', 'null', '<html>', '', '   ', '{"items":[1,]}', '{"items":[,1]}'])
      agree(Buffer.from(text), []);
    expect(scan(Buffer.from('{"items":[]}'), [])).toEqual({ items: [], rest: { items: [] } });
    expect(scan(Buffer.from('{"items":[{"id":1} , 2 ],"n":3}'), [3, 12])).toEqual({
      items: [{ id: 1 }, 2],
      rest: { items: [], n: 3 },
    });
  });
});

describe('the feed item scanner looks at each byte a bounded number of times', () => {
  /**
   * How many bytes `Buffer.indexOf` went over while the body was scanned in chunks of `chunkSize` (the scanner's only
   * searches); the result must agree with JSON.parse of the whole.
   */
  function bytesSearched(body: Buffer, chunkSize: number): number {
    const original = Buffer.prototype.indexOf;
    let searched = 0;
    const spy = vi.spyOn(Buffer.prototype, 'indexOf').mockImplementation(function (this: Buffer, ...args) {
      const at = original.apply(this, args);
      const from = typeof args[1] === 'number' ? args[1] : 0;
      searched += (at === -1 ? this.length : at + 1) - from;
      return at;
    });
    const cuts: number[] = [];
    for (let at = chunkSize; at < body.length; at += chunkSize) cuts.push(at);
    let got: ReturnType<typeof scan>;
    try {
      got = scan(body, cuts);
    } finally {
      spy.mockRestore();
    }
    expect(got).not.toBe('error');
    agree(body, []);
    return searched;
  }

  // Each escape once searched for the string's closing quote again, to the chunk's end: a 2 MB string of `\n`
  // took ~11 s in one chunk, and a root key's bytes were copied escape by escape (an 8 MB key held ~550 MB in
  // 64 KiB chunks). Now each search starts where the last one of its kind ended: at most twice the body's bytes.
  it('a string of many escapes, its closing quote far away: in an item, and as a root key', () => {
    const inItem = Buffer.from(`{"items":[{"id":1,"content":"${'\\n'.repeat(100_000)}"}]}`);
    const asKey = Buffer.from(`{"${'\\\\'.repeat(100_000)}":1,"items":[{"id":2}]}`);
    for (const body of [inItem, asKey])
      for (const chunkSize of [body.length, 65_536, 7])
        expect(bytesSearched(body, chunkSize)).toBeLessThanOrEqual(2 * body.length);
  });
});
