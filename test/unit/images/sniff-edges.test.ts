import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../../src/images/sniff.js';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffImage: magic numbers are at the start of the bytes', () => {
  it.each([
    ['a GIF87a header with its logical screen after it', bytes('GIF87a', [1, 0, 1, 0]), 'image/gif'],
    ['a GIF89a header with its logical screen after it', bytes('GIF89a', [1, 0, 1, 0]), 'image/gif'],
    ['an SVG after a declaration and blank lines', bytes('<?xml version="1.0"?>\n\n<svg/>'), 'image/svg+xml'],
    [
      'an SVG after a declaration, blank lines and a comment',
      bytes('<?xml version="1.0"?>\r\n\r\n<!-- c -->\n<svg>'),
      'image/svg+xml',
    ],
  ])('%s', (_what, input, mime) => expect(sniffImage(input)?.mime).toBe(mime));

  it.each([
    ['GIF87a later in the bytes', bytes('xxxxxxGIF87a')],
    ['GIF89a later in the bytes', bytes('abcdGIF89a')],
  ])('refuses %s', (_what, input) => expect(sniffImage(input)).toBeUndefined());
});
