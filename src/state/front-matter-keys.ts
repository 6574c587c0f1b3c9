import * as z from 'zod/mini';
import '../zod-english.js';
import { jsonText } from '../json-text.js';
import { MANAGED_KEY_LIST } from '../post-keys.js';
import { stateName } from './names.js';

/**
 * The front-matter keys and the file-name pattern the tool wrote a collection's files with
 * last, kept in the site beside them. When the profile or the mapping changes, the keys of the
 * earlier shape are still the tool's (replaced or removed) while every key a person added
 * stays; when the pattern changes, the files are renamed. A site without the record was
 * written with the bookmark keys and "{slug}.md" (before profiles) or not at all; a bookmark
 * site with the defaults never gets one.
 */
export function frontMatterRecordPath(contentDir: string): string {
  return `data/dropmark-sync/front-matter-${stateName(contentDir)}.json`;
}

export interface FrontMatterRecord {
  fileName: string;
  keys: string[];
}

// Stryker disable next-line MethodExpression: MANAGED_KEY_LIST is written in sorted order already
const BOOKMARK_RECORD: FrontMatterRecord = { fileName: '{slug}.md', keys: [...MANAGED_KEY_LIST].sort() };

const recordSchema = z.pipe(jsonText, z.strictObject({ fileName: z.string(), keys: z.array(z.string()) }));

/** The record, or the bookmark defaults when there is no readable one. */
export function parseFrontMatterRecord(text: string | undefined): FrontMatterRecord {
  // Stryker disable next-line StringLiteral: any text that is no record reads as the defaults, as '' does
  const parsed = recordSchema.safeParse(text ?? '');
  return parsed.success ? parsed.data : BOOKMARK_RECORD;
}

/**
 * The record's text after a pass: the shape's keys and pattern, plus the earlier keys while
 * some owned file may still have them (a file locked, failed or not written this time; its name
 * too, so the earlier pattern is kept). Undefined: no record is needed.
 */
export function nextFrontMatterRecord(
  before: string | undefined,
  current: FrontMatterRecord,
  everyFile: boolean,
): string | undefined {
  const earlier = parseFrontMatterRecord(before);
  const keys = (everyFile ? [...current.keys] : [...new Set([...current.keys, ...earlier.keys])]).sort();
  const fileName = everyFile ? current.fileName : earlier.fileName;
  const same = (a: FrontMatterRecord) => a.fileName === fileName && a.keys.join('\n') === keys.join('\n');
  if (before === undefined && same(BOOKMARK_RECORD)) return undefined;
  return `${JSON.stringify({ fileName, keys }, null, 2)}\n`;
}
