/**
 * The values of one post, before rendering. Keys are exactly the front matter's managed keys (post-keys.ts): a
 * field written but not managed would be kept as a person's key on the next run, a managed key never written
 * removed. test/unit/map/item.test.ts checks both, in the types and in a mapped item.
 */
export interface PostFields {
  archetype: 'bookmark';
  categories?: string[];
  date: string;
  description: string;
  'dropmark.editURL': string;
  featuredImage: string;
  link: string;
  linkBrand: string;
  slug: string;
  socialScore: number;
  socialScoreSimulated: true;
  source: { name: 'Dropmark'; apiendpoint: string };
  title: string;
}

export interface Post {
  id: string;
  fields: PostFields;
  body: string;
  /**
   * When the item was created (created_at first, then updated_at, then the file's date): the generator
   * profiles' `date`, which must not move when the item is edited. `fields.date` is the reference schema's
   * (updated_at first), their "last modified" date.
   */
  created?: string;
  /** What was left out of the item's values and why (an unsafe link), for the log; absent when nothing was. */
  warnings?: string[];
}

/** What the mapping takes over from the item's file already on disk, to stay stable. */
export interface PreviousPost {
  socialScore?: number;
  date?: string;
}
