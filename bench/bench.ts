/**
 * npm run bench: synthetic feeds served on 127.0.0.1, measured syncs in fresh processes.
 * Scenarios: full sync, no-op re-sync (cached and --full), 1% changed, at 10k and 100k
 * items; 1,000 images; and the floor: a bare script writing the same files. Prints a table
 * and writes bench/RESULTS.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, totalmem, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeCdn } from '../test/support/cdn.js';
import { startServer, type Handler, type TestServer } from '../test/support/feed-server.js';
import { jpeg } from '../test/support/images.js';
import { feedJson, revise, syntheticItems, type SyntheticItem } from '../test/support/synthetic.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const runner = path.join(here, 'run-sync.js');
const sizes = (process.env['BENCH_SIZES'] ?? '10000,100000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const images = Number(process.env['BENCH_IMAGES'] ?? 1000);
/** Large images: peak RSS must not grow with image sizes (downloads stream to staged files). */
const bigImages = Number(process.env['BENCH_BIG_IMAGES'] ?? 100);

type Server = TestServer & { route(prefix: string, handler: Handler): void };
let current: SyntheticItem[] = [];
let feedBody = '';
const server = (await startServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(feedBody);
})) as Server;
const cdn = new FakeCdn(() => server.url);
server.route('/cdn/', cdn.handler);
const serve = (items: SyntheticItem[]) => {
  current = items;
  feedBody = feedJson(current, (p) => cdn.sign(p));
};

interface Row {
  scenario: string;
  items: number;
  ms: number;
  itemsPerS: number;
  maxRssMb: number;
  written: number;
  note: string;
}
const rows: Row[] = [];

function measure(cwd: string, ...flags: string[]): Promise<Record<string, number | string | boolean>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runner, 'dropmark-sync.yaml', ...flags], {
      cwd,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`run-sync exited ${code}`))));
  });
}

async function project(images: 'none' | 'local'): Promise<string> {
  const cwd = await mkdtemp(path.join(tmpdir(), 'dms-bench-'));
  await writeFile(
    path.join(cwd, 'dropmark-sync.yaml'),
    [
      'siteDir: site',
      'collections:',
      `  - endpoint: ${server.url}/feed.json`,
      `    images: { mode: ${images}, allowedHosts: ["127.0.0.1"], allowHttp: true }`,
      'http: { retries: 1, retryDelayMs: 10, allowPrivateNetworks: true, maxBodyBytes: 1073741824, timeoutMs: 120000 }',
      'deadlineMs: 3600000',
      'lockStaleMs: 7200000',
      '',
    ].join('\n'),
  );
  return cwd;
}

function record(scenario: string, items: number, r: Record<string, number | string | boolean>, note = '') {
  if (r['ok'] !== true) throw new Error(`${scenario}: sync failed: ${r['error']}`);
  const ms = r['ms'] as number;
  const row = {
    scenario,
    items,
    ms,
    itemsPerS: items / (ms / 1000),
    maxRssMb: r['maxRssMb'] as number,
    written: r['written'] as number,
    note: note || String(r['result']),
  };
  rows.push(row);
  process.stderr.write(
    `${scenario.padEnd(34)} ${String(items).padStart(7)} items ${fmt(ms).padStart(9)} ms ` +
      `${Math.round(row.itemsPerS).toString().padStart(7)} items/s ${row.maxRssMb.toFixed(0).padStart(5)} MB ` +
      `${String(row.written).padStart(7)} written  ${row.note}\n`,
  );
}

/** The floor: a bare script writing the same files (no fetch, no parsing, no rendering). */
async function floor(files: Map<string, string>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'dms-floor-'));
  const script =
    `
    const fs = require('node:fs/promises'); const path = require('node:path');
    const files = JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'));
    (async () => { const t = performance.now(); await fs.mkdir(process.argv[2], { recursive: true });
      for (const [name, text] of files) await fs.writeFile(path.join(process.argv[2], name), text);
      process.stdout.write(JSON.stringify({ ms: performance.now() - t, ` +
    `maxRssMb: process.resourceUsage().maxRSS / 1024 })); })();`;
  const input = path.join(dir, 'files.json');
  await writeFile(input, JSON.stringify([...files]));
  const out = JSON.parse(
    execFileSync(process.execPath, ['-e', script, input, path.join(dir, 'out')], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    }),
  ) as { ms: number; maxRssMb: number };
  await rm(dir, { recursive: true, force: true });
  return out;
}

