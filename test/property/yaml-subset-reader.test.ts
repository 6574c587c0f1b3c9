import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitYaml, PlainScalar, type YamlMap, type YamlValue } from '../../src/render/yaml-emitter.js';
import { OUTSIDE, readEmittedYaml } from '../../src/render/yaml-subset-reader.js';
import { propertyOptions } from '../support/property.js';

/** Pieces of text that YAML readers treat specially, joined at random. */
const FRAGMENTS = [
  '---',
  '...',
  ': ',
  ':',
  ' #',
  '#',
  '- ',
  '-',
  '? ',
  '|',
  '>',
  "'",
  "''",
  '"',
  '\\',
  '\n',
  '\n\n',
  '\r\n',
  '\t',
  '\0',
  '\x7f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\ufeff',
  '\ud800',
  '😀',
  'é',
  'true',
  'True',
  'null',
  '~',
  '-0',
  '0',
  '15',
  '0x1F',
  '0o7',
  '1e3',
  '.5',
  '.inf',
  '2019-01-01',
  '<<',
  '__proto__',
  '{a: 1}',
  '[1, 2]',
  '[]',
  '{}',
  '%YAML',
  '@x',
  '`x`',
  '&a',
  '*a',
  '!!str',
  ' ',
  '  ',
  'x'.repeat(90),
  'k'.repeat(1020),
  'word',
  'two words ',
  'https://example.com/a?b=c#d',
];
const fragment = fc.constantFrom(...FRAGMENTS);
const hostileText = fc.oneof(
  fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join('')),
  // Long texts of words: the emitter folds these past column 80.
  fc
    .array(fc.constantFrom('word', 'a', 'longer-word', ' ', '  ', "it's", 'x: y', '"q"'), { maxLength: 60 })
    .map((p) => p.join(' ')),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

const scalar: fc.Arbitrary<YamlValue> = fc.oneof(
  { weight: 6, arbitrary: hostileText },
  fc.integer(),
  fc.constantFrom(0, -0, 1.5, -7, 1e21, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53),
  fc.boolean(),
  fc.constant(null),
  // The emitter writes a PlainScalar as it is: a timestamp, or here anything at all.
  fc.oneof(fc.constant('2019-02-26T11:47:13Z'), hostileText).map((t) => new PlainScalar(t)),
);

const { value: yamlValue } = fc.letrec<{ value: YamlValue; map: YamlMap }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 8, arbitrary: scalar },
    fc.array(tie('value'), { maxLength: 4 }),
    tie('map'),
  ),
  map: fc
    .array(fc.tuple(fc.oneof(fc.constantFrom('title', 'tags', 'date', 'a.b'), hostileText), tie('value')), {
      maxLength: 5,
    })
    .map((entries) => {
      const map: YamlMap = Object.create(null);
      for (const [key, value] of entries) map[key] = value;
      return map;
    }),
}));
const frontMatter = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom('title', 'tags', 'source', 'link'), hostileText), yamlValue), {
    minLength: 1,
    maxLength: 8,
  })
  .map((entries) => {
    const map: YamlMap = Object.create(null);
    for (const [key, value] of entries) map[key] = value;
    return map;
  });

/** What the full parser reads, as the read-back check calls it; undefined where it refuses the text. */
function fullRead(text: string): { value: unknown } | undefined {
  try {
    return { value: parse(text, { schema: 'core', uniqueKeys: false }) };
  } catch {
    return undefined;
  }
}

/** The subset reader reads `text` as the full parser does, or steps aside; true when it read it. */
function agrees(text: string): boolean {
  const quick = readEmittedYaml(text);
  if (quick === OUTSIDE) return false;
  const full = fullRead(text);
  expect(full, `the full parser refuses a text the subset reader read: ${JSON.stringify(text)}`).toBeDefined();
  expect(
    isDeepStrictEqual(quick, full?.value),
    `read differently: ${JSON.stringify(text)}\nsubset: ${JSON.stringify(quick)}\nfull: ${JSON.stringify(full?.value)}`,
  ).toBe(true);
  return true;
}

describe('the subset reader of the read-back check agrees with the yaml package', () => {
  it('on what the emitter writes, hostile values included, and reads most of it itself', () => {
    let read = 0;
    let total = 0;
    fc.assert(
      fc.property(frontMatter, (map) => {
        total++;
        if (agrees(emitYaml(map))) read++;
      }),
      propertyOptions(1500),
    );
    // Hostile texts make it step aside often; if it read too few, the fast path would not be tested.
    expect(read / total).toBeGreaterThan(0.3);
  });

  it('on emitted texts cut, spliced and re-indented: whatever it reads, the full parser reads the same', () => {
    const edit = fc.tuple(fc.nat(), fc.oneof(fragment, fc.constantFrom('', ' ', '  ', '\n', '\n  ', '\n- ', 'k: ')));
    let read = 0;
    fc.assert(
      fc.property(frontMatter, fc.array(edit, { minLength: 1, maxLength: 3 }), fc.nat(3), (map, edits, cut) => {
        let text = emitYaml(map);
        for (const [at, piece] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + piece + text.slice(i + cut);
        }
        if (agrees(text)) read++;
      }),
      propertyOptions(3000),
    );
    expect(read).toBeGreaterThan(100);
  });

  it('on the forms it knows, written out', () => {
    const cases: [string, unknown][] = [
      ['title: a plain text\n', { title: 'a plain text' }],
      [
        "title: 'Understanding Your Interoperability Journey: Gaining Insights through Case\n  Studies'\n",
        { title: 'Understanding Your Interoperability Journey: Gaining Insights through Case Studies' },
      ],
      ['a: "x\\ty\\u00E9\\U0001F600"\n', { a: 'x\tyé😀' }],
      ['a: "two\n  \\ spaces"\n', { a: 'two  spaces' }],
      [
        'tags:\n- one\n- 15\nn: 15\nt: true\nz: null\ne: []\nm: {}\n',
        { tags: ['one', 15], n: 15, t: true, z: null, e: [], m: {} },
      ],
      [
        'source:\n  name: Dropmark\n  api: https://x.dropmark.com/1.json\nz: 1\n',
        { source: { name: 'Dropmark', api: 'https://x.dropmark.com/1.json' }, z: 1 },
      ],
      ['a: |-\n  one\n\n    two\nb: |+\n  x\n\n', { a: 'one\n\n  two', b: 'x\n\n' }],
      ['a: |\n  last\n', { a: 'last\n' }],
    ];
    for (const [text, values] of cases) {
      expect(readEmittedYaml(text)).toEqual(values);
      expect(agrees(text)).toBe(true);
    }
  });

  it.each([
    ['a number the emitter does not write plain', 'a: -0\n'],
    ['a float', 'a: 1.5\n'],
    ['a comment', 'a: b # c\n'],
    ['a tab', 'a: "b\tc"\n'],
    ['an anchor', 'a: &x b\n'],
    ['a repeated key', 'a: 1\na: 2\n'],
    ['a prototype key', '__proto__: 1\n'],
    ['an indentation indicator', 'a: |2\n   x\n'],
    ['a folded block', 'a: >\n  x\n'],
    ['a flow sequence', 'a: [1, 2]\n'],
    ['a line of spaces in a literal block', 'a: |\n  x\n   \n  y\n'],
    ['a mapping in a sequence', 'a:\n- b: c\n'],
    ['no final line break', 'a: b'],
    ['a key of more than 1000 characters', `${'k'.repeat(1001)}: v\n`],
  ])('steps aside from %s', (_, text) => {
    expect(readEmittedYaml(text)).toBe(OUTSIDE);
  });
});
