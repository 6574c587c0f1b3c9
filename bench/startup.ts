/**
 * npm run bench:startup: what a cron job or a probe pays per call. Each row is the built CLI
 * as a whole process (start-up included), timed from spawn to exit, against `node -e 0` run
 * alternately with it; the median of the runs. Writes its table into bench/RESULTS.md between
 * the startup markers.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../test/support/feed-server.js';
import { feedJson, syntheticItems } from '../test/support/synthetic.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '..', '..', 'dist', 'cli.js');
const results = path.join(here, '..', '..', 'bench', 'RESULTS.md');
const RUNS = Number(process.env['BENCH_STARTUP_RUNS'] ?? 11);
const ITEMS = 10_000;

const body = feedJson(syntheticItems({ count: ITEMS, seed: 1 }), (p) => `https://cdn.example${p}`);
const server = await startServer((req, res) => {
  if (req.headers['if-none-match'] === '"v1"') res.writeHead(304, { etag: '"v1"' }).end();
  else res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"' }).end(body);
});
const cwd = await mkdtemp(path.join(tmpdir(), 'dms-startup-'));
await writeFile(
  path.join(cwd, 'dropmark-sync.yaml'),
  `siteDir: site\ncollections:\n  - endpoint: ${server.url}/1.json\n    images: { mode: none }\n` +
    'http: { allowPrivateNetworks: true }\n',
);

function timed(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd,
      stdio: 'ignore',
      env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn' },
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(' ')} exited ${code}`)),
    );
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

// Another build's CLI (BENCH_STARTUP_BEFORE=/elsewhere/dist/cli.js): each command runs with both, in turn within
// the same runs, so a before/after pair shares the state of a noisy machine at that moment.
const before = process.env['BENCH_STARTUP_BEFORE'];
const clis = before ? [cli, before] : [cli];
for (const c of clis) await timed([c, 'sync', '--config', 'dropmark-sync.yaml']);
const commands: [label: string, target: string, args: string[]][] = [
  ['`dropmark-sync --version`', '< 2x', ['--version']],
  ['`dropmark-sync status`', '< 3x', ['status', '--config', 'dropmark-sync.yaml']],
  [
    `\`dropmark-sync sync\`, ${ITEMS} items, feed answers 304`,
    '<= 300 ms (issue 26)',
    ['sync', '--config', 'dropmark-sync.yaml'],
  ],
];
const rows = commands.flatMap(([label, target]) => clis.map((_, k) => [k ? `${label}, before` : label, target]));
// A VM's speed drifts between minutes: several rounds in a row show how far, in one table.
const ROUNDS = Number(process.env['BENCH_STARTUP_ROUNDS'] ?? 1);
const cells: string[][] = rows.map(() => []);
const baseline: string[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const baselines: number[] = [];
  for (const [i, [, , args]] of commands.entries()) {
    const a: number[][] = clis.map(() => []);
    const b: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      b.push(await timed(['-e', '0']));
      const order = run % 2 ? [...clis.keys()].reverse() : [...clis.keys()];
      for (const k of order) a[k]?.push(await timed([clis[k] as string, ...args]));
    }
    const mb = median(b);
    baselines.push(mb);
    for (const [k, times] of a.entries()) {
      const ma = median(times);
      const row = i * clis.length + k;
      cells[row]?.push(`${ma.toFixed(0)}, ${(ma / mb).toFixed(2)}`);
      console.log(`round ${round + 1}`, rows[row]?.[0], ma.toFixed(0), mb.toFixed(0), (ma / mb).toFixed(2));
    }
  }
  baseline.push(`${Math.min(...baselines).toFixed(0)}-${Math.max(...baselines).toFixed(0)}`);
}
await server.close();

const roundsHead = Array.from({ length: ROUNDS }, (_, i) => `round ${i + 1}`);
const section = [
  '<!-- startup -->',
  `Whole processes (start-up included), median of ${RUNS} runs each, alternated with \`node -e 0\`;`,
  `${ROUNDS} round(s) in a row, measured by \`BENCH_STARTUP_RUNS=${RUNS} BENCH_STARTUP_ROUNDS=${ROUNDS}`,
  ...(before ? ['BENCH_STARTUP_BEFORE=<another build>/dist/cli.js'] : []),
  `npm run bench:startup\` (bench/startup.ts) on ${new Date().toISOString().slice(0, 10)}.` +
    (before ? ' "before": that build, run in turn with this one in the same runs.' : ''),
  'Cells: median ms, ratio to `node -e 0`.',
  '',
  `| command | target | ${roundsHead.join(' | ')} |`,
  `|---|---|${roundsHead.map(() => '---:').join('|')}|`,
  `| \`node -e 0\` (ms) | | ${baseline.join(' | ')} |`,
  ...rows.map(([label, target], i) => `| ${label} | ${target} | ${(cells[i] ?? []).join(' | ')} |`),
  '<!-- /startup -->',
].join('\n');
const text = await readFile(results, 'utf8');
const start = text.indexOf('<!-- startup -->');
const end = text.indexOf('<!-- /startup -->');
await writeFile(
  results,
  start === -1
    ? `${text.trimEnd()}\n\n## Start-up\n\n${section}\n`
    : `${text.slice(0, start)}${section}${text.slice(end + '<!-- /startup -->'.length)}`,
);
