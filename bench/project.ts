/**
 * A site project for the measured CLI (a config file and an empty site folder), and one measured
 * `dropmark-sync sync --config dropmark-sync.yaml` in it: the built CLI as a cron job runs it.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// The built package itself, as a user would load it.
import { loadConfig } from 'dropmark-sync';
import { type Measured, measureNode } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The CLI measured: this tree's build, or another's (BENCH_CLI=/elsewhere/dist/cli.js) for an A/B. */
export const CLI = process.env['BENCH_CLI'] ?? path.join(here, '..', '..', 'dist', 'cli.js');
/** Where the bookmark profile writes its posts (siteDir: site, the default contentDir). */
export const POSTS = 'site/content/post';
/** Node options for the measured CLI alone, to profile it: BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p". */
const nodeArgs = process.env['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];

export async function makeProject(root: string, feedUrl: string, images: 'none' | 'local'): Promise<string> {
  const cwd = await mkdtemp(path.join(root, `site-${images}-`));
  const config = [
    'siteDir: site',
    'collections:',
    `  - endpoint: ${feedUrl}`,
    `    images: { mode: ${images}, allowedHosts: ["127.0.0.1"], allowHttp: true }`,
    // A 100k-item feed is ~250 MB: above the default body limit and, on a slow VM, the timeout.
    'http: { retries: 0, allowPrivateNetworks: true, maxBodyBytes: 1073741824, timeoutMs: 600000 }',
    'deadlineMs: 3600000',
    'lockStaleMs: 7200000',
    '',
  ].join('\n');
  await writeFile(path.join(cwd, 'dropmark-sync.yaml'), config);
  return cwd;
}

export interface SyncRun extends Measured {
  result: string;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
  imagesDownloaded: number;
}

/** One measured sync; the counts come from the summary record the CLI logs last on stderr. */
export async function measureSync(cwd: string, statsFile: string, ...flags: string[]): Promise<SyncRun> {
  const run = await measureNode([...nodeArgs, CLI, 'sync', '--config', 'dropmark-sync.yaml', ...flags], {
    cwd,
    statsFile,
    env: { LOG_LEVEL: 'info' },
  });
  const last = run.stderr.trimEnd().split('\n').at(-1) ?? '';
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(last) as Record<string, unknown>;
  } catch {
    throw new Error(`the sync's last line of log is not its summary record:\n${run.stderr.slice(-2000)}`);
  }
  const collection = (record['collections'] as { result?: string }[] | undefined)?.[0];
  if (record['ok'] !== true) throw new Error(`the sync failed:\n${run.stderr.slice(-2000)}`);
  const count = (key: string) => Number(record[key] ?? Number.NaN);
  return {
    ...run,
    result: collection?.result ?? String(record['result']),
    created: count('created'),
    updated: count('updated'),
    deleted: count('deleted'),
    unchanged: count('unchanged'),
    failed: count('failed'),
    imagesDownloaded: count('imagesDownloaded'),
  };
}

/** The image download concurrency the CLI uses with this bench's config (http.concurrency's default). */
export async function imageConcurrency(root: string, feedUrl: string): Promise<number> {
  const cwd = await makeProject(root, feedUrl, 'local');
  const { config } = await loadConfig({ cwd, env: {}, overrides: { configFile: 'dropmark-sync.yaml' } });
  return config.http.concurrency;
}
