import * as z from 'zod/mini';
import '../text/zod-english.js';
import { jsonText } from '../text/json-text.js';
import { MANAGED_KEY_LIST } from './post-keys.js';
import { stateName } from '../fs/name-parts.js';

/**
 * The front-matter keys and the file-name pattern the tool wrote a collection's files with
 * last, kept in the site beside them. When the profile or the mapping changes, the keys of the
 * earlier shape are still the tool's (replaced or removed) while every key a person added
 * stays; when the pattern changes, the files are renamed. A site without the record was
 * written with the bookmark keys and "{slug}.md" (before profiles) or not at all; a bookmark
 * site with the defaults never gets one (unless a person holds one of its keys in a file).
 *
 * `kept`: item id -> keys of the tool's shape that a person put into that item's file (the tool
 * had not written them there): they stay the person's, also once the record lists them as the
 * tool's, and once the shape no longer writes them (a profile switched back).
 */
export function frontMatterRecordPath(contentDir: string): string {
  return `data/dropmark-sync/front-matter-${stateName(contentDir)}.json`;
}

export interface FrontMatterRecord {
  fileName: string;
  keys: string[];
  kept?: Record<string, string[]>;
}

const BOOKMARK_RECORD: FrontMatterRecord = { fileName: '{slug}.md', keys: [...MANAGED_KEY_LIST].sort() };

const recordSchema = z.pipe(
  jsonText,
  z.strictObject({
    fileName: z.string(),
    keys: z.array(z.string()),
    kept: z.optional(z.record(z.string(), z.array(z.string()))),
  }),
);

/** The record, or the bookmark defaults when there is no readable one. */
export function parseFrontMatterRecord(text: string | undefined): FrontMatterRecord {
  const parsed = recordSchema.safeParse(text ?? '');
  return parsed.success ? parsed.data : BOOKMARK_RECORD;
}

/**
 * The record's text after a pass: the shape's keys and pattern, plus the earlier keys while
 * some owned file may still have them (a file locked, failed or not written this time; its name
 * too, so the earlier pattern is kept), and the keys a person holds in single files, where the
 * record lists them among the tool's. Undefined: no record is needed.
 */
export function nextFrontMatterRecord(
  before: string | undefined,
  current: FrontMatterRecord,
  everyFile: boolean,
): string | undefined {
  const earlier = parseFrontMatterRecord(before);
  const keys = (everyFile ? [...current.keys] : [...new Set([...current.keys, ...earlier.keys])]).sort();
  const fileName = everyFile ? current.fileName : earlier.fileName;
  const kept = keptWithin(current.kept ?? {}, new Set(keys));
  const same = (a: FrontMatterRecord) => a.fileName === fileName && a.keys.join('\n') === keys.join('\n');
  if (before === undefined && same(BOOKMARK_RECORD) && kept === undefined) return undefined;
  return `${JSON.stringify({ fileName, keys, ...(kept ? { kept } : {}) }, null, 2)}\n`;
}

/**
 * The record to write before the first post changes shape, when the record changes at all:
 * the earlier keys and this pass's, and the person's keys this pass found. A run killed before
 * its state files (written last) then leaves a record under which the files it did rewrite
 * hold only the tool's keys: without it, the next run would take the new keys in those files
 * for a person's, kept as written for good.
 */
export function interimFrontMatterRecord(before: string | undefined, current: FrontMatterRecord): string | undefined {
  const interim = nextFrontMatterRecord(before, current, false);
  return interim === before ? undefined : interim;
}

/** A person's keys that the record's keys would otherwise claim, by item id (ids and keys sorted); none: undefined. */
function keptWithin(kept: Readonly<Record<string, readonly string[]>>, keys: ReadonlySet<string>) {
  const out: Record<string, string[]> = {};
  for (const id of Object.keys(kept).sort()) {
    const own = [...new Set(kept[id])].filter((k) => keys.has(k)).sort();
    if (own.length > 0) out[id] = own;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
