import { statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, startCli, tempDir } from '../support/cli.js';
import { json, startServer, status } from '../support/feed-server.js';
import { sampleFeed } from '../support/fixtures.js';

const MODULE_LOG = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'module-log.mjs');
const WASM_LOG = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'wasm-log.mjs');
const DIST = path.dirname(CLI);

interface Loaded {
  code: number | null;
  /** The package's own modules the run loaded, relative to dist/ ("commands/status.js"). */
  files: string[];
  /** Where the loaded modules come from: a package's name, or the source folder of one of ours. */
  origins: string[];
}

/** "zod" for .../node_modules/zod/v4/core/core.js, "src/commands" for dist/commands/status.js. */
function originOf(file: string): string {
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  if (pkg) return pkg[1] as string;
  return path.posix.join('src', path.posix.dirname(path.relative(DIST, file))).replace(/\/\.$/, '');
}

/**
 * What a CLI run loads through the ESM loader: each of our modules and, for a package, at least
 * its entry (the CommonJS files a package requires from there are not seen, its name is).
 */
async function loadedBy(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Loaded> {
  const run = await startCli(args, { cwd, env, nodeArgs: ['--import', MODULE_LOG] }).done;
  const files = [
    ...new Set(
      run.stderr
        .split('\n')
        .filter((l) => l.startsWith('loaded: file:'))
        .map((l) => fileURLToPath(l.slice('loaded: '.length))),
    ),
  ];
  const outside = files.filter((f) => !f.startsWith(`${DIST}${path.sep}`) && !f.includes('/node_modules/'));
  expect(outside, 'modules loaded from outside dist/ and node_modules').toEqual([]);
  const ours = files.filter((f) => !f.includes('/node_modules/')).map((f) => path.relative(DIST, f));
  return { code: run.code, files: ours, origins: [...new Set(files.map(originOf))].sort() };
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
    expect(loaded.files).toContain('commands/status.js');
    expect(loaded.origins.filter((o) => HTTP_AND_WRITING.includes(o))).toEqual([]);
  });

  it('--version loads no package at all: a few small modules of our own', async () => {
    const loaded = await loadedBy(['--version'], await tempDir());
    expect(loaded.code).toBe(0);
    expect(loaded.origins.filter((o) => !o.startsWith('src'))).toEqual([]);
    const bytes = loaded.files.reduce((sum, f) => sum + statSync(path.join(DIST, f)).size, 0);
    expect(bytes).toBeLessThan(40_000);
  });

  it('a 304 sync loads no undici Agent, no fetch, no parsing, rendering, planning or writing code', async () => {
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
      // Node's http client, and the guarded Agent is made for the first request that leaves it.
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
        // The queue for more than four collections, or for image downloads.
        'p-queue',
        // Reading a URL as Markdown would (finding signed URLs in text): the feed's hash needs none of it.
        'micromark-util-decode-string',
      ];
      expect(loaded.origins.filter((o) => fullPassOnly.includes(o))).toEqual([]);
      expect(loaded.files).not.toContain('sync/full-pass.js');
      // Nor fetch: its module compiles an HTTP parser to WebAssembly as it loads, and the exit waits for that.
      const compiled = await startCli(['sync'], { cwd, nodeArgs: ['--import', WASM_LOG] }).done;
      expect(compiled.code).toBe(0);
      expect(compiled.stderr.split('\n').filter((l) => l.startsWith('wasm:'))).toEqual([]);
    } finally {
      await feed.close();
    }
  });
});
