/**
 * What a post file's front matter means to the tool, shared by the writer (map, render) and
 * the reader of the site: the keys it manages, and how `dropmark.editURL` names the item. Here,
 * not in map/, so that reading the site does not depend on how posts are made.
 */

/** The front-matter keys the tool writes and owns; every other key is a person's, kept on update. */
export const MANAGED_KEY_LIST = [
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
] as const;

export type ManagedKey = (typeof MANAGED_KEY_LIST)[number];

/** The key that names the item a file belongs to, in every profile: how the tool finds its files. */
export const OWNER_KEY = 'dropmark.editURL';

export const MANAGED_KEYS: ReadonlySet<string> = new Set<string>(MANAGED_KEY_LIST);

/** The item id at the end of a `dropmark.editURL`, or undefined. */
export function itemIdFromEditUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const m = /\/0*(\d+)\/?(?:[?#].*)?$/.exec(url.trim());
  return m?.[1] && m[1] !== '' ? m[1] : undefined;
}
