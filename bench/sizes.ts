/**
 * The scenarios at one feed size: the full sync beside its floor (interleaved runs), the no-op of
 * a re-signed feed without ETag, the 304 poll beside `node -e 0`, and (BENCH_EXTRAS) the 1%
 * changed feed and the --full no-op.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { revise, syntheticItems, type SyntheticItem } from '../test/support/synthetic.js';
import type { BenchFeed } from './feed.js';
import { type Measured, measureNode } from './measure.js';
import { makeProject, measureSync, POSTS, type SyncRun } from './project.js';

const floorScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'floor.js');

export interface Bench {
  feed: BenchFeed;
  /** A temp folder for every project and stats file of this bench. */
  root: string;
  runs: (items: number) => number;
  extras: boolean;
  log: (line: string) => void;
}

export interface SizeResult {
  items: number;
  feedMb: number;
  full: SyncRun[];
  /** floor[i] ran right after full[i]. */
  floor: Measured[];
  noop: SyncRun[];
  poll: SyncRun[];
  /** `node -e 0`, each right before a 304 poll. */
  bare: Measured[];
  changed?: SyncRun;
  fullNoop?: SyncRun;
}

const stats = (bench: Bench) => path.join(bench.root, 'stats');

/** Before each measured run: the last run's dirty pages written out, so no run pays for another's. */
function settle(): void {
  execFileSync('sync');
}

export async function measureSize(bench: Bench, n: number): Promise<SizeResult> {
  const items = syntheticItems({ count: n, seed: n, imageEvery: 1 });
  bench.feed.serve(items);
  const feedMb = bench.feed.body.length / 2 ** 20;
  bench.log(`${n} items: feed of ${feedMb.toFixed(1)} MB, every item with a signed thumbnail (images: none)`);
  const { full, floor, cwd } = await fullAndFloor(bench, n);
  const noop = await resignedNoops(bench, cwd, n);
  const { poll, bare } = await polls(bench, cwd, items);
  const extra = bench.extras ? await extras(bench, cwd, items, n) : {};
  await rm(cwd, { recursive: true, force: true });
  return { items: n, feedMb, full, floor, noop, poll, bare, ...extra };
}

/** Full syncs into fresh sites, each followed by the floor: the disk's drift hits both alike. */
async function fullAndFloor(bench: Bench, n: number) {
  const full: SyncRun[] = [];
  const floor: Measured[] = [];
  let cwd = '';
  let input: string[] = [];
  for (let i = 0; i < bench.runs(n); i++) {
    if (cwd) await rm(cwd, { recursive: true, force: true });
    cwd = await makeProject(bench.root, bench.feed.url, 'none');
    settle();
    const run = expect(await measureSync(cwd, stats(bench)), 'full sync', (r) => r.created === n && r.failed === 0);
    full.push(run);
    if (i === 0) input = await floorInput(bench, cwd);
    floor.push(await measureFloor(bench, input, n));
    bench.log(`  full sync ${ms(run)} (${mb(run)}), floor ${ms(floor.at(-1))} (${mb(floor.at(-1))})`);
  }
  return { full, floor, cwd };
}

/** The feed as served and the texts the sync wrote: one blob and an index of names and lengths. */
async function floorInput(bench: Bench, cwd: string): Promise<string[]> {
  const dir = await mkdtemp(path.join(bench.root, 'floor-input-'));
  const posts = path.join(cwd, POSTS);
  const names = await readdir(posts);
  // One at a time: 100k files at once would pass the open-files limit.
  const texts = names.map((name) => readFileSync(path.join(posts, name)));
  const files = ['feed.json', 'texts.bin', 'index.json'].map((f) => path.join(dir, f));
  const [feedFile, textsFile, indexFile] = files as [string, string, string];
  await writeFile(feedFile, bench.feed.body);
  await writeFile(textsFile, Buffer.concat(texts));
  await writeFile(indexFile, JSON.stringify(names.map((name, i) => [name, texts[i]?.length ?? 0])));
  return [feedFile, textsFile, indexFile];
}

async function measureFloor(bench: Bench, [feed, texts, index]: string[], n: number): Promise<Measured> {
  const out = await mkdtemp(path.join(bench.root, 'floor-out-'));
  settle();
  const run = await measureNode([floorScript, feed ?? '', texts ?? '', index ?? '', path.join(out, 'post')], {
    cwd: bench.root,
    statsFile: stats(bench),
  });
  const counts = JSON.parse(run.stdout) as { items: number; written: number };
  if (counts.items !== n) throw new Error(`the floor read ${counts.items} items, not ${n}`);
  await rm(out, { recursive: true, force: true });
  return run;
}

/** The same items, every image URL signed afresh before each run, and no ETag: Dropmark's usual poll. */
async function resignedNoops(bench: Bench, cwd: string, n: number): Promise<SyncRun[]> {
  const runs: SyncRun[] = [];
  for (let i = 0; i < bench.runs(n); i++) {
    bench.feed.resign();
    settle();
    runs.push(expect(await measureSync(cwd, stats(bench)), 're-signed no-op', nothingChanged));
    bench.log(`  no-op, re-signed, no ETag: ${ms(runs.at(-1))} (${mb(runs.at(-1))})`);
  }
  return runs;
}

/** The server sends an ETag: one sync stores it, then every poll is answered 304. */
async function polls(bench: Bench, cwd: string, items: readonly SyntheticItem[]) {
  bench.feed.serve(items, '"bench-etag"');
  expect(await measureSync(cwd, stats(bench)), 'sync storing the ETag', nothingChanged);
  const poll: SyncRun[] = [];
  const bare: Measured[] = [];
  for (let i = 0; i < bench.runs(items.length); i++) {
    bare.push(await measureNode(['-e', '0'], { cwd, statsFile: stats(bench) }));
    const before = bench.feed.notModified;
    const run = await measureSync(cwd, stats(bench));
    poll.push(expect(run, '304 poll', (r) => bench.feed.notModified === before + 1 && nothingChanged(r)));
    bench.log(`  304 poll: ${ms(run)}, node -e 0: ${ms(bare.at(-1))}`);
  }
  return { poll, bare };
}

/** One run each: --full on the unchanged feed, then a feed with 1% of its items changed. */
async function extras(bench: Bench, cwd: string, items: SyntheticItem[], n: number) {
  bench.feed.serve(items);
  settle();
  const fullNoop = expect(await measureSync(cwd, stats(bench), '--full'), '--full no-op', nothingChanged);
  bench.feed.serve(revise(items, { changedShare: 0.01, droppedShare: 0, added: 0, seed: n + 1 }));
  settle();
  const changed = expect(await measureSync(cwd, stats(bench)), '1% changed', (r) => r.updated > 0 && r.failed === 0);
  bench.log(`  --full no-op: ${ms(fullNoop)}; 1% changed: ${ms(changed)}, ${changed.updated} updated`);
  return { fullNoop, changed };
}

const nothingChanged = (r: SyncRun) => r.created + r.updated + r.deleted + r.failed === 0;

function expect(run: SyncRun, what: string, ok: (r: SyncRun) => boolean): SyncRun {
  if (!ok(run)) {
    const { stdout: _o, stderr, ...counts } = run;
    throw new Error(`${what}: unexpected result ${JSON.stringify(counts)}\n${stderr.slice(-1000)}`);
  }
  return run;
}

const ms = (r: Measured | undefined) => `${(r?.ms ?? Number.NaN).toFixed(0)} ms`;
const mb = (r: Measured | undefined) => `${(r?.peakMb ?? Number.NaN).toFixed(0)} MB`;
