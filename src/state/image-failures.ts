import * as z from 'zod/mini';
import '../text/zod-english.js';
import type { ImageBackoff, ImageFailureRecord } from '../images/backoff.js';
import type { Logger } from '../log.js';
import { dateText, readJsonFile, writeJsonFile } from './json-file.js';

const fileSchema = z.object({
  images: z.record(
    z.string(),
    z.object({
      count: z.int().check(z.positive()),
      firstFailedAt: dateText,
      lastFailedAt: dateText,
      retryAt: dateText,
      reason: z.string(),
      config: z.optional(z.string()),
      policy: z.optional(z.literal(true)),
    }),
  ),
});

/** Beside the collection's feed state: `<cacheDir>/feeds/<id>.images.json` (uploaded files: `.files.json`). */
export function imageFailuresFile(feedStateFile: string, what: 'images' | 'files' = 'images'): string {
  return feedStateFile.replace(/\.json$/, `.${what}.json`);
}

/**
 * The images that failed and when each may be tried again. Kept in the cache, not in the
 * site: it is the tool's bookkeeping, not content to review. A missing or damaged file is
 * no record (the images are simply tried again), said in a debug line.
 */
export async function loadImageFailures(file: string, logger: Logger): Promise<Map<string, ImageFailureRecord>> {
  const read = await readJsonFile(file, fileSchema);
  if (read.kind === 'read') return new Map(Object.entries(read.data.images));
  if (read.kind === 'unreadable')
    logger.debug({ file, err: read.error }, 'image failure records unreadable; trying every image');
  else if (read.kind !== 'missing')
    logger.debug({ file }, 'image failure records are not in the expected shape; trying every image');
  return new Map();
}

export async function saveImageFailures(file: string, records: ImageBackoff): Promise<void> {
  const images = Object.fromEntries([...records].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await writeJsonFile(file, { images });
}