const fmt = (n: number) => n.toFixed(0);
const ratios: string[] = [];
const checks: string[] = [];

for (const n of sizes) {
  const base = syntheticItems({ count: n, seed: n });
  serve(base);
  // This disk's speed wanders (the same loop of writes takes 1.4 s or 5 s from one minute to
  // the next), so the full sync and the floor are measured in three interleaved pairs and
  // the ratio is the median of the three pairs' ratios.
  const pairs: { sync: Record<string, number | string | boolean>; floor: { ms: number; maxRssMb: number } }[] = [];
  let cwd = '';
  let files = new Map<string, string>();
  for (let i = 0; i < 3; i++) {
    if (cwd) await rm(cwd, { recursive: true, force: true });
    cwd = await project('none');
    const run = await measure(cwd);
    if (i === 0) {
      const posts = path.join(cwd, 'site/content/post');
      for (const name of await readdir(posts)) files.set(name, await readFile(path.join(posts, name), 'utf8'));
    }
    pairs.push({ sync: run, floor: await floor(files) });
  }
  const byRatio = [...pairs].sort(
    (a, b) => (a.sync['ms'] as number) / a.floor.ms - (b.sync['ms'] as number) / b.floor.ms,
  );
  const mid = byRatio[1] as (typeof pairs)[number];
  const full = mid.sync;
  const ratio = (full['ms'] as number) / mid.floor.ms;
  const pairText = pairs.map((p) => `${fmt(p.sync['ms'] as number)}/${fmt(p.floor.ms)}`).join(', ');
  record('full sync', n, full, `median pair of 3 (sync/floor ms: ${pairText})`);
  rows.push({
    scenario: 'floor: bare script writes the same files',
    items: n,
    ms: mid.floor.ms,
    itemsPerS: n / (mid.floor.ms / 1000),
    maxRssMb: mid.floor.maxRssMb,
    written: files.size,
    note: 'fs.writeFile in a loop, paired with the run above',
  });
  ratios.push(
    `${n}: full sync ${fmt(full['ms'] as number)} ms = ${ratio.toFixed(2)}x the floor (${fmt(mid.floor.ms)} ms); ` +
      `pairs (sync/floor ms): ${pairText}`,
  );
  files = new Map();

  const noop = await measure(cwd);
  record('no-op re-sync (cache)', n, noop);
  const noopFull = await measure(cwd, '--full');
  record('no-op re-sync (--full)', n, noopFull);

  serve(revise(base, { changedShare: 0.01, droppedShare: 0, added: 0, seed: n + 1 }));
  const changed = await measure(cwd);
  record('1% changed', n, changed, `${changed['updated']} updated`);

  if (n === 10_000) {
    checks.push(`10k full sync <= 4x floor: ${ratio <= 4 ? 'met' : 'MISSED'} (${ratio.toFixed(2)}x)`);
    checks.push(
      '10k no-op <= 1.5 s with 0 writes: ' +
        `${(noop['ms'] as number) <= 1500 && noop['written'] === 0 ? 'met' : 'MISSED'} ` +
        `(${fmt(noop['ms'] as number)} ms cached, ${fmt(noopFull['ms'] as number)} ms --full; ` +
        `${noop['written']} and ${noopFull['written']} written)`,
    );
    const peak = Math.max(...rows.filter((r) => r.items === n).map((r) => r.maxRssMb));
    checks.push(`peak RSS <= 300 MB at 10k: ${peak <= 300 ? 'met' : 'MISSED'} (${peak.toFixed(0)} MB)`);
  }
  if (n === 100_000) {
    checks.push(
      `100k no-op <= 10 s: ${(noop['ms'] as number) <= 10_000 ? 'met' : 'MISSED'} ` +
        `(${fmt(noop['ms'] as number)} ms cached, ${fmt(noopFull['ms'] as number)} ms --full)`,
    );
  }
  await rm(cwd, { recursive: true, force: true });
}

