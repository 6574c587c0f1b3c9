/** The values of one post, before rendering. Keys are the front matter's managed keys. */
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

export const MANAGED_KEYS: ReadonlySet<string> = new Set<keyof PostFields>([
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
]);

export interface Post {
  id: string;
  fields: PostFields;
  body: string;
}

/** What the mapping takes over from the item's file already on disk, to stay stable. */
export interface PreviousPost {
  socialScore?: number;
  date?: string;
}
