/**
 * npm run bench: issue 26's measurements, each a whole process (the built CLI, `node dist/cli.js
 * sync --config ...`, spawned fresh and timed from spawn to exit) against a synthetic feed served
 * on 127.0.0.1, the median of several runs, the floor measured beside it in the same run. Prints
 * the targets (met or MISSED) and writes bench/RESULTS.md above its `<!-- history -->` marker.
 *
 * Subsets: BENCH_SIZES=10000 (default 1000,10000,100000; empty for none), BENCH_IMAGES=0 (default
 * 1000 images), BENCH_IMAGE_SIZES=20000,200000,2000000 (bytes), BENCH_LATENCY_MS=50, BENCH_RUNS (default 5
 * up to 10k items, 3 above), BENCH_EXTRAS=0 (no 1% changed, no --full no-op), BENCH_CLI (another
 * build's dist/cli.js), BENCH_NODE_ARGS (Node options for the measured CLI, e.g. to profile it),
 * BENCH_WRITE=1/0 (RESULTS.md is written by default only for the full set).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BenchFeed } from './feed.js';
import { type ImageResult, measureImages } from './images.js';
import { imageConcurrency } from './project.js';
import { bytesText, growthTable, imageTable, type Results } from './report.js';
import { writeResults } from './results-file.js';
import { type Bench, measureSize, type SizeResult } from './sizes.js';
import { targets } from './targets.js';

const env = process.env;
const list = (value: string) =>
  value
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
const sizes = list(env['BENCH_SIZES'] ?? '1000,10000,100000');
const imageCount = Number(env['BENCH_IMAGES'] ?? 1000);
const imageSizes = list(env['BENCH_IMAGE_SIZES'] ?? '20000,200000,2000000');
const latencyMs = Number(env['BENCH_LATENCY_MS'] ?? 50);
const fixedRuns = env['BENCH_RUNS'] ? Number(env['BENCH_RUNS']) : undefined;
const subset = [
  'BENCH_SIZES',
  'BENCH_IMAGES',
  'BENCH_IMAGE_SIZES',
  'BENCH_LATENCY_MS',
  'BENCH_EXTRAS',
  'BENCH_CLI',
  'BENCH_NODE_ARGS',
];
const write = env['BENCH_WRITE'] ? env['BENCH_WRITE'] === '1' : !subset.some((k) => env[k] !== undefined);

const root = await mkdtemp(path.join(tmpdir(), 'dms-bench-'));
const feed = await BenchFeed.start();
const bench: Bench = {
  feed,
  root,
  runs: (items) => fixedRuns ?? (items <= 10_000 ? 5 : 3),
  extras: env['BENCH_EXTRAS'] !== '0',
  log: (line) => process.stderr.write(`${line}\n`),
};
try {
  const results: Results = { sizes: await measureSizes(), images: await measureAllImages(), command: commandText() };
  const lines = targets(results);
  const tables = [growthTable(results.sizes), ...(results.images.length ? [imageTable(results.images)] : [])];
  process.stderr.write(`\n${tables.join('\n\n')}\n`);
  process.stderr.write(`\nTargets (issue 26):\n${lines.map((l) => `- ${l}`).join('\n')}\n`);
  if (write) await writeResults(results, lines);
  process.stderr.write(write ? 'written: bench/RESULTS.md\n' : 'bench/RESULTS.md left as it was (a subset)\n');
} finally {
  await feed.close();
  await rm(root, { recursive: true, force: true });
}

async function measureSizes(): Promise<SizeResult[]> {
  const out: SizeResult[] = [];
  for (const n of sizes) out.push(await measureSize(bench, n));
  return out;
}

async function measureAllImages(): Promise<ImageResult[]> {
  if (imageCount <= 0) return [];
  const concurrency = await imageConcurrency(root, feed.url);
  const out: ImageResult[] = [];
  for (const bytes of imageSizes) {
    bench.log(`${imageCount} images of ${bytesText(bytes)}, CDN latency ${latencyMs} ms, concurrency ${concurrency}`);
    out.push(await measureImages(bench, { count: imageCount, bytes, latencyMs, concurrency }));
  }
  return out;
}

function commandText(): string {
  const set = [...subset, 'BENCH_RUNS'].filter((k) => env[k] !== undefined).map((k) => `${k}=${env[k]}`);
  return [...set, 'npm run bench'].join(' ');
}
