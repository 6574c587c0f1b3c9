import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/feed/parse.js';
import { mapItem, type MapContext } from '../../../src/map/item.js';
import { stackList } from '../../../src/map/stack-body.js';
import { assignSlugs } from '../../../src/map/unique-slugs.js';
import { feedItem } from '../../support/builders.js';

const FILE = 'https://cdn.example/1/bb/team-photo.jpg?Expires=1&Signature=s&Key-Pair-Id=k';
const context: MapContext = { feedUrl: 'https://me.dropmark.com/616548.json', imageMode: 'local', now: new Date(0) };
const item = (id: string, over: Partial<FeedItem> = {}): FeedItem => ({
  ...feedItem(id, `Item ${id}`),
  url: `https://me.dropmark.com/616548/${id}`,
  updatedAt: '2024-03-01 10:00:00 UTC',
  ...over,
});
const upload = (id: string, over: Partial<FeedItem> = {}) =>
  item(id, { kind: 'image', name: 'team-photo.jpg', content: FILE, link: FILE, mime: 'image/jpeg', ...over });
const slugs = (items: FeedItem[]) =>
  Object.fromEntries(assignSlugs(items, { existingById: new Map(), taken: new Set() }));

describe('an upload’s name comes from the item, not the CDN', () => {
  it('its title; its file name without the extension when the title is one or there is none', () => {
    expect(
      slugs([
        upload('1'),
        upload('2', { kind: 'other', name: 'Annual report 2023' }),
        upload('3', { kind: 'video', name: null, content: 'https://cdn.example/1/dd/launch%20video.mp4?Signature=x' }),
        upload('4', { kind: 'audio', name: 'interview.final.MP3' }),
      ]),
    ).toEqual({ '1': 'team-photo', '2': 'annual-report-2023', '3': 'launch-video', '4': 'interview-final' });
  });

  it('a link keeps its brand in its slug', () =>
    expect(slugs([item('5', { name: 'Interop | HIMSS', link: 'https://www.himss.org/x' })])).toEqual({
      '5': 'himss-interop',
    }));

  it('linkBrand is "" for an upload', () => expect(mapItem(upload('1'), 's', context).fields.linkBrand).toBe(''));
});

describe('an upload’s post', () => {
  it('links to the mirrored file, else to its Dropmark page; its body is not the file URL', () => {
    const mirrored = mapItem(upload('1'), 's', context, undefined, { file: '/files/team-photo.jpg' });
    expect([mirrored.fields.link, mirrored.body]).toEqual(['/files/team-photo.jpg', '']);
    const not = mapItem(upload('1', { kind: 'other' }), 's', context);
    expect([not.fields.link, not.body]).toEqual(['https://me.dropmark.com/616548/1', '']);
  });

  it('an uploaded image: mode local the mirrored image (its original), mode none ""', () => {
    const assets = { image: '/images/team-photo.jpg', file: '/images/team-photo.jpg' };
    expect(mapItem(upload('1'), 's', context, undefined, assets).fields.featuredImage).toBe('/images/team-photo.jpg');
    expect(mapItem(upload('1'), 's', { ...context, imageMode: 'none' }, undefined, assets).fields.featuredImage).toBe(
      '',
    );
  });
});

describe('a stack’s post (stacks: list)', () => {
  const stack = item('7', { kind: 'stack', name: 'Reading list', link: null, description: 'Things to read.' });
  const stackItems = [
    {
      item: item('8', { name: 'Inside *the* [stack] | Example', link: 'https://example.org/inside' }),
      image: '/img/8.jpg',
    },
    { item: upload('9', { name: 'whiteboard.png' }), file: '/files/whiteboard.png' },
    { item: upload('10', { kind: 'other', name: '{{< shortcode >}}' }) },
    { item: item('11', { kind: 'text', name: 'Notes', link: null, content: 'Some text' }) },
  ];

  it('its description, then its items in order: title (as text), link, image; sanitized as any body', () => {
    const post = mapItem(stack, 's', context, undefined, { stackItems });
    expect(post.body).toBe(
      'Things to read.\n\n' +
        '- [Inside \\*the\\* \\[stack\\]](https://example.org/inside) ![Inside \\*the\\* \\[stack\\]](/img/8.jpg)\n' +
        '- [whiteboard.png](/files/whiteboard.png)\n' +
        '- [{{</* shortcode */>}}](https://me.dropmark.com/616548/10)\n' +
        '- [Notes](https://me.dropmark.com/616548/11)\n',
    );
  });

  it('for kramdown (Jekyll), the same list with its text escaped for kramdown', () => {
    const post = mapItem(stack, 's', { ...context, kramdown: true }, undefined, { stackItems: stackItems.slice(1, 2) });
    expect(post.body).toBe('Things to read.\n\n- [whiteboard.png](/files/whiteboard.png)\n');
  });

  it('an item moved, added or removed changes the body', () => {
    const body = (items: typeof stackItems) => mapItem(stack, 's', context, undefined, { stackItems: items }).body;
    const [a, b] = stackItems as [(typeof stackItems)[0], (typeof stackItems)[0]];
    expect(new Set([body([a, b]), body([b, a]), body([a]), body([a, b, a])]).size).toBe(4);
  });

  it('stackList: "" without items; a title that looks like markup is text', () => {
    expect(stackList([])).toBe('');
    expect(stackList([{ title: '<b>1.</b> # x', link: '/a', image: '' }])).toBe('- [\\<b>1.\\</b> # x](/a)\n');
  });
});
