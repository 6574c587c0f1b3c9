/**
 * New images from a CDN that answers each request after a fixed latency: the sync's wall time
 * against the floor for that many requests (ceil(count / concurrency) x latency), and its peak
 * RSS at two image sizes (it should not grow with them: downloads stream to files).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { jpeg } from '../test/support/images.js';
import { syntheticItems } from '../test/support/synthetic.js';
import { makeProject, measureSync, type SyncRun } from './project.js';
import type { Bench } from './sizes.js';

export interface ImageResult {
  count: number;
  bytes: number;
  latencyMs: number;
  concurrency: number;
  /** ceil(count / concurrency) x latency. */
  floorMs: number;
  runs: SyncRun[];
}

export async function measureImages(
  bench: Bench,
  shape: { count: number; bytes: number; latencyMs: number; concurrency: number },
): Promise<ImageResult> {
  const cdn = bench.feed.cdn;
  const items = syntheticItems({ count: shape.count, imageEvery: 1, seed: 99 });
  const heads = new Map(items.map((item) => [item.thumbnailPath ?? '', jpeg(item.thumbnailPath ?? '')]));
  for (const [p, head] of heads) cdn.put(p, head);
  // Each image is its own JPEG header and one shared filler: the bench process stays small.
  const headBytes = heads.values().next().value?.length ?? 0;
  cdn.suffix = Buffer.alloc(Math.max(0, shape.bytes - headBytes), 7);
  cdn.latencyMs = shape.latencyMs;
  bench.feed.serve(items);
  const runs: SyncRun[] = [];
  try {
    for (let i = 0; i < bench.runs(shape.count); i++) runs.push(await oneRun(bench, shape.count));
  } finally {
    cdn.objects.clear();
    cdn.suffix = undefined;
    cdn.latencyMs = 0;
  }
  const floorMs = Math.ceil(shape.count / shape.concurrency) * shape.latencyMs;
  return { ...shape, floorMs, runs };
}

async function oneRun(bench: Bench, count: number): Promise<SyncRun> {
  const cwd = await makeProject(bench.root, bench.feed.url, 'local');
  const run = await measureSync(cwd, path.join(bench.root, 'stats'));
  if (run.imagesDownloaded !== count || run.created !== count) {
    throw new Error(`images: ${run.imagesDownloaded} downloaded and ${run.created} created, not ${count}`);
  }
  bench.log(`  ${count} images: ${run.ms.toFixed(0)} ms, ${run.peakMb.toFixed(0)} MB`);
  await rm(cwd, { recursive: true, force: true });
  return run;
}
