import path from 'node:path';
import * as z from 'zod/mini';
import '../text/zod-english.js';
import { StateFileError } from '../errors.js';
import { dateText, readJsonFile, writeJsonFile } from './json-file.js';

const RESULTS = ['ok', 'degraded', 'failed', 'stopped'] as const;
const COLLECTION_RESULTS = ['ok', 'degraded', 'failed', 'stopped', 'not-modified', 'unchanged-feed'] as const;
const count = z.int().check(z.nonnegative());

/** What `status` reads: the last run's outcome, for a cron monitor or a Kubernetes probe. Checked when read back. */
const heartbeatSchema = z.object({
  version: z.string(),
  startedAt: dateText,
  finishedAt: dateText,
  durationMs: z.number().check(z.nonnegative()),
  result: z.enum(RESULTS),
  /** Items whose image is missing (a degraded run). */
  imagesMissing: z._default(count, 0),
  /** When the last run that was not failed nor stopped finished. */
  lastSuccessAt: z.optional(dateText),
  /** When the current run of failures began (the first failed run's start). */
  failingSince: z.optional(dateText),
  /** Failed runs in a row, this one included. */
  consecutiveFailures: z._default(count, 0),
  collections: z.array(
    z.object({
      endpoint: z.string(),
      result: z.enum(COLLECTION_RESULTS),
      created: count,
      updated: count,
      deleted: count,
      unchanged: count,
      failed: count,
      imagesMissing: z._default(count, 0),
      error: z.optional(z.string()),
      /** The feed listed fewer items than the collection holds: nothing was deleted. */
      partialFeed: z.optional(z.object({ listed: count, total: count })),
    }),
  ),
});

export type Heartbeat = z.infer<typeof heartbeatSchema>;

/** What one run knows of itself; the history fields come from the previous heartbeat. */
export type RunRecord = Omit<Heartbeat, 'lastSuccessAt' | 'failingSince' | 'consecutiveFailures'>;

/**
 * Pure: the heartbeat after `run`, carrying the history a monitor needs: the last success
 * (ok or degraded) and, while failing, since when and how many runs in a row. A stopped run
 * changes no history.
 */
export function nextHeartbeat(previous: Heartbeat | undefined, run: RunRecord): Heartbeat {
  const history = {
    ...(previous?.lastSuccessAt ? { lastSuccessAt: previous.lastSuccessAt } : {}),
    ...(previous?.failingSince ? { failingSince: previous.failingSince } : {}),
    consecutiveFailures: previous?.consecutiveFailures ?? 0,
  };
  if (run.result === 'ok' || run.result === 'degraded')
    return { ...run, lastSuccessAt: run.finishedAt, consecutiveFailures: 0 };
  if (run.result === 'failed') {
    return {
      ...run,
      ...history,
      failingSince: history.failingSince ?? run.startedAt,
      consecutiveFailures: history.consecutiveFailures + 1,
    };
  }
  return { ...run, ...history };
}

export const heartbeatFile = (cacheDir: string) => path.join(cacheDir, 'last-run.json');

export async function writeHeartbeat(cacheDir: string, heartbeat: Heartbeat): Promise<void> {
  await writeJsonFile(heartbeatFile(cacheDir), heartbeat);
}

/** The last heartbeat, or undefined when no run has written one; a StateFileError when the file is not one. */
export async function readHeartbeat(cacheDir: string): Promise<Heartbeat | undefined> {
  const file = heartbeatFile(cacheDir);
  const read = await readJsonFile(file, heartbeatSchema);
  switch (read.kind) {
    case 'read':
      return read.data;
    case 'missing':
      return undefined;
    case 'unreadable':
      throw new StateFileError(`cannot read ${file} (${read.error.code ?? read.error.message})`, { file });
    case 'not-json':
      throw new StateFileError(
        `${file} is not valid JSON; it is not a heartbeat the tool wrote (the next sync replaces it)`,
        { file },
      );
    case 'wrong-shape': {
      const where = read.issue && read.issue.path.length > 0 ? ` at ${read.issue.path.join('.')}` : '';
      throw new StateFileError(
        `${file} is not a heartbeat the tool wrote (${read.issue?.message ?? 'wrong shape'}${where}); ` +
          'the next sync replaces it',
        { file },
      );
    }
  }
}
