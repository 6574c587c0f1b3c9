import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitYaml, resolvesToString } from '../../../src/render/yaml-emitter.js';

// Rules of go-yaml v2 (resolve.go, encode.go) and of libyaml's emitter that the first emitter
// tests leave open. Every expected text is written from the rule; each is read back too.
const title = (value: string) => {
  const out = emitYaml({ title: value });
  expect(parse(out)).toEqual({ title: value });
  return out;
};

describe('go-yaml reads a number with its underscores removed (resolve: strings.Replace(in, "_", ""))', () => {
  // The YAML 1.2 reader takes these for strings; go-yaml v2 (and so Hugo) for numbers: quoted.
  it.each([
    ['1_0.5', 'float 10.5'],
    ['-1_0.5', 'signed float'],
    ['+.5_5', 'signed, no integer part'],
    ['1_0.55', 'two fraction digits'],
    ['1_0e3', 'exponent without a fraction'],
    ['1_0e-3', 'negative exponent'],
    ['1_0e10', 'two exponent digits'],
    ['0O17', 'octal, capital O (Go base prefix)'],
    ['0X1F', 'hex, capital X'],
    ['-0x1F', 'signed hex (ParseInt takes a sign before the prefix)'],
  ])('%j (%s) is double-quoted', (value) => {
    expect(resolvesToString(value)).toBe(false);
    expect(title(value)).toBe(`title: "${value}"\n`);
  });

  it.each([
    ['1x2', 'a number only at its end'],
    ['2019-02-26x', 'a date followed by more'],
  ])('%j (%s) stays plain', (value) => {
    expect(resolvesToString(value)).toBe(true);
    expect(title(value)).toBe(`title: ${value}\n`);
  });
});

describe('a text beginning with "." is a float when Go\'s strconv.ParseFloat takes it whole', () => {
  // js-yaml takes underscores anywhere but last: `._5` and `.5__5` are floats to Eleventy and Astro 5.
  it.each(['.5_5', '.55_5', '.5e1_0', '.5e-1_0', '.5e10_0', '.5__5', '._5'])('%j is double-quoted', (value) => {
    expect(resolvesToString(value)).toBe(false);
    expect(title(value)).toBe(`title: "${value}"\n`);
  });

  // Underscores only between digits; nothing before or after the number.
  it.each(['.5_', '.5e_1', '..5', '.5x'])('%j stays plain', (value) => {
    expect(resolvesToString(value)).toBe(true);
    expect(title(value)).toBe(`title: ${value}\n`);
  });

  it('a trailing blank is no number (ParseFloat does not trim): single-quoted for the blank alone', () => {
    expect(resolvesToString('.5 ')).toBe(true);
    expect(title('.5 ')).toBe("title: '.5 '\n");
  });
});

describe("YAML 1.1 base-60 floats (go-yaml v2's isBase60Float) are quoted", () => {
  it.each(['1:5', '10:30', '-1:30', '+1:30', '1:20:30', '1:30.5', '1:30.55', '1_0:30'])('%j', (value) => {
    expect(resolvesToString(value)).toBe(false);
    expect(title(value)).toBe(`title: "${value}"\n`);
  });

  // A group past 59, letters inside, or anything before or after the number: plain.
  it.each(['1:60', '1x:30', '1x1:30', '1:30x'])('%j is plain', (value) => {
    expect(resolvesToString(value)).toBe(true);
    expect(title(value)).toBe(`title: ${value}\n`);
  });
});