if (images > 0) {
  const items = syntheticItems({ count: images, imageEvery: 1, seed: 99 });
  for (const item of items)
    if (item.thumbnailPath)
      cdn.put(item.thumbnailPath, Buffer.concat([jpeg(item.thumbnailPath), Buffer.alloc(20_000, 7)]));
  serve(items);
  const cwd = await project('local');
  const r = await measure(cwd);
  record(`${images} images, concurrency 8`, images, r, `${r['imagesDownloaded']} downloaded, ~20 kB each`);
  checks.push(
    `${images} loopback images <= 5 s: ${(r['ms'] as number) <= 5000 ? 'met' : 'MISSED'} ` +
      `(${fmt(r['ms'] as number)} ms, whole sync)`,
  );
  await rm(cwd, { recursive: true, force: true });
}
if (bigImages > 0) {
  // Same count, two sizes: the peak RSS of the two runs should be about the same.
  for (const [label, bytes] of [
    ['100 kB', 100_000],
    ['10 MB', 10_000_000],
  ] as const) {
    const items = syntheticItems({ count: bigImages, imageEvery: 1, seed: 7 });
    // One shared filler, not a copy per image: the measured process is forked from this one, and
    // Linux carries a process's peak RSS across fork and exec, so this process must stay small.
    const filler = Buffer.alloc(bytes, 7);
    for (const item of items) if (item.thumbnailPath) cdn.put(item.thumbnailPath, jpeg(item.thumbnailPath));
    cdn.suffix = filler;
    serve(items);
    const cwd = await project('local');
    const r = await measure(cwd);
    record(
      `${bigImages} images of ${label}`,
      bigImages,
      r,
      `${r['imagesDownloaded']} downloaded; peak RSS is the point`,
    );
    if (bytes > 1024 * 1024) {
      const small = rows.find((row) => row.scenario === `${bigImages} images of 100 kB`);
      const grew = (r['maxRssMb'] as number) - (small?.maxRssMb ?? 0);
      checks.push(
        `peak RSS does not grow with image sizes: ${grew < 50 ? 'met' : 'MISSED'} ` +
          `(${bigImages} x 10 MB: ${(r['maxRssMb'] as number).toFixed(0)} MB; ` +
          `x 100 kB: ${small?.maxRssMb.toFixed(0)} MB)`,
      );
    }
    cdn.objects.clear();
    cdn.suffix = undefined;
    await rm(cwd, { recursive: true, force: true });
  }
}
await server.close();

const machine =
  `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ` +
  `Node.js ${process.version}, ${process.platform} ${process.arch}`;
const table = [
  '| scenario | items | wall ms | items/s | peak RSS MB | files written | note |',
  '|---|---:|---:|---:|---:|---:|---|',
  ...rows.map(
    (r) =>
      `| ${r.scenario} | ${r.items} | ${fmt(r.ms)} | ${fmt(r.itemsPerS)} | ` +
      `${r.maxRssMb.toFixed(0)} | ${r.written} | ${r.note} |`,
  ),
].join('\n');
const text = `# Benchmark results

Measured by \`npm run bench\` (bench/bench.ts) on ${new Date().toISOString().slice(0, 10)}.

Machine: ${machine}.

Each sync runs in a fresh process (bench/run-sync.ts: the library's \`sync()\`, no CLI start-up)
against a synthetic feed served on 127.0.0.1 (titles ~80 characters, descriptions ~300,
content ~1.5 kB, 0-3 tags; image mode none except the image run). "no-op (cache)" is a
second run on an unchanged feed (conditional request, feed hash); "no-op (--full)" ignores
the cache and reads, renders and compares every file. "files written" counts files created,
changed or removed (state files included). Peak RSS is the process's maxRSS.

${table}

Targets:

${checks.map((c) => `- ${c}`).join('\n')}

Floor comparison:

${ratios.map((r) => `- ${r}`).join('\n')}
`;
const resultsFile = path.join(here, '..', '..', 'bench', 'RESULTS.md');
await mkdir(path.dirname(resultsFile), { recursive: true });
// A hand-kept history of profiling rounds (before/after) below this marker survives a new run.
const previous = await readFile(resultsFile, 'utf8').catch(() => '');
const marker = previous.indexOf('<!-- history -->');
await writeFile(resultsFile, marker === -1 ? text : `${text}\n${previous.slice(marker)}`);
process.stderr.write(`\n${table}\n\n${checks.join('\n')}\nwritten bench/RESULTS.md\n`);
