import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod/mini';
import '../text/zod-english.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { readNoFollow } from '../fs/no-follow.js';
import { jsonText } from '../text/json-text.js';

/**
 * A JSON file the tool keeps in its cache folder (the heartbeat, a feed's state, the failed
 * downloads), as read back. Each reader decides what a damaged one means: an error for
 * `status`, no cache for a sync. `missing`: no such file, which is no damage.
 */
export type JsonFileRead<T> =
  | { kind: 'read'; data: T }
  | { kind: 'missing' }
  | { kind: 'unreadable'; error: NodeJS.ErrnoException }
  | { kind: 'not-json' }
  | { kind: 'wrong-shape'; issue: z.core.$ZodIssue | undefined };

/** A date as the state files write it (`toISOString`): any text `Date.parse` cannot read is a damaged file. */
export const dateText = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), { error: 'must be a date' }));

/**
 * Reads `file` and checks it against `schema`; never throws. Never through a symbolic link, and
 * never waiting on a FIFO or a device (fs/no-follow.ts): a cache folder may be a stranger's.
 */
export async function readJsonFile<T>(file: string, schema: z.ZodMiniType<T>): Promise<JsonFileRead<T>> {
  let text: string;
  try {
    text = (await readNoFollow(file)).text;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return e.code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unreadable', error: e };
  }
  const json = jsonText.safeParse(text);
  if (!json.success) return { kind: 'not-json' };
  const parsed = schema.safeParse(json.data);
  return parsed.success ? { kind: 'read', data: parsed.data } : { kind: 'wrong-shape', issue: parsed.error.issues[0] };
}

/**
 * Writes `data` as two-space JSON with a final newline, atomically (an exclusive temp file, so a
 * planted symlink is not followed, then a rename), creating the folder first.
 */
export async function writeJsonFile(file: string, data: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
}
