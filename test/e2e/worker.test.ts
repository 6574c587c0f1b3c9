import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockFile } from '../../src/state/lock.js';
import { snapshotDir as snapshot } from '../support/tree.js';
import { projectWithConfig, runCli, startCli, tempDir } from '../support/cli.js';
import { expectedFiles, normalize, sampleFeed } from '../support/fixtures.js';
import { json, startServer, status, type Handler, type TestServer } from '../support/feed-server.js';
import { useSampleFeedServer } from '../support/sample-feed-server.js';
import { waitFor } from '../support/wait.js';

let server: TestServer;
let endpoint: string;
useSampleFeedServer((s, e) => {
  server = s;
  endpoint = e;
});

const POSTS = 'site/content/post';
const sync = (cwd: string, ...args: string[]) => runCli(['sync', '--config', 'dropmark-sync.yaml', '--json', ...args], { cwd });


const delayed =
  (ms: number, handler: Handler): Handler =>
  (req, res) => {
    setTimeout(() => handler(req, res), ms);
  };

/** Answers with an ETag and 304 to a matching If-None-Match, like a CDN in front of the feed. */
const withEtag =
  (etag: string, body: unknown): Handler =>
  (req, res) => {
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    json(body, 200, { etag })(req, res);
  };

/** The sample feed with every thumbnail re-signed, as every real fetch of the feed is. */
function resigned(n: number) {
  const feed = sampleFeed();
  for (const item of feed.items) {
    if (typeof item['thumbnail'] === 'string') {
      item['thumbnail'] = item['thumbnail'].replace(/Expires=\d+/, `Expires=${1557430062 + n}`).replace(/Signature=[^&]+/, `Signature=sig${n}`);
    }
  }
  return feed;
}

describe('one writer at a time', () => {
  it('a second sync of the same site exits 1 at once, naming the holder; the first finishes', async () => {
    server.answer(delayed(1500, json(sampleFeed())));
    const cwd = await projectWithConfig(endpoint);
    const first = startCli(['sync', '--config', 'dropmark-sync.yaml'], { cwd });
    await waitFor(() => server.requests.length === 1, 10_000, 'the first sync to ask for the feed');
    const started = Date.now();
    const second = await sync(cwd);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`another dropmark-sync \\(pid ${first.child.pid} on ${hostname()}, sync, started`));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(server.requests).toHaveLength(1);
    const firstResult = await first.done;
    expect(firstResult.code).toBe(0);
    expect(await readdir(path.join(cwd, POSTS))).toHaveLength(41);
  });

  it('two syncs of one site from different folders, with different cacheDirs, exclude each other', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    server.answer((req, res) => void held.then(() => json(sampleFeed())(req, res)));
    const site = path.join(await tempDir(), 'site');
    const a = await projectWithConfig(endpoint);
    const b = await projectWithConfig(endpoint);
    const configB = path.join(b, 'dropmark-sync.yaml');
    await writeFile(configB, `cacheDir: elsewhere/cache\n${await readFile(configB, 'utf8')}`);
    const first = startCli(['sync', '--config', 'dropmark-sync.yaml', '--site-dir', site], { cwd: a });
    await waitFor(() => server.requests.length === 1, 10_000, 'the first sync to ask for the feed');
    const second = await runCli(['sync', '--config', 'dropmark-sync.yaml', '--site-dir', path.relative(b, site)], { cwd: b });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`another dropmark-sync \\(pid ${first.child.pid} on ${hostname()}, sync`));
    expect(server.requests).toHaveLength(1);
    release();
    expect((await first.done).code).toBe(0);
    expect(await readdir(path.join(site, 'content/post'))).toHaveLength(41);
  });

  it('takes over the lock of a process that is gone', async () => {
    const cwd = await projectWithConfig(endpoint);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const file = lockFile(path.join(cwd, 'site'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({ pid: Number(dead), host: hostname(), startedAt: new Date().toISOString(), command: 'sync', token: 'x' }));
    const result = await sync(cwd);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`took over a stale lock: its process ${dead} is gone`));
    expect(existsSync(file)).toBe(false);
  });
});

