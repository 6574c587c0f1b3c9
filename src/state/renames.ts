import * as z from 'zod/mini';
import '../text/zod-english.js';
import { jsonText } from '../text/json-text.js';
import { stateName } from '../fs/name-parts.js';

/**
 * The renames a pass is making, written before the first post moves and removed once the pass
 * is done. A post is renamed by writing it under its new name, then removing the old one; a run
 * killed between the two leaves two files that claim one item. Without this journal the next
 * run could not tell the old half of that rename from a copy a person made (which is left
 * alone), so the old file would stay forever. With it, the file at the journal's old name is
 * known to be the tool's, and the rename is finished.
 */
export function renamesPath(contentDir: string): string {
  return `data/dropmark-sync/renaming-${stateName(contentDir)}.json`;
}

const renamesSchema = z.pipe(jsonText, z.record(z.string().check(z.regex(/^\d+$/)), z.string()));

/** Item id -> the relative path its file is being renamed from; empty when there is no readable journal. */
export function parseRenames(text: string | undefined): Map<string, string> {
  const parsed = renamesSchema.safeParse(text ?? '');
  return parsed.success ? new Map(Object.entries(parsed.data)) : new Map();
}

export function serializeRenames(renames: ReadonlyMap<string, string>): string {
  return `${JSON.stringify(Object.fromEntries(renames), null, 2)}\n`;
}
