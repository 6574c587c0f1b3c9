import { parseFeed, type FeedItem, type ParsedFeed } from '../../src/feed/parse.js';
import type { ImagePlanInput } from '../../src/plan/image-plan.js';
import type { ExistingFile, SiteSnapshot } from '../../src/site/read.js';
import type { WantedFile } from '../../src/plan/post-plan.js';

export const TEST_ENDPOINT = 'https://me.dropmark.com/616548.json';

/** A parsed feed item with an id, a name and a link, and nothing else: the slug tests' input. */
export const feedItem = (id: string, name: string, link = 'https://www.example.com/x'): FeedItem => ({
  id,
  name,
  link,
  description: null,
  content: null,
  thumbnail: null,
  tags: [],
  createdAt: null,
  updatedAt: null,
  url: null,
  kind: 'link',
  mime: null,
  size: null,
  parentId: null,
});

/** The feed of these raw items as the stages get it: each has a link and an edit URL from its id, then `common`. */
export function feedWith(common: Record<string, unknown>, items: readonly { id: number }[]): ParsedFeed {
  const raw = items.map((i) => ({
    link: `https://example.com/${i.id}`,
    url: `https://me.dropmark.com/616548/${i.id}`,
    ...common,
    ...i,
  }));
  return parseFeed(JSON.stringify({ items: raw }), TEST_ENDPOINT);
}

/** A post file of the site as readSite gives it: front matter with a title only, unless `over` says more. */
export const existingFile = (name: string, id: string | undefined, over: Partial<ExistingFile> = {}): ExistingFile => ({
  name,
  relPath: `content/post/${name}.md`,
  text: `---\ntitle: ${name}\n---\n`,
  textHash: undefined,
  lineEnd: '\n',
  id,
  data: {},
  body: '',
  locked: false,
  extraKeys: {},
  socialScore: undefined,
  socialScoreSimulated: false,
  date: undefined,
  ...over,
});

/** A content folder as read: its owned and foreign files, nothing else found in it unless `over` says so. */
export const siteSnapshot = (files: ExistingFile[] = [], over: Partial<SiteSnapshot> = {}): SiteSnapshot => ({
  files,
  strayTempFiles: [],
  warnings: [],
  unreadable: [],
  blocked: [],
  notUtf8: [],
  ...over,
});

/** An image's manifest record named by its hash: `src-<sha>` as its source. */
export const imageRecord = (sha: string, bytes = 3) => ({ source: `src-${sha}`, bytes, sha256: sha });

/** The image plan's input for a folder with nothing in it yet; `over` sets what a test is about. */
export const imagePlanInput = (over: Partial<ImagePlanInput>): ImagePlanInput => ({
  relDir: 'static/img',
  downloaded: new Map(),
  before: { files: {} },
  after: { files: {} },
  present: new Map(),
  referenced: new Set(),
  removeOrphans: true,
  manifestRelPath: 'data/m.json',
  manifestBefore: undefined,
  ...over,
});

/** The text a rendering wants written for a post; undefined for a post found to be its file as it is. */
export const wantedText = (want: WantedFile | undefined): string | undefined =>
  want !== undefined && 'text' in want ? want.text : undefined;