describe('clean stop', () => {
  it('SIGTERM mid-sync: exit 0, lock released, every file old or new, and the next sync completes', async () => {
    const cwd = await projectWithConfig(endpoint);
    const running = startCli(['sync', '--config', 'dropmark-sync.yaml', '--json'], {
      cwd,
      env: { DROPMARK_SYNC_TEST_WRITE_DELAY_MS: '60' },
    });
    const dir = path.join(cwd, POSTS);
    await waitFor(async () => existsSync(dir) && (await readdir(dir)).length >= 5, 15_000, 'some files to be written');
    running.child.kill('SIGTERM');
    const result = await running.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/SIGTERM received; stopping after the file in progress/);
    const summary = JSON.parse(result.stdout);
    expect(summary.stopped).toBe(true);
    expect(summary.created).toBeLessThan(41);
    expect(existsSync(lockFile(path.join(cwd, 'site')))).toBe(false);

    const expected = expectedFiles();
    const names = await readdir(dir);
    expect(names.filter((n) => !n.endsWith('.md'))).toEqual([]);
    for (const name of names) {
      expect(normalize(await readFile(path.join(dir, name), 'utf8'), endpoint), name).toBe(normalize(expected.get(name) ?? ''));
    }
    const next = await sync(cwd);
    expect(JSON.parse(next.stdout)).toMatchObject({ created: 41 - summary.created, unchanged: summary.created });
  });
});

describe('cheap polls', () => {
  it('a second poll of an unchanged feed is one request answered 304 and zero writes', async () => {
    server.answer(withEtag('"v1"', sampleFeed()));
    const cwd = await projectWithConfig(endpoint);
    expect((await sync(cwd)).code).toBe(0);
    const before = await snapshot(path.join(cwd, POSTS));
    const second = await sync(cwd);
    expect(second.code).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.headers['if-none-match']).toBe('"v1"');
    const summary = JSON.parse(second.stdout);
    expect(summary).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 41, files: [] });
    expect(summary.collections[0].result).toBe('not-modified');
    expect(second.stderr).toMatch(/feed not modified \(HTTP 304\)/);
    expect(await snapshot(path.join(cwd, POSTS))).toEqual(before);
  });

  it('--full ignores the cache', async () => {
    server.answer(withEtag('"v1"', sampleFeed()));
    const cwd = await projectWithConfig(endpoint);
    await sync(cwd);
    const full = await sync(cwd, '--full');
    expect(server.requests[1]?.headers['if-none-match']).toBeUndefined();
    expect(JSON.parse(full.stdout).collections[0].result).toBe('ok');
  });

  it('a feed that differs only in re-signed thumbnails reads and writes no content file (image mode none)', async () => {
    let n = 0;
    server.answer((req, res) => json(resigned(n++))(req, res));
    const cwd = await projectWithConfig(endpoint);
    await writeFile(path.join(cwd, 'dropmark-sync.yaml'), (await readFile(path.join(cwd, 'dropmark-sync.yaml'), 'utf8')).replace('mode: remote', 'mode: none'));
    expect((await sync(cwd)).code).toBe(0);
    const before = await snapshot(path.join(cwd, POSTS));
    const second = await sync(cwd);
    expect(JSON.parse(second.stdout).collections[0].result).toBe('unchanged-feed');
    expect(await snapshot(path.join(cwd, POSTS))).toEqual(before);
    expect(n).toBe(2);
  });

  it('a hand edit in the site makes the next poll a full pass, which repairs it', async () => {
    server.answer(withEtag('"v1"', sampleFeed()));
    const cwd = await projectWithConfig(endpoint);
    await sync(cwd);
    const file = path.join(cwd, POSTS, 'himss-health-innovation-are-we-getting-it-right.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('linkBrand: himss.org', 'linkBrand: broken'));
    const again = await sync(cwd);
    expect(server.requests[1]?.headers['if-none-match']).toBeUndefined();
    expect(JSON.parse(again.stdout)).toMatchObject({ updated: 1, unchanged: 40 });
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('a corrupt cache costs a full pass, not a wrong result', async () => {
    server.answer(withEtag('"v1"', sampleFeed()));
    const cwd = await projectWithConfig(endpoint);
    await sync(cwd);
    const feeds = path.join(cwd, '.cache/dropmark-sync/feeds');
    for (const name of await readdir(feeds)) await writeFile(path.join(feeds, name), 'garbage');
    const again = await sync(cwd);
    expect(JSON.parse(again.stdout)).toMatchObject({ unchanged: 41 });
    expect(JSON.parse(again.stdout).collections[0].result).toBe('ok');
  });
});

describe('several collections', () => {
  it('syncs both; one failing endpoint gives exit 1 with the other collection written', async () => {
    const failing = await startServer(status(503));
    try {
      const cwd = await tempDir();
      await writeFile(
        path.join(cwd, 'dropmark-sync.yaml'),
        [
          'siteDir: site',
          'collections:',
          `  - endpoint: ${endpoint}`,
          '    contentDir: content/post',
          '    images: { mode: remote }',
          `  - endpoint: ${failing.url}/2.json`,
          '    contentDir: content/links',
          'http: { retries: 1, retryDelayMs: 5 }',
          '',
        ].join('\n'),
      );
      const result = await sync(cwd);
      expect(result.code).toBe(1);
      const summary = JSON.parse(result.stdout);
      expect(summary.created).toBe(41);
      expect(summary.collections.map((c: { result: string }) => c.result)).toEqual(['ok', 'failed']);
      expect(summary.collections[1].error).toMatch(/HTTP 503/);
      expect(await readdir(path.join(cwd, POSTS))).toHaveLength(41);
      expect(existsSync(path.join(cwd, 'site/content/links'))).toBe(false);
    } finally {
      await failing.close();
    }
  });
});

describe('heartbeat and status', () => {
  it('status reports the last run and its exit codes follow it', async () => {
    const cwd = await projectWithConfig(endpoint);
    const none = await runCli(['status', '--config', 'dropmark-sync.yaml'], { cwd });
    expect(none.code).toBe(1);
    await sync(cwd);
    const heartbeat = JSON.parse(await readFile(path.join(cwd, '.cache/dropmark-sync/last-run.json'), 'utf8'));
    expect(heartbeat).toMatchObject({ result: 'ok', collections: [{ result: 'ok', created: 41 }] });
    const ok = await runCli(['status', '--config', 'dropmark-sync.yaml', '--max-age', '1h'], { cwd });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/last run: ok/);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await runCli(['status', '--config', 'dropmark-sync.yaml', '--max-age', '1s'], { cwd })).code).toBe(1);
    server.answer(status(500));
    await sync(cwd, '--full');
    const failed = await runCli(['status', '--config', 'dropmark-sync.yaml'], { cwd });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/last run: failed/);
  });
});

