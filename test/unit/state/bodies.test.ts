import { describe, expect, it } from 'vitest';
import { bodyHash, parseBodies } from '../../../src/state/bodies.js';

describe('parseBodies: a damaged bodies file', () => {
  it.each([
    ['no file', undefined],
    ['an empty file', ''],
    ['broken JSON', '{"12": "abc'],
    ['JSON null', 'null'],
    ['a string', '"12"'],
    ['a number', '12'],
    ['an array', '[["12", "abc"]]'],
  ])('%s is as if lost: no recorded body', (_name, text) => {
    expect(parseBodies(text)).toEqual(new Map());
  });

  it('keeps each sound entry and leaves out each damaged one alone', () => {
    const text = JSON.stringify({
      '12': '0123456789abcdef',
      '7': 'fedcba9876543210',
      'not-an-id': '0123456789abcdef',
      '-3': '0123456789abcdef',
      '1.5': '0123456789abcdef',
      '': '0123456789abcdef',
      '40': 1234,
      '41': null,
      '42': ['0123456789abcdef'],
      '43': { hash: '0123456789abcdef' },
      ['__proto__']: '0123456789abcdef',
    });
    expect(parseBodies(text)).toEqual(
      new Map([
        ['7', 'fedcba9876543210'],
        ['12', '0123456789abcdef'],
      ]),
    );
  });
});

describe('bodyHash', () => {
  it("is the first 16 hex digits of the UTF-8 body's SHA-256, as sites synced before recorded them", () => {
    // `printf Hello | sha256sum` and `printf 'caf\xc3\xa9' | sha256sum`
    expect(bodyHash('Hello')).toBe('185f8db32271fe25');
    expect(bodyHash('café')).toBe('850f7dc43910ff89');
  });
});
