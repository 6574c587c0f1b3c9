import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitYaml, PlainScalar, resolvesToString } from '../../../src/render/yaml-emitter.js';

const emitOne = (value: string, key = 'title') => emitYaml({ [key]: value });

describe('scalar styles (go-yaml v2)', () => {
  it.each([
    ['plain words', 'title: plain words\n'],
    ['', 'title: ""\n'],
    ['Q&A: Hazel Health', "title: 'Q&A: Hazel Health'\n"],
    ['ends with colon:', "title: 'ends with colon:'\n"],
    ['http://example.com/a:b', 'title: http://example.com/a:b\n'],
    ['#hashtag', "title: '#hashtag'\n"],
    ['a #comment', "title: 'a #comment'\n"],
    ['C# rocks', 'title: C# rocks\n'],
    ['- item', "title: '- item'\n"],
    ['-item', 'title: -item\n'],
    ['*star', "title: '*star'\n"],
    ['!bang', "title: '!bang'\n"],
    ['&anchor', "title: '&anchor'\n"],
    ['[x] done', "title: '[x] done'\n"],
    ['a [x] b', 'title: a [x] b\n'],
    ['{x}', "title: '{x}'\n"],
    ['@user', "title: '@user'\n"],
    ['%percent', "title: '%percent'\n"],
    ['|pipe', "title: '|pipe'\n"],
    ['>gt', "title: '>gt'\n"],
    ['? question', "title: '? question'\n"],
    ['---', "title: '---'\n"],
    ['--- x', "title: '--- x'\n"],
    ['...', "title: '...'\n"],
    ["it's", "title: it's\n"],
    ["'quoted'", "title: '''quoted'''\n"],
    ['"double"', `title: '"double"'\n`],
    [' leading space', "title: ' leading space'\n"],
    ['trailing space ', "title: 'trailing space '\n"],
    ['true', 'title: "true"\n'],
    ['False', 'title: "False"\n'],
    ['yes', 'title: "yes"\n'],
    ['off', 'title: "off"\n'],
    ['null', 'title: "null"\n'],
    ['~', 'title: "~"\n'],
    ['123', 'title: "123"\n'],
    ['-7', 'title: "-7"\n'],
    ['1.5', 'title: "1.5"\n'],
    ['1e3', 'title: "1e3"\n'],
    ['0x1F', 'title: "0x1F"\n'],
    ['.inf', 'title: ".inf"\n'],
    ['2019-02-26', 'title: "2019-02-26"\n'],
    ['1:30', 'title: "1:30"\n'],
    ['<<', 'title: "<<"\n'],
    ['10 things', 'title: 10 things\n'],
    ['People’s choice', 'title: People’s choice\n'],
    ['Café — naïve', 'title: Café — naïve\n'],
    ['tab\there', 'title: "tab\\there"\n'],
    ['nul\u0000byte', 'title: "nul\\0byte"\n'],
    ['emoji 😀', 'title: "emoji \\U0001F600"\n'],
    ['back\\slash', 'title: back\\slash\n'],
    ['bell\u0007"q"\\', 'title: "bell\\a\\"q\\"\\\\"\n'],
    ['line\u2028sep', 'title: "line\\Lsep"\n'],
    ['bom\ufeff', 'title: "bom\\uFEFF"\n'],
    ['carriage\rreturn', 'title: "carriage\\rreturn"\n'],
  ])('%j', (value, expected) => {
    const out = emitOne(value);
    expect(out).toBe(expected);
    expect(parse(out)).toEqual({ title: value });
  });
});

describe('literal blocks for text with line breaks', () => {
  it.each([
    ['one\ntwo', 'd: |-\n  one\n  two\n'],
    ['one\ntwo\n', 'd: |\n  one\n  two\n'],
    ['one\n\ntwo\n\n', 'd: |+\n  one\n\n  two\n\n'],
    ['\n', 'd: |2+\n\n'],
    [' indented\nnext', 'd: |2-\n   indented\n  next\n'],
    ['trailing space \nnext', 'd: "trailing space \\nnext"\n'],
    ['tab\t\nnext', 'd: "tab\\t\\nnext"\n'],
  ])('%j', (value, expected) => {
    const out = emitYaml({ d: value });
    expect(out).toBe(expected);
    expect(parse(out)).toEqual({ d: value });
  });
});