describe('schedule', () => {
  it('--run-now syncs at start; SIGTERM stops it with exit 0 and no lock left', async () => {
    const cwd = await projectWithConfig(endpoint);
    const worker = startCli(['schedule', '--config', 'dropmark-sync.yaml', '--run-now'], { cwd });
    await waitFor(() => worker.output().stderr.includes('dropmark-sync: done: 41 created'), 15_000, 'the first sync');
    worker.child.kill('SIGTERM');
    const result = await worker.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/scheduled worker stopped/);
    expect(existsSync(lockFile(path.join(cwd, 'site')))).toBe(false);
  });

  it('SIGTERM during a scheduled sync lets it stop cleanly, exit 0', async () => {
    const cwd = await projectWithConfig(endpoint);
    const worker = startCli(['schedule', '--config', 'dropmark-sync.yaml', '--run-now'], {
      cwd,
      env: { DROPMARK_SYNC_TEST_WRITE_DELAY_MS: '60' },
    });
    const dir = path.join(cwd, POSTS);
    await waitFor(async () => existsSync(dir) && (await readdir(dir)).length >= 3, 15_000, 'some files');
    worker.child.kill('SIGTERM');
    const result = await worker.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/dropmark-sync: stopped:/);
    expect((await readdir(dir)).length).toBeLessThan(41);
  });

  it('refuses a bad cron expression before starting', async () => {
    const cwd = await projectWithConfig(endpoint);
    await writeFile(path.join(cwd, 'dropmark-sync.yaml'), `schedule: "every 5 minutes"\n${await readFile(path.join(cwd, 'dropmark-sync.yaml'), 'utf8')}`);
    const result = await runCli(['schedule', '--config', 'dropmark-sync.yaml'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/schedule: is not a valid cron expression/);
  });
});

describe('abort', () => {
  it('a second SIGTERM aborts at once: exit 1, no temp file, no lock, every file whole', async () => {
    const cwd = await projectWithConfig(endpoint);
    const running = startCli(['sync', '--config', 'dropmark-sync.yaml'], { cwd, env: { DROPMARK_SYNC_TEST_WRITE_DELAY_MS: '200' } });
    const dir = path.join(cwd, POSTS);
    await waitFor(async () => existsSync(dir) && (await readdir(dir)).length >= 2, 15_000, 'some files');
    running.child.kill('SIGTERM');
    await waitFor(() => running.output().stderr.includes('SIGTERM received;'), 5_000, 'the first signal to be seen');
    running.child.kill('SIGTERM');
    const result = await running.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/received again; aborting now/);
    const names = await readdir(dir);
    expect(names.every((n) => n.endsWith('.md'))).toBe(true);
    const expected = expectedFiles();
    for (const name of names) {
      expect(normalize(await readFile(path.join(dir, name), 'utf8'), endpoint), name).toBe(normalize(expected.get(name) ?? ''));
    }
    expect(existsSync(lockFile(path.join(cwd, 'site')))).toBe(false);
  });
});
