import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod/mini';
import '../zod-english.js';
import { writeFileAtomic } from '../apply/atomic-write.js';

const feedStateSchema = z.object({
  /** Hash of the collection's config and the tool's version: another value means another job. */
  key: z.string(),
  etag: z.optional(z.string()),
  lastModified: z.optional(z.string()),
  /** Hash of the feed body with the thumbnails' signature parameters removed (where they do not matter). */
  feedHash: z.string(),
  /** Names, sizes, inodes and mtimes (or git ids) of the owned files after that sync. */
  siteFingerprint: z.string(),
  /** What a full pass would count on the unchanged site: unchanged files, and locked files left alone. */
  files: z.int().check(z.nonnegative()),
  skipped: z.optional(z.int().check(z.nonnegative())),
  /** A degraded pass: the items whose image is missing, so a cached run reports them too. */
  imagesMissing: z.optional(z.array(z.object({ itemId: z.string(), reason: z.string() }))),
  /** Files left alone because another file claims their item (site/claims.ts), so a cached run names them too. */
  duplicates: z.optional(
    z.array(
      z.object({ file: z.string(), itemId: z.string(), toolFile: z.string(), itemGone: z.optional(z.boolean()) }),
    ),
  ),
  /** When the first missing image may be tried again: from then on the cache is not trusted. */
  retryImagesAt: z.optional(z.string()),
  savedAt: z.string(),
});

/** What a collection's last complete sync left behind, to make the next poll cheap. */
export type FeedState = z.infer<typeof feedStateSchema>;

/**
 * One file per site, content dir and feed. The site is named by its path from the cache
 * folder, not by its absolute path: a clone of the site elsewhere (a CI runner) with its cache
 * restored beside it finds its state again.
 */
export function stateFile(cacheDir: string, siteDir: string, contentDir: string, endpoint: string): string {
  const site = path.relative(path.resolve(cacheDir), path.resolve(siteDir));
  const id = createHash('sha256').update(`${site}\0${contentDir}\0${endpoint}`).digest('hex');
  return path.join(cacheDir, 'feeds', `${id.slice(0, 16)}.json`);
}

/** A missing or unreadable state file is no state: it costs a full sync, never a wrong result. */
export async function loadFeedState(file: string): Promise<FeedState | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = feedStateSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

export async function saveFeedState(file: string, state: FeedState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // The tool's one atomic write: an exclusive temp file (a planted symlink is not followed), then a rename.
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}

// Only the values go: what is left is the same for every signature of the same image.
const SIGNATURE_PARAM = /(?<=[?&])(?:Expires|Signature|Key-Pair-Id|Policy)=[^&"\\\s]*/g;

/**
 * Dropmark re-signs every thumbnail URL each time it renders the feed, so the body changes
 * on every fetch while nothing real changed. Where the signature does not end up in a file
 * (image mode none or local), it is taken out before hashing.
 */
export function feedHash(body: Buffer | string, stripSignatures: boolean): string {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  // Only a feed that has signatures is turned into text (a large feed costs a copy or two).
  if (!stripSignatures || (bytes.indexOf('Expires=') === -1 && bytes.indexOf('Signature=') === -1)) {
    return createHash('sha256').update(bytes).digest('hex');
  }
  const text = bytes
    .toString('utf8')
    .replace(/\\u0026/g, '&')
    .replace(SIGNATURE_PARAM, '');
  return createHash('sha256').update(text).digest('hex');
}

export function configKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}