describe('folding long lines the libyaml way', () => {
  const key = 'description: ';
  it('breaks at the first space after column 80 and indents the rest by two', () => {
    const words =
      'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ' +
      'ut labore et dolore magna aliqua';
    const out = emitYaml({ description: words });
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(
      // the space after "eiusmod" stands in column 82: the first one past 80
      'description: lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod',
    );
    expect(lines[1]).toBe('  tempor incididunt ut labore et dolore magna aliqua');
    expect(parse(out)).toEqual({ description: words });
  });

  it('does not break at a space in column 80 exactly, but at one in column 81', () => {
    const at80 = 'a'.repeat(80 - key.length);
    const out80 = emitYaml({ description: `${at80} bb cc` });
    expect(out80).toBe(`${key}${at80} bb\n  cc\n`);
    const at81 = 'a'.repeat(81 - key.length);
    const out81 = emitYaml({ description: `${at81} bb cc` });
    expect(out81).toBe(`${key}${at81}\n  bb cc\n`);
  });

  it('never breaks inside a word, however long', () => {
    const long = 'x'.repeat(120);
    const out = emitYaml({ description: `${long} tail` });
    expect(out).toBe(`${key}${long}\n  tail\n`);
    expect(emitYaml({ description: long })).toBe(`${key}${long}\n`);
  });

  it('does not break where two spaces follow each other', () => {
    // the double space stands past column 80; the break waits for the next single one
    const value = `${'a'.repeat(60)} ${'b'.repeat(10)}  c d`;
    const out = emitYaml({ description: value });
    expect(out).toBe(`${key}${'a'.repeat(60)} ${'b'.repeat(10)}  c\n  d\n`);
    expect(parse(out)).toEqual({ description: value });
  });

  it('folds single-quoted text and keeps quotes doubled', () => {
    const value = `Understanding Your Interoperability Journey: Gaining Insights through Case Studies`;
    expect(emitYaml({ title: value })).toBe(
      "title: 'Understanding Your Interoperability Journey: Gaining Insights through Case\n  Studies'\n",
    );
    const quoted = `${"it's ".repeat(20)}end`;
    const out = emitYaml({ title: `: ${quoted}` });
    expect(parse(out)).toEqual({ title: `: ${quoted}` });
  });

  it('folds double-quoted text and escapes a space that follows the break', () => {
    const value = `\t${'a'.repeat(85)}  b`;
    const out = emitYaml({ description: value });
    expect(out).toBe(`description: "\\t${'a'.repeat(85)}\n  \\ b"\n`);
    expect(parse(out)).toEqual({ description: value });
  });

  it('counts columns in characters, not bytes', () => {
    const value = `${'é'.repeat(60)} ${'ü'.repeat(10)} z`;
    // In characters the first space stands in column 73 and the second in 84: the break
    // comes at the second. Counted in bytes it would come at the first.
    expect(emitYaml({ description: value })).toBe(`${key}${'é'.repeat(60)} ${'ü'.repeat(10)}\n  z\n`);
  });
});

describe('collections', () => {
  it('writes sequences at the key column and nested maps indented', () => {
    const out = emitYaml({
      categories: ['ai', 'health: care', ''],
      source: { name: 'Dropmark', apiendpoint: 'https://shah.dropmark.com/616548.json' },
      date: new PlainScalar('2019-02-26T11:47:13Z'),
      empty: [],
      nothing: {},
      score: 15,
      flag: true,
      gone: null,
    });
    expect(out).toBe(
      [
        'categories:',
        '- ai',
        "- 'health: care'",
        '- ""',
        'source:',
        '  name: Dropmark',
        '  apiendpoint: https://shah.dropmark.com/616548.json',
        'date: 2019-02-26T11:47:13Z',
        'empty: []',
        'nothing: {}',
        'score: 15',
        'flag: true',
        'gone: null',
        '',
      ].join('\n'),
    );
  });

  it('writes maps inside sequences and sequences inside sequences', () => {
    const value = { list: [{ a: 'x', b: ['yy', 'z'] }, ['p', 'q']] };
    const out = emitYaml(value);
    expect(out).toBe('list:\n- a: x\n  b:\n  - yy\n  - z\n- - p\n  - q\n');
    expect(parse(out)).toEqual(value);
  });

  it('folds a long value in a nested map with four spaces', () => {
    const long = 'word '.repeat(30).trim();
    const out = emitYaml({ source: { apiendpoint: long } });
    expect(out.split('\n')[2]?.startsWith('    word')).toBe(true);
    expect(parse(out)).toEqual({ source: { apiendpoint: long } });
  });
});

describe('resolvesToString', () => {
  it('knows the values a plain scalar would turn into something else', () => {
    for (const s of ['true', 'NO', '12', '+1', '0o17', '0b101', '1_000', '.5', '2001-12-14t21:59:43.10-05:00', '']) {
      expect(resolvesToString(s), s).toBe(false);
    }
    for (const s of ['hello', 'NaN', '1a', '12 monkeys', 'v1.2', '.hidden', 'nulls']) {
      expect(resolvesToString(s), s).toBe(true);
    }
  });
});

