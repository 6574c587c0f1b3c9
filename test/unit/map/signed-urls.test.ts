import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/feed/parse.js';
import { cleanHtml } from '../../../src/map/clean-html.js';
import { mapItem, type MapContext } from '../../../src/map/item.js';
import { sanitizeBody } from '../../../src/map/sanitize-body.js';
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
