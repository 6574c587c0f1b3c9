import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSignedUrl } from '../../src/text/signed-link.js';
import { signedUrlsIn } from '../../src/text/signed-url.js';
import { propertyOptions } from '../support/property.js';

/** Texts made of the pieces the cheap checks look at: `www.` in any case, dots, slashes, queries, signatures. */
const urlish = fc
  .array(
    fc.oneof(
      fc.constantFrom('www.', 'WwW.', 'wWW.', 'ww', 'w', 'W', '.', ' ', '\n', 'x', 'é', '/', ':', '<', '"', '?'),
      fc.constantFrom('https:', 'http:', 'dropmarkusercontent.com/f.jpg', 'cdn2.dropmark.com/a', '?Signature=s'),
      fc.constantFrom('&Key-Pair-Id=k', '?Expires=1&Policy=p', '=', '&', '%3F', '#', '\t'),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 16 },
  )
  .map((pieces) => pieces.join(''));

describe('the cheap checks before a URL is parsed', () => {
  it('signedUrlsIn finds what the full scan finds: " //" at the end makes every text take the full scan', () => {
    fc.assert(
      fc.property(urlish, (text) => {
        expect(signedUrlsIn(text)).toEqual(signedUrlsIn(`${text} //`));
      }),
      propertyOptions(3000),
    );
  });

  it('isSignedUrl: a text without "?" is never signed, as the parsed URL then has no query', () => {
    fc.assert(
      fc.property(urlish, (text) => {
        fc.pre(!text.includes('?'));
        expect(isSignedUrl(text)).toBe(false);
        let url: URL | undefined;
        try {
          url = new URL(text, 'https://relative.invalid/');
        } catch {
          url = undefined;
        }
        expect(url === undefined || url.search === '').toBe(true);
      }),
      propertyOptions(3000),
    );
  });
});
