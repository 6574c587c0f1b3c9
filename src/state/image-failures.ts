import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod/mini';
import '../text/zod-english.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { ImageBackoff, ImageFailureRecord } from '../images/backoff.js';
import type { Logger } from '../log.js';

const isoDate = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s))));
const fileSchema = z.object({
  images: z.record(
    z.string(),
    z.object({
      count: z.int().check(z.positive()),
      firstFailedAt: isoDate,
      lastFailedAt: isoDate,
      retryAt: isoDate,
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
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      logger.debug({ file, err: error }, 'image failure records unreadable; trying every image');
    return new Map();
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    logger.debug({ file }, 'image failure records are not in the expected shape; trying every image');
    return new Map();
  }
  return new Map(Object.entries(parsed.data.images));
}

export async function saveImageFailures(file: string, records: ImageBackoff): Promise<void> {
  const images = Object.fromEntries([...records].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify({ images }, null, 2)}\n`);
}
