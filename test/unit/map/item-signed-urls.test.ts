import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/feed/parse.js';
import { cleanHtml } from '../../../src/map/clean-html.js';
import { mapItem, type MapContext } from '../../../src/map/item.js';
import { sanitizeBody } from '../../../src/map/sanitize-body.js';
import { isSignedUrl } from '../../../src/text/signed-link.js';
import { collectionTerms } from '../../../src/map/terms.js';
import { feedItem } from '../../support/builders.js';

// A URL as Dropmark's CDN signs it (CloudFront): it expires within the hour and is a credential while it works.
const SIGNED = 'https://cdn.example/1/cc/report.pdf?Expires=1700000000&Signature=c2lnbmVk&Key-Pair-Id=APKTEST';
const SIGNED_HTML = SIGNED.replaceAll('&', '&amp;');
const S3 = 'https://bucket.s3.amazonaws.com/x.png?X-Amz-Date=1&X-Amz-Signature=abc';

describe('sanitizeBody: a signed URL is left out of the body', () => {
  it.each([
    ['a link keeps its text', `See [the report](${SIGNED}) now.`, 'See the report now.'],
    ['a link with a title', `[r](https://ok.example/x "${SIGNED}")`, 'r'],
    ['an image keeps its alt text', `![Q3 chart](${S3})`, 'Q3 chart'],
    // As for a javascript: definition: the reference is then plain text.
    ['a definition goes', `[report][r]\n\n[r]: ${SIGNED}\n`, '[report][r]\n\n\n'],
    ['an autolink goes', `Get it: <${SIGNED}>`, 'Get it: '],
    // The text around it written escaped: it reads the same.
    ['a bare URL goes', `Get it: ${SIGNED}.`, 'Get it\\: \\.'],
    ['a bare URL written with entities goes', `Get ${SIGNED_HTML}`, 'Get '],
    ['an HTML link keeps its text', `<a href="${SIGNED_HTML}">report</a>`, '<a>report</a>'],
    ['HTML text', `<p>at ${SIGNED_HTML} now</p>`, '<p>at  now</p>'],
    ['an HTML image', `<img src="${SIGNED}" srcset="${S3} 2x">`, ''],
    ['code', `\`curl ${SIGNED}\``, '`curl `'],
  ])('%s', (_, body, expected) => expect(sanitizeBody(body)).toBe(expected));

  it('for kramdown (Jekyll) too', () => {
    expect(sanitizeBody(`See [the report](${SIGNED}) and ${SIGNED}`, { kramdown: true })).toBe('See the report and ');
  });

  it('a URL that is not signed stays byte for byte, in Markdown and HTML', () => {
    const body =
      'See [x](https://ok.example/a?Expires=1&v=2) <https://ok.example/b> and <a href="https://ok.example/c">c</a>';
    expect(sanitizeBody(body)).toBe(body);
    expect(cleanHtml('<a href="https://ok.example/c?sig_ok=1">c</a>')).toBe(
      '<a href="https://ok.example/c?sig_ok=1">c</a>',
    );
  });
});

const context: MapContext = { feedUrl: 'https://me.dropmark.com/616548.json', imageMode: 'remote', now: new Date(0) };
const item = (over: Partial<FeedItem>): FeedItem => ({
  ...feedItem('42', 'An item'),
  url: 'https://me.dropmark.com/616548/42',
  updatedAt: '2024-03-01 10:00:00 UTC',
  ...over,
});

