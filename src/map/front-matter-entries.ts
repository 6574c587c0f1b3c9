import {
  isReference,
  PROFILES,
  profileKeys,
  Timestamp,
  type FrontMatterShape,
  type SourceField,
} from '../frontmatter/profiles.js';
import type { PostFields } from './post.js';

/** A front-matter key and its value, in the order the profile writes them. */
export type FrontMatterEntry = [key: string, value: unknown];

/**
 * Pure: a post's values as the keys its collection's profile writes, then the mapping
 * (rename, drop, add) applied in that order. Values that are dates come as `Timestamp`.
 * `created`: when the item was created, the generator profiles' `date` (fields.date otherwise).
 */
export function frontMatterEntries(
  fields: PostFields,
  shape: FrontMatterShape,
  id: string,
  created = fields.date,
): FrontMatterEntry[] {
  const source = sourceValues(fields, id, created);
  const own = profileKeys(shape.profile);
  // The reference schema: the post's fields as they are, in their order (a TOML file keeps it).
  let entries: FrontMatterEntry[] = isReference(shape.profile)
    ? Object.entries(fields).map(([k, v]): FrontMatterEntry => [k, k === 'date' ? source.updated : v])
    : PROFILES[shape.profile].keys.map((k): FrontMatterEntry => [k.key, 'from' in k ? source[k.from] : k.value]);
  entries = entries.filter(([, v]) => v !== undefined);
  const { rename, drop, add } = shape.mapping;
  entries = entries.map(([k, v]): FrontMatterEntry => [rename[k] ?? k, v]);
  for (const [from, to] of Object.entries(rename)) {
    const value = own.includes(from) ? undefined : source[from as SourceField];
    if (value !== undefined) entries.push([to, value]);
  }
  entries = entries.filter(([k]) => !drop.includes(k));
  for (const [k, v] of Object.entries(add)) entries.push([k, v]);
  return entries;
}

/** What a profile key or a rename can be made of. `image` is absent when the item has none. */
function sourceValues(fields: PostFields, id: string, created: string): Record<SourceField, unknown> {
  return {
    title: fields.title,
    date: new Timestamp(created),
    updated: new Timestamp(fields.date),
    link: fields.link,
    tags: fields.categories ?? [],
    description: fields.description,
    image: fields.featuredImage === '' ? undefined : fields.featuredImage,
    editURL: fields['dropmark.editURL'],
    slug: fields.slug,
    linkBrand: fields.linkBrand,
    socialScore: fields.socialScore,
    id,
    source: fields.source,
  };
}