describe('double-quoted text folds like libyaml (write_double_quoted_scalar)', () => {
  const long = 'k'.repeat(85); // a key that puts the value past column 80

  it('at the first space past column 80, not at one in column 80', () => {
    // `description: "` is 14 columns and `\t` two: 64 letters end in column 80.
    const at80 = emitYaml({ description: `\t${'a'.repeat(64)} bb cc` });
    expect(at80).toBe(`description: "\\t${'a'.repeat(64)} bb\n  cc"\n`);
    const at81 = emitYaml({ description: `\t${'a'.repeat(65)} bb cc` });
    expect(at81).toBe(`description: "\\t${'a'.repeat(65)}\n  bb cc"\n`);
    expect(parse(at80)).toEqual({ description: `\t${'a'.repeat(64)} bb cc` });
    expect(parse(at81)).toEqual({ description: `\t${'a'.repeat(65)} bb cc` });
  });

  it('a space right after an escape may fold', () => {
    const out = emitYaml({ [long]: 'a\t b' });
    expect(out).toBe(`${long}: "a\\t\n  b"\n`);
    expect(parse(out)).toEqual({ [long]: 'a\t b' });
  });

  it('a space right after a space does not fold', () => {
    const out = emitYaml({ [long]: '  \tx' });
    expect(out).toBe(`${long}: "  \\tx"\n`);
    expect(parse(out)).toEqual({ [long]: '  \tx' });
  });

  it('the last character, a space past column 80, stays on its line', () => {
    const value = `\t${'a'.repeat(90)} `;
    expect(title(value)).toBe(`title: "\\t${'a'.repeat(90)} "\n`);
  });

  it('a double-quoted key is never folded', () => {
    const key = `${'k'.repeat(85)} a\tb`;
    const out = emitYaml({ [key]: 'v' });
    expect(out).toBe(`"${'k'.repeat(85)} a\\tb": v\n`);
    expect(parse(out)).toEqual({ [key]: 'v' });
  });
});

describe('columns count characters of the BMP one each, wherever they stand', () => {
  it('fullwidth letters (U+FF37, above the surrogates) count one column', () => {
    const value = `${'Ｗ'.repeat(70)} ab cd`;
    // `description: ` is 13 columns: the space stands in column 84.
    const out = emitYaml({ description: value });
    expect(out).toBe(`description: ${'Ｗ'.repeat(70)}\n  ab cd\n`);
    expect(parse(out)).toEqual({ description: value });
  });
});

describe('block scalars (libyaml analyze_scalar)', () => {
  it.each([
    // a trailing space forbids a block scalar: double quotes
    ['one\ntwo ', 'd: "one\\ntwo "\n'],
    // a space after a break forbids plain and single quotes, not a block
    ['a\n b', 'd: |-\n  a\n   b\n'],
  ])('%j', (value, expected) => {
    const out = emitYaml({ d: value });
    expect(out).toBe(expected);
    expect(parse(out)).toEqual({ d: value });
  });
});

describe('escapes: \\x up to U+00FF, \\u up to U+FFFF, \\U above', () => {
  it.each([
    ['\u0080', '"\\x80"'],
    ['\uffff', '"\\uFFFF"'],
    ['\ud800', '"\\uD800"'],
  ])('%j', (value, written) => {
    expect(emitYaml({ title: value })).toBe(`title: ${written}\n`);
  });
});

describe("Ruby's Psych (Jekyll) and js-yaml read more texts as numbers, dates and symbols: double-quoted", () => {
  it.each([
    ['1,000', 'Psych: the integer 1000 (commas separate digits)'],
    ['1,000.5', 'Psych: a float'],
    ['0,5', 'Psych: octal 5'],
    ['0x1,F', 'Psych: hex 31'],
    ['.e+5', 'Psych: a float it cannot convert (the page fails)'],
    ['1.', 'Psych: the float 1.0'],
    [':symbol', 'Psych: a Symbol, which Jekyll refuses to load'],
    ['-2024-03-10 10:00:00', 'Psych: a Time (a year may be signed)'],
    ['=', "YAML 1.1's value key"],
  ])('%j (%s)', (value) => {
    expect(resolvesToString(value)).toBe(false);
    expect(title(value)).toBe(`title: "${value}"\n`);
  });

  it.each(['1,000 words', 'a,b', ':', 'x:y', '1.2.3', ',5'])('%j stays as go-yaml writes it', (value) => {
    expect(resolvesToString(value)).toBe(true);
  });
});
