import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../../src/images/sniff.js';
import { GIF, JPEG, PNG, SVG, WEBP } from '../../support/images.js';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

// Magic numbers from the formats' specifications, each with the shortest input that carries it.
describe('sniffImage by magic number', () => {
  it.each([
    ['JPEG: FF D8 FF, three bytes are enough', bytes([0xff, 0xd8, 0xff]), 'image/jpeg', '.jpg'],
    ['PNG: the eight-byte signature', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'image/png', '.png'],
    ['GIF87a', bytes('GIF87a'), 'image/gif', '.gif'],
    ['GIF89a', bytes('GIF89a'), 'image/gif', '.gif'],
    ['WebP: RIFF, a size, WEBP', bytes('RIFF', [1, 2, 3, 4], 'WEBP'), 'image/webp', '.webp'],
    ['SVG', bytes('<svg/>'), 'image/svg+xml', '.svg'],
    ['SVG after a BOM', bytes([0xef, 0xbb, 0xbf], '<svg>'), 'image/svg+xml', '.svg'],
    [
      'SVG, upper case, after whitespace, a declaration, comments and a doctype with a subset',
      bytes('\n <?xml version="1.0"?>\n<!-- a --> <!-- b --><!DOCTYPE svg [ <!ENTITY x "y"> ]>\n<SVG\tx="1">'),
      'image/svg+xml',
      '.svg',
    ],
  ])('%s', (_what, input, mime, ext) => expect(sniffImage(input)).toEqual({ mime, ext }));

  it.each([
    ['two bytes of JPEG', bytes([0xff, 0xd8])],
    ['JPEG with a wrong third byte', bytes([0xff, 0xd8, 0xfe])],
    ['JPEG with a wrong second byte', bytes([0xff, 0xd9, 0xff])],
    ['JPEG with a wrong first byte', bytes([0xfe, 0xd8, 0xff])],
    ['seven bytes of PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a])],
    ['PNG with its last byte changed', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0b])],
    ['GIF88a', bytes('GIF88a')],
    ['a RIFF that is not WebP (WAVE)', bytes('RIFF', [1, 2, 3, 4], 'WAVE')],
    ['WEBP without RIFF', bytes('RIFX', [1, 2, 3, 4], 'WEBP')],
    ['<svgx', bytes('<svgx/>')],
    ['text before <svg', bytes('x<svg/>')],
    ['an SVG element later in an HTML page', bytes('<html><svg/></html>')],
    ['an SVG past the first 4096 bytes', bytes(' '.repeat(4096), '<svg/>')],
    ['nothing', bytes()],
  ])('refuses %s', (_what, input) => expect(sniffImage(input)).toBeUndefined());
});

describe('sniffing', () => {
  it.each([
    [JPEG, '.jpg'],
    [PNG, '.png'],
    [GIF, '.gif'],
    [WEBP, '.webp'],
    [SVG, '.svg'],
    [Buffer.from('<!-- c --><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg/>'), '.svg'],
  ])('knows %#', (bytes, ext) => expect(sniffImage(bytes)?.ext).toBe(ext));
  it.each([
    Buffer.from('<!doctype html><html>'),
    Buffer.from('{"json":1}'),
    Buffer.alloc(0),
    Buffer.from('GIF'),
    Buffer.from('<?xml version="1.0"?><html/>'),
  ])('refuses non-images %#', (bytes) => expect(sniffImage(bytes)).toBeUndefined());
});