describe('mapItem: no signed URL in a key or the body', () => {
  it('a link item whose link is signed: link and brand "", with a warning', () => {
    const post = mapItem(item({ link: SIGNED }), 's', context);
    expect([post.fields.link, post.fields.linkBrand]).toEqual(['', '']);
    expect(post.warnings).toEqual(['item 42: its link is a signed URL, which expires within the hour; it is left out']);
  });

  it('signed URLs in the body, title, description and tags: left out, one warning for the item', () => {
    const post = mapItem(
      item({
        name: `Report ${SIGNED}`,
        content: `Read [it](${SIGNED}) or ${S3}`,
        description: `From ${SIGNED}`,
        tags: ['kept', SIGNED],
      }),
      's',
      context,
    );
    expect(post.body).toBe('Read it or ');
    expect(post.fields.title).toBe('Report');
    expect(post.fields.description).toBe('From ');
    expect(post.fields.categories).toEqual(['kept']);
    expect(post.warnings).toEqual([
      'item 42: its text holds a signed URL, which expires within the hour and is a credential while it works; ' +
        'it is left out (mirror the file, or link to its Dropmark page instead)',
    ]);
  });

  it('a signed Dropmark page URL is not taken for dropmark.editURL: it is built from the feed URL', () => {
    const post = mapItem(item({ url: 'https://me.dropmark.com/616548/42?Signature=x' }), 's', context);
    expect(post.fields['dropmark.editURL']).toBe('https://me.dropmark.com/616548/42');
  });

  it('mode remote: a thumbnail as the feed gives it, but never an upload’s own file', () => {
    const thumb = 'https://cdn.example/1/cc/thumbnail/report.jpg?Expires=1&Signature=t';
    expect(mapItem(item({ thumbnail: thumb }), 's', context).fields.featuredImage).toBe(thumb);
    const upload = item({ kind: 'image', content: SIGNED, link: SIGNED, thumbnail: `${SIGNED}&w=1` });
    expect(mapItem(upload, 's', context).fields.featuredImage).toBe('');
  });
});

describe('isSignedUrl and the forms found in a review and an attacker trial', () => {
  const CDN = 'https://cdn2.dropmarkusercontent.com/1/aa/x.jpg';
  it.each([
    // On Dropmark's hosts any signature parameter counts; elsewhere only a presigned cloud URL's full form.
    [`${CDN}?Signature=s`, true],
    [`${CDN}?Policy=p`, true],
    ['https://news.example/a?sig=abc', false],
    ['https://news.example/a?signature=abc&Expires=1', false],
    ['https://x.blob.core.windows.net/c/f?sv=2020&se=2024&sig=abc', true],
    ['https://b.example/f?Signature=s&AWSAccessKeyId=k', true],
    // Protocol-relative, and percent-encoded in another URL's query (a redirect wrapper).
    [`//cdn2.dropmarkusercontent.com/1/aa/x.jpg?Signature=s`, true],
    [`https://example.org/r?u=${encodeURIComponent(`${CDN}?Expires=1&Signature=s`)}`, true],
  ])('%s: %s', (url, signed) => expect(isSignedUrl(url)).toBe(signed));

  it('a body drops a protocol-relative link, a www. autolink and a wrapped one', () => {
    const wrapped = `https://example.org/r?u=${encodeURIComponent(`${CDN}?Signature=s`)}`;
    expect(sanitizeBody('[a](//cdn2.dropmarkusercontent.com/x.jpg?Signature=s)')).toBe('a');
    expect(sanitizeBody('at www.cdn2.dropmarkusercontent.com/x.jpg?Signature=s')).toBe('at ');
    expect(sanitizeBody(`go [there](${wrapped})`)).toBe('go there');
  });

  it('a tag holding a signed URL loses the URL before it is made a safe name', () => {
    for (const oneSpelling of [false, true]) {
      const terms = collectionTerms([item({ tags: [`tag ${CDN}?Expires=1&Signature=LEAK`, 'plain'] })], oneSpelling);
      expect(terms.items[0]?.tags).toEqual(['tag', 'plain']);
      expect(terms.warnings).toEqual([{ itemId: '42', message: 'a signed URL in a tag is left out of it' }]);
    }
  });
});

describe('a title that held a signed URL', () => {
  it('reads as one sentence once the URL is out', () => {
    const name = 'Title https://cdn2.dropmarkusercontent.com/1/x.jpg?Signature=s end';
    expect(mapItem(item({ name }), 's', context).fields.title).toBe('Title end');
  });
});
