import { hash } from 'node:crypto';
import * as z from 'zod/mini';
import '../text/zod-english.js';
import { jsonText } from '../text/json-text.js';

/** The first 16 hex digits of the body's SHA-256 (one call per rendered post: the one-shot form, no Hash object). */
export function bodyHash(body: string): string {
  return hash('sha256', body, 'hex').slice(0, 16);
}

// Entries are checked one by one below: a damaged entry loses the hand edit of one item at most, not of all.
const bodiesSchema = z.pipe(jsonText, z.record(z.string(), z.unknown()));
const entrySchema = z.tuple([z.string().check(z.regex(/^\d+$/)), z.string()]);

/**
 * Item id -> body hash, as read back from the site. What is not such a file (no file, broken
 * JSON, another shape) is as if lost, and so is each damaged entry: there, the feed's body wins.
 */
export function parseBodies(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const parsed = bodiesSchema.safeParse(text ?? '');
  if (!parsed.success) return out;
  for (const entry of Object.entries(parsed.data)) {
    const checked = entrySchema.safeParse(entry);
    if (checked.success) out.set(...checked.data);
  }
  return out;
}

/** One line per item, in numeric id order, so a diff shows just the items whose bodies changed. */
export function serializeBodies(bodies: ReadonlyMap<string, string>): string {
  const ids = [...bodies.keys()].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  if (ids.length === 0) return '{}\n';
  return `{\n${ids.map((id) => `  ${JSON.stringify(id)}: ${JSON.stringify(bodies.get(id))}`).join(',\n')}\n}\n`;
}
