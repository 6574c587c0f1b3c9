import { readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, startCli, tempDir } from '../support/cli.js';
import { json, startServer, status } from '../support/feed-server.js';
import { sampleFeed } from '../support/fixtures.js';

const MODULE_LOG = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'module-log.mjs');

/** Which packages and source folders each chunk of the bundled CLI holds (written by the build). */
const CHUNKS = JSON.parse(readFileSync(path.join(path.dirname(CLI), 'cli-bundle.json'), 'utf8')) as Record<
  string,
  string[]
>;

interface Loaded {
  code: number | null;
  /** The bundle's files the run loaded. */
  files: string[];
  /** The packages and source folders in them. */
  origins: string[];
}

/** What a CLI run loads, from the bundle's own files (anything else it loads is a bug of the bundle). */
async function loadedBy(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Loaded> {
  const run = await startCli(args, { cwd, env, nodeArgs: ['--import', MODULE_LOG] }).done;
  const urls = run.stderr
    .split('\n')
    .filter((l) => l.startsWith('loaded: file:'))
    .map((l) => l.slice('loaded: '.length));
  const outside = urls.filter((u) => !u.startsWith(`file://${path.dirname(CLI)}/`) || u.includes('/node_modules/'));
  expect(outside, 'modules loaded from outside the bundle').toEqual([]);
  const files = [...new Set(urls.map((u) => path.basename(fileURLToPath(u))))];
  for (const f of files) expect(CHUNKS[f], `${f} is not in dist/cli-bundle.json`).toBeDefined();
  return { code: run.code, files, origins: [...new Set(files.flatMap((f) => CHUNKS[f] ?? []))].sort() };
}

// node-cron too: only a config that sets `schedule`, and the scheduler, load it.
const HTTP_AND_WRITING = [
  'undici',
  'pino',
  'pino-pretty',
  'saxes',
  'gray-matter',
  'src/render',
  'src/sync',
  'node-cron',
];

describe('a command loads only what it uses', () => {
  it('status (a Kubernetes probe) loads no HTTP, logging or YAML-emitter code', async () => {
    const cwd = await tempDir();
    await writeFile(
      path.join(cwd, 'dropmark-sync.yaml'),
      'cacheDir: cache\ncollections:\n  - endpoint: https://a.dropmark.com/1.json\n',
    );
    await mkdir(path.join(cwd, 'cache'));
    const loaded = await loadedBy(['status'], cwd);
    expect(loaded.code).toBe(1); // no run recorded yet
    expect(loaded.files.some((f) => f.startsWith('cli-status-'))).toBe(true);
    expect(loaded.origins.filter((o) => HTTP_AND_WRITING.includes(o))).toEqual([]);
  });

  it('--version loads no package at all: a few small chunks of our own code', async () => {
    const loaded = await loadedBy(['--version'], await tempDir());
    expect(loaded.code).toBe(0);
    expect(loaded.origins.filter((o) => !o.startsWith('src'))).toEqual([]);
    const bytes = loaded.files.reduce((sum, f) => sum + statSync(path.join(path.dirname(CLI), f)).size, 0);
    expect(bytes).toBeLessThan(40_000);
  });

  it('a 304 sync loads no undici Agent, no parsing, rendering, planning or writing code', async () => {
    const feed = await startServer(json(sampleFeed(), 200, { etag: '"v1"' }), status(304, { etag: '"v1"' }));
    try {
      const cwd = await tempDir();
      await writeFile(
        path.join(cwd, 'dropmark-sync.yaml'),
        `siteDir: site\ncollections:\n  - endpoint: ${feed.url}/616548.json\n    images: { mode: none }\n` +
          'http: { allowPrivateNetworks: true }\n',
      );
      expect((await startCli(['sync'], { cwd }).done).code).toBe(0);
      const loaded = await loadedBy(['sync', '--log-format', 'json'], cwd);
      expect(loaded.code).toBe(0);
      expect(feed.requests.map((r) => r.headers['if-none-match'])).toEqual([undefined, '"v1"']);
      // It does need the HTTP client and the logger; not undici's Agent: the feed's own origin goes through
      // fetch's own dispatcher, and the guarded Agent is made for the first request that leaves it.
      expect(loaded.origins).toEqual(expect.arrayContaining(['src/http', 'pino', 'src/sync']));
      const fullPassOnly = [
        'undici',
        'gray-matter',
        'js-yaml',
        'saxes',
        'diff',
        'pino-pretty',
        'src/render',
        'src/plan',
        'node-cron',
      ];
      expect(loaded.origins.filter((o) => fullPassOnly.includes(o))).toEqual([]);
      expect(loaded.files.some((f) => f.startsWith('cli-full-pass-'))).toBe(false);
    } finally {
      await feed.close();
    }
  });
});
