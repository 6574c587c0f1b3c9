import type { CollectionConfig } from '../config/schema.js';
import { shapeOf, Timestamp } from '../frontmatter/profiles.js';
import { frontMatterEntries } from '../map/front-matter-entries.js';
import type { PostFields } from '../map/post.js';

/** What a key of an entry holds, for a generator's schema of the entries (the types a site's code sees). */
export type ValueKind = 'date' | 'string' | 'number' | 'boolean' | 'strings' | 'list' | 'record';

export interface EntryKey {
  key: string;
  kind: ValueKind;
  /** Absent from some entries: an image key of an item without one, bookmark's categories of an item without tags. */
  optional: boolean;
}

/**
 * The keys an entry's data has under the collection's profile and mapping, in the profile's order:
 * worked out by mapping two posts, one with every value and one with none that may be left out, so
 * the schema cannot drift from what frontMatterEntries writes.
 */
export function entryKeys(collection: CollectionConfig): EntryKey[] {
  const shape = shapeOf(collection);
  const full = frontMatterEntries(samplePost(true), shape, '1');
  const bare = new Set(frontMatterEntries(samplePost(false), shape, '1').map(([key]) => key));
  return full.map(([key, value]) => ({ key, kind: kindOf(value), optional: !bare.has(key) }));
}

function samplePost(everything: boolean): PostFields {
  return {
    archetype: 'bookmark',
    ...(everything ? { categories: ['tag'] } : {}),
    date: '2020-01-01T00:00:00Z',
    description: '',
    'dropmark.editURL': 'https://app.dropmark.com/items/1',
    featuredImage: everything ? '/img/post.jpg' : '',
    link: '',
    linkBrand: '',
    slug: 'post',
    socialScore: 0,
    socialScoreSimulated: true,
    source: { name: 'Dropmark', apiendpoint: '' },
    title: '',
  };
}

function kindOf(value: unknown): ValueKind {
  if (value instanceof Timestamp) return 'date';
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? 'strings' : 'list';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (value !== null && typeof value === 'object') return 'record';
  return 'string';
}
