import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/feed/parse.js';
import { mapItem, type MapContext } from '../../../src/map/item.js';

const context = (over: Partial<MapContext> = {}): MapContext => ({
  feedUrl: 'https://shah.dropmark.com/616548.json',
  imageMode: 'remote',
  now: new Date('2026-01-02T03:04:05.678Z'),
  ...over,
});

const item = (over: Partial<FeedItem> = {}): FeedItem => ({
  id: '5',
  name: 'Five',
  description: 'A note',
  content: null,
  link: 'https://example.com/5',
  thumbnail: 'https://cdn.example/5.jpg',
  tags: [],
  createdAt: null,
  updatedAt: '2019-02-26 11:47:13 UTC',
  url: null,
  kind: 'link',
  mime: null,
  size: null,
  parentId: null,
  ...over,
});

describe('featuredImage by image mode', () => {
  it.each([
    ['remote', 'https://cdn.example/5.jpg', '/img/post/5.jpg', 'https://cdn.example/5.jpg'],
    ['remote', null, '/img/post/5.jpg', ''],
    ['local', 'https://cdn.example/5.jpg', '/img/post/5.jpg', '/img/post/5.jpg'],
    ['local', 'https://cdn.example/5.jpg', undefined, ''],
    ['none', 'https://cdn.example/5.jpg', '/img/post/5.jpg', ''],
  ] as const)('mode %s, thumbnail %j, local image %j: %j', (imageMode, thumbnail, local, featured) => {
    const post = mapItem(item({ thumbnail }), 's', context({ imageMode }), undefined, { image: local });
    expect(post.fields.featuredImage).toBe(featured);
  });
});

describe('dropmark.editURL built from the feed URL', () => {
  it.each([
    ['https://shah.dropmark.com/616548.json', 'https://shah.dropmark.com/616548/5'],
    ['https://shah.dropmark.com/616548.JSON', 'https://shah.dropmark.com/616548/5'],
    ['https://shah.dropmark.com/616548', 'https://shah.dropmark.com/616548/5'],
    ['https://shah.dropmark.com/616548/', 'https://shah.dropmark.com/616548/5'],
    ['https://shah.dropmark.com/616548//', 'https://shah.dropmark.com/616548/5'],
    ['https://shah.dropmark.com/616548.json?page=2#top', 'https://shah.dropmark.com/616548/5'],
    // Only a .json at the end is the feed's suffix.
    ['https://shah.dropmark.com/a.json/616548', 'https://shah.dropmark.com/a.json/616548/5'],
    ['not a url', 'https://app.dropmark.com/items/5'],
  ])('%s: %s', (feedUrl, editUrl) => {
    expect(mapItem(item(), 's', context({ feedUrl })).fields['dropmark.editURL']).toBe(editUrl);
  });

  it.each([
    ['an http URL naming the item', 'http://radhikan.dropmark.com/616548/5', 'http://radhikan.dropmark.com/616548/5'],
    ['an HTTPS URL in capitals', 'HTTPS://radhikan.dropmark.com/616548/5', 'HTTPS://radhikan.dropmark.com/616548/5'],
    ['another scheme', 'ftp://radhikan.dropmark.com/616548/5', 'https://shah.dropmark.com/616548/5'],
    [
      'another scheme with an http URL inside',
      'ftp://mirror.example/https://radhikan.dropmark.com/616548/5',
      'https://shah.dropmark.com/616548/5',
    ],
  ])('the item url: %s', (_what, url, editUrl) => {
    expect(mapItem(item({ url }), 's', context()).fields['dropmark.editURL']).toBe(editUrl);
  });
});

describe('the body from content', () => {
  it.each([
    ['a URL and words after it', 'https://example.com/x more', 'https://example.com/x more'],
    ['words and a URL after them', 'see https://example.com/x', 'see https://example.com/x'],
    ['a URL on its own line after text', 'text\nhttps://example.com/x', 'text\nhttps://example.com/x'],
  ])('%s is a body', (_what, content, body) => {
    const post = mapItem(item({ content }), 's', context());
    expect(post.body).toBe(body);
    expect(post.fields.description).toBe('A note');
  });
});

describe('a date that is no date is quoted short in the refusal', () => {
  it.each([
    ['x'.repeat(40), `"${'x'.repeat(40)}"`],
    ['y'.repeat(41), `"${'y'.repeat(40)}..."`],
  ])('%s', (text, quoted) => {
    expect(() => mapItem(item({ updatedAt: text }), 's', context())).toThrow(
      `item 5: its date ${quoted} is not a valid date (updated_at/created_at); ` +
        'the item is skipped until Dropmark gives a valid one',
    );
  });
});

describe('link and remote image: http(s) URLs only', () => {
  it.each([
    ['javascript:alert(1)//https://example.com', ''],
    ['JavaScript:alert(1)', ''],
    ['java\tscript:alert(1)', ''],
    ['data:text/html,<script>alert(1)</script>', ''],
    ['vbscript:msgbox(1)', ''],
    ['//evil.example/x', ''],
    ['example.com/page', ''],
    ['mailto:a@b.example', ''],
  ])('link %j is left out, with a warning naming the item', (link, written) => {
    const post = mapItem(item({ link }), 's', context());
    expect(post.fields.link).toBe(written);
    expect(post.fields.linkBrand).toBe('');
    expect(post.warnings).toEqual([`item 5: its link "${link}" is not an http(s) URL; it is left out`]);
  });

  it.each([
    ['https://example.com/a?b=1&c=2#x', 'https://example.com/a?b=1&c=2#x'],
    ['HTTP://Example.com/A', 'HTTP://Example.com/A'],
    // Not URI characters: written as the URL parser serializes them, so no quote ends a theme's href="...".
    [' https://example.com/a ', 'https://example.com/a'],
    ['https://example.com/"onmouseover="alert(1)', 'https://example.com/%22onmouseover=%22alert(1)'],
    ['https://example.com/<b>', 'https://example.com/%3Cb%3E'],
    // Nor a single quote, for a theme's href='...'.
    ["https://e.com/x'onmouseover='alert(1)", 'https://e.com/x%27onmouseover=%27alert(1)'],
    ["https://e.com/?q='a b'", 'https://e.com/?q=%27a%20b%27'],
  ])('link %j is written %j, without a warning', (link, written) => {
    const post = mapItem(item({ link }), 's', context());
    expect(post.fields.link).toBe(written);
    expect(post.warnings).toBeUndefined();
  });

  it('a remote image that is no http(s) URL is left out, with a warning', () => {
    const post = mapItem(item({ thumbnail: 'javascript:alert(1)' }), 's', context({ imageMode: 'remote' }));
    expect(post.fields.featuredImage).toBe('');
    expect(post.warnings).toEqual([
      'item 5: its thumbnail "javascript:alert(1)" is not an http(s) URL; it is left out',
    ]);
  });

  it('an edit URL that is no http(s) URL is replaced by the one built from the feed URL', () => {
    const post = mapItem(item({ url: 'javascript:alert(1)//5' }), 's', context());
    expect(post.fields['dropmark.editURL']).toBe('https://shah.dropmark.com/616548/5');
  });
});
