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

await timed([cli, 'sync', '--config', 'dropmark-sync.yaml']);
const rows: [label: string, target: string, args: string[]][] = [
  ['`dropmark-sync --version`', '< 2x', [cli, '--version']],
  ['`dropmark-sync status`', '< 3x', [cli, 'status', '--config', 'dropmark-sync.yaml']],
  [
    `\`dropmark-sync sync\`, ${ITEMS} items, feed answers 304`,
    '< 500 ms',
    [cli, 'sync', '--config', 'dropmark-sync.yaml'],
  ],
];
// A VM's speed drifts between minutes: several rounds in a row show how far, in one table.
const ROUNDS = Number(process.env['BENCH_STARTUP_ROUNDS'] ?? 1);
const cells: string[][] = rows.map(() => []);
const baseline: string[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const baselines: number[] = [];
  for (const [i, [label, , args]] of rows.entries()) {
    const a: number[] = [];
    const b: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      b.push(await timed(['-e', '0']));
      a.push(await timed(args));
    }
    const ma = median(a);
    const mb = median(b);
    baselines.push(mb);
    cells[i]?.push(`${ma.toFixed(0)}, ${(ma / mb).toFixed(2)}`);
    console.log(`round ${round + 1}`, label, ma.toFixed(0), mb.toFixed(0), (ma / mb).toFixed(2));
  }
  baseline.push(`${Math.min(...baselines).toFixed(0)}-${Math.max(...baselines).toFixed(0)}`);
}
await server.close();

const roundsHead = Array.from({ length: ROUNDS }, (_, i) => `round ${i + 1}`);
const section = [
  '<!-- startup -->',
  `Whole processes (start-up included), median of ${RUNS} runs each, alternated with \`node -e 0\`;`,
  `${ROUNDS} round(s) in a row, measured by \`BENCH_STARTUP_RUNS=${RUNS} BENCH_STARTUP_ROUNDS=${ROUNDS} npm run`,
  `bench:startup\` (bench/startup.ts) on ${new Date().toISOString().slice(0, 10)}.`,
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