describe('the YAML 1.1 words go-yaml v2 reads as bool, null, float or merge key are quoted', () => {
  // go-yaml v2 resolve.go's table, all of it: a plain `On` or `Y` would come back a bool to Hugo.
  it.each([
    'y',
    'Y',
    'yes',
    'Yes',
    'YES',
    'true',
    'True',
    'TRUE',
    'on',
    'On',
    'ON',
    'n',
    'N',
    'no',
    'No',
    'NO',
    'false',
    'False',
    'FALSE',
    'off',
    'Off',
    'OFF',
    '~',
    'null',
    'Null',
    'NULL',
    '.nan',
    '.NaN',
    '.NAN',
    '.inf',
    '.Inf',
    '.INF',
    '+.inf',
    '+.Inf',
    '+.INF',
    '-.inf',
    '-.Inf',
    '-.INF',
    '<<',
  ])('%j', (word) => {
    expect(resolvesToString(word)).toBe(false);
    expect(emitOne(word)).toBe(`title: "${word}"\n`);
  });

  // Ruby's Psych (Jekyll) reads them in any case (`/^(yes|true|on)$/i`): a plain `yES` is true there.
  it.each(['yES', 'oN', 'tRUE', 'nULL', '.nAn', '+.iNF', 'nO', 'oFf'])('%j, in any case', (word) => {
    expect(resolvesToString(word)).toBe(false);
    expect(emitOne(word)).toBe(`title: "${word}"\n`);
  });

  it.each(['Nan', 'yess', 'onn', 'o', 'nope', '<<<'])('%j is a plain string', (word) => {
    expect(resolvesToString(word)).toBe(true);
    expect(emitOne(word)).toBe(`title: ${word}\n`);
  });
});

describe('document markers only at the start', () => {
  it.each([
    ['...x', "title: '...x'\n"],
    ['---x', "title: '---x'\n"],
    ['x...', 'title: x...\n'],
    ['x---', 'title: x---\n'],
    ['wait...', 'title: wait...\n'],
    ['..', 'title: ..\n'],
  ])('%j', (value, expected) => expect(emitOne(value)).toBe(expected));
});

describe('printable characters (go-yaml is_printable) are written as they are, the rest escaped', () => {
  it.each([
    ['\u001f', '"\\x1F"'],
    [' x', "' x'"],
    ['~x', '~x'],
    ['\u007f', '"\\x7F"'],
    ['\u009f', '"\\x9F"'],
    ['a\u00a0b', 'a\u00a0b'], // the first printable one past ASCII
    ['\u00a0', '\u00a0'],
    ['\ud7ff', '\ud7ff'],
    ['\ue000', '\ue000'],
    ['\ufffd', '\ufffd'],
    ['\ufffe', '"\\uFFFE"'],
    ['a\u0085b', '"a\\Nb"'],
    ['a\u2029b', '"a\\Pb"'],
    ['\u0008\u000b\u000c\u001b', '"\\b\\v\\f\\e"'],
    ['\u0001', '"\\x01"'],
    ['\u0100\u0378', '\u0100\u0378'],
    ['\u{10000}', '"\\U00010000"'],
  ])('%j', (value, written) => {
    const out = emitOne(value);
    expect(out).toBe(`title: ${written}\n`);
    expect(parse(out)).toEqual({ title: value });
  });
});

describe('a fold never takes the first or the last character', () => {
  // A key long enough that the value starts past column 80.
  const key = 'k'.repeat(85);

  it.each([
    // the leading space stands past column 80 too, yet the fold waits for the next one
    [' lead and more words', `${key}: ' lead\n  and more words'\n`],
    ['words then a trail ', `${key}: 'words\n  then a trail '\n`],
    ['\tx y ', `${key}: "\\tx\n  y "\n`],
    [' \tx', `${key}: " \\tx"\n`],
  ])('%j', (value, expected) => {
    const out = emitYaml({ [key]: value });
    expect(out).toBe(expected);
    expect(parse(out)).toEqual({ [key]: value });
  });

  it('a trailing space past column 80 stays on its line', () => {
    const value = `${'a'.repeat(90)} `;
    const out = emitOne(value);
    expect(out).toBe(`title: '${value}'\n`);
    expect(parse(out)).toEqual({ title: value });
  });

  it('keys are never folded', () => {
    const longKey = `${'k'.repeat(70)} ${'k'.repeat(20)} k`;
    expect(emitYaml({ [longKey]: 'v' })).toBe(`${longKey}: v\n`);
  });
});

describe('keys', () => {
  it.each([
    ['', '"": v\n'], // empty reads back as null
    ['a\nb', '"a\\nb": v\n'],
    ['true', '"true": v\n'],
    ['a: b', "'a: b': v\n"],
  ])('%j', (key, expected) => {
    expect(emitYaml({ [key]: 'v' })).toBe(expected);
    expect(parse(emitYaml({ [key]: 'v' }))).toEqual({ [key]: 'v' });
  });
});

describe('numbers', () => {
  it.each([
    [15, '15'],
    [-0.5, '-0.5'],
    [NaN, '.nan'],
    [Infinity, '.inf'],
    [-Infinity, '-.inf'],
  ])('%s', (v, written) => expect(emitYaml({ v })).toBe(`v: ${written}\n`));
});
