import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What `status` reads: the last run's outcome, for a cron monitor or a Kubernetes probe. */
export interface Heartbeat {
  version: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  result: 'ok' | 'failed' | 'stopped';
  collections: {
    endpoint: string;
    result: 'ok' | 'failed' | 'stopped' | 'not-modified' | 'unchanged-feed';
    created: number;
    updated: number;
    deleted: number;
    unchanged: number;
    failed: number;
    error?: string;
  }[];
}

export const heartbeatFile = (cacheDir: string) => path.join(cacheDir, 'last-run.json');

export async function writeHeartbeat(cacheDir: string, heartbeat: Heartbeat): Promise<void> {
  const file = heartbeatFile(cacheDir);
  await mkdir(cacheDir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(heartbeat, null, 2)}\n`);
  await rename(temp, file);
}

export async function readHeartbeat(cacheDir: string): Promise<Heartbeat | undefined> {
  try {
    return JSON.parse(await readFile(heartbeatFile(cacheDir), 'utf8')) as Heartbeat;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
