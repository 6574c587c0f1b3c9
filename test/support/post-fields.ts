import type { PostFields } from '../../src/map/post.js';

/** The bookmark profile's keys (the reference schema), sorted, written out: what its posts hold. */
export const BOOKMARK_KEYS: string[] = [
  'archetype',
  'categories',
  'date',
  'description',
  'dropmark.editURL',
  'featuredImage',
  'link',
  'linkBrand',
  'slug',
  'socialScore',
  'socialScoreSimulated',
  'source',
  'title',
];

/** A bookmark post's fields with short, plain values: the renderers' tests start from it. */
export const PLAIN_FIELDS: PostFields = {
  archetype: 'bookmark',
  date: '2019-02-26T11:47:13Z',
  description: '',
  'dropmark.editURL': 'https://x.dropmark.com/1/7',
  featuredImage: '',
  link: 'https://example.com/a',
  linkBrand: 'example.com',
  slug: 's',
  socialScore: 3,
  socialScoreSimulated: true,
  source: { name: 'Dropmark', apiendpoint: 'https://x.dropmark.com/1.json' },
  title: 'T',
};
