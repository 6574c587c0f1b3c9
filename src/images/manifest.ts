import * as z from 'zod/mini';
import '../text/zod-english.js';
import { jsonText } from '../text/json-text.js';

/**
 * The images this tool wrote, kept in the site beside the content (it changes only when an
 * image changes, so it is fine to commit, and it reads well in a diff): file name -> the
 * image's identity (its URL without the signature), size and hash. Without it, images are
 * downloaded again and compared, never trusted; only files listed here are ever deleted.
 */
export interface ImageManifest {
  files: Record<string, ImageRecord>;
}

export interface ImageRecord {
  source: string;
  bytes: number;
  sha256: string;
}

const recordSchema = z.object({ source: z.string(), bytes: z.int().check(z.nonnegative()), sha256: z.string() });

// Entries are checked one by one below: one damaged entry costs one download, not all of them.
const manifestSchema = z.pipe(jsonText, z.object({ files: z.record(z.string(), z.unknown()) }));

/**
 * The manifest as read back from the site. What is not a manifest (no file, broken JSON, another
 * shape) is an empty one, and an entry that is damaged or names a file the tool would never
 * write is left out: those images are downloaded again and compared, never trusted.
 */
export function parseManifest(text: string | undefined, safe: (name: string) => boolean = safeName): ImageManifest {
  const parsed = manifestSchema.safeParse(text ?? '');
  const files: Record<string, ImageRecord> = {};
  if (!parsed.success) return { files };
  for (const [name, raw] of Object.entries(parsed.data.files)) {
    const record = recordSchema.safeParse(raw);
    if (record.success && safe(name)) files[name] = record.data;
  }
  return { files };
}

/** Deterministic text: names sorted, two-space JSON, a final newline. */
export function serializeManifest(manifest: ImageManifest): string {
  const files: Record<string, ImageRecord> = {};
  for (const name of Object.keys(manifest.files).sort()) {
    const r = manifest.files[name] as ImageRecord;
    files[name] = { source: r.source, bytes: r.bytes, sha256: r.sha256 };
  }
  return `${JSON.stringify({ files }, null, 2)}\n`;
}

/**
 * Only plain names the tool itself would write: no separators, no dot files. An image is named after its post's
 * slug, which may hold the lower-case and caseless letters of any script, their marks and digits (map/slugify.ts).
 */
const SAFE_BASE = '[\\p{Ll}\\p{Lo}\\p{Lm}\\p{Nd}][-\\p{Ll}\\p{Lo}\\p{Lm}\\p{M}\\p{Nd}]*';
const SAFE_IMAGE_NAME = new RegExp(`^${SAFE_BASE}\\.(?:jpg|jpeg|png|gif|webp|svg)$`, 'u');
/** An uploaded file's name: the same base as an image's (a slug of any script), any extension of letters/digits. */
const SAFE_FILE_NAME = new RegExp(`^${SAFE_BASE}\\.[a-z0-9]{1,10}$`, 'u');

export function safeName(name: string): boolean {
  return SAFE_IMAGE_NAME.test(name);
}

/**
 * Only plain names the tool itself would write for an uploaded file: no separators, no dot
 * files, an extension the bytes were identified as (files.types may change: a file of a type
 * no longer allowed is still known, and removed when nothing points to it).
 */
export function safeFileName(name: string): boolean {
  return SAFE_FILE_NAME.test(name);
}
