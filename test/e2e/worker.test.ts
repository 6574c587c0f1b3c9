import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockFile } from '../../src/state/lock.js';
import { snapshotDir as snapshot } from '../support/tree.js';
import { CLI, POSTS, projectWithConfig, runCli, startCli, syncCli, tempDir } from '../support/cli.js';
import { syncInProcess } from '../support/in-process.js';
import { expectedFiles, normalize, sampleFeed } from '../support/fixtures.js';
import { json, startServer, status, type Handler, type TestServer } from '../support/feed-server.js';
import { useSampleFeedServer } from '../support/sample-feed-server.js';
import { waitFor } from '../support/wait.js';
import { git as gitIn } from '../support/git.js';

let server: TestServer;
let endpoint: string;
useSampleFeedServer((s, e) => {
  server = s;
  endpoint = e;
});

/** A pass in this process (the cache, the lock and the heartbeat are the library's); signals need the built CLI. */
const sync = syncInProcess;

/**
 * A handler that holds every request until the test calls `release`: a run can be caught
 * mid-way on an event (the request arrived) instead of a delay that a slow machine outlasts.
 */
function held(handler: Handler): { handler: Handler; release: () => void } {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { handler: (req, res) => void gate.then(() => handler(req, res)), release };
}

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
      item['thumbnail'] = item['thumbnail']
        .replace(/Expires=\d+/, `Expires=${1557430062 + n}`)
        .replace(/Signature=[^&]+/, `Signature=sig${n}`);
    }
  }
  return feed;
}

/**
 * A project whose requests never time out while a test holds them: the 5 s of the default
 * test config would let a held request be retried on a loaded machine, as a second request.
 */
async function patientProject(): Promise<string> {
  const cwd = await projectWithConfig(endpoint);
  const file = path.join(cwd, 'dropmark-sync.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace('timeoutMs: 5000', 'timeoutMs: 120000'));
  return cwd;
}

describe('one writer at a time', () => {
  it(
    'a second sync of the same site exits 1 while the first holds the lock, ' + 'naming the holder; the first finishes',
    async () => {
      const feed = held(json(sampleFeed()));
      server.answer(feed.handler);
      const cwd = await patientProject();
      const first = startCli(['sync', '--config', 'dropmark-sync.yaml'], { cwd });
      await waitFor(() => server.requests.length === 1, undefined, 'the first sync to ask for the feed');
      // The first sync cannot go on until released: the second must give up on its own.
      const second = await syncCli(cwd);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(
        new RegExp(`another dropmark-sync \\(pid ${first.child.pid} on ${hostname()}, sync, started`),
      );
      expect(server.requests).toHaveLength(1);
      feed.release();
      const firstResult = await first.done;
      expect(firstResult.code).toBe(0);
      expect(await readdir(path.join(cwd, POSTS))).toHaveLength(41);
    },
  );

  it('two syncs of one site from different folders, with different cacheDirs, exclude each other', async () => {
    const feed = held(json(sampleFeed()));
    server.answer(feed.handler);
    const site = path.join(await tempDir(), 'site');
    const a = await patientProject();
    const b = await patientProject();
    const configB = path.join(b, 'dropmark-sync.yaml');
    await writeFile(configB, `cacheDir: elsewhere/cache\n${await readFile(configB, 'utf8')}`);
    const first = startCli(['sync', '--config', 'dropmark-sync.yaml', '--site-dir', site], { cwd: a });
    await waitFor(() => server.requests.length === 1, undefined, 'the first sync to ask for the feed');
    const second = await syncCli(b, ['--site-dir', path.relative(b, site)], { json: false });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`another dropmark-sync \\(pid ${first.child.pid} on ${hostname()}, sync`));
    expect(server.requests).toHaveLength(1);
    feed.release();
    expect((await first.done).code).toBe(0);
    expect(await readdir(path.join(site, 'content/post'))).toHaveLength(41);
  });

  it('takes over the lock of a process that is gone', async () => {
    const cwd = await projectWithConfig(endpoint);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const file = lockFile(path.join(cwd, 'site'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(
      file,
      JSON.stringify({
        pid: Number(dead),
        host: hostname(),
        startedAt: new Date().toISOString(),
        command: 'sync',
        token: 'x',
      }),
    );
    const result = await sync(cwd);
    expect(result.summary.ok).toBe(true);
    expect(result.log).toMatch(new RegExp(`took over a stale lock: its process ${dead} is gone`));
    expect(existsSync(file)).toBe(false);
  });
});

const LINKS = 'site/content/links';
const HEARTBEAT = '.cache/dropmark-sync/last-run.json';
/** script(1) of util-linux, which gives a command a terminal of its own (macOS's takes other options). */
const scriptFound = spawnSync('script', ['-qec', 'true', '/dev/null'], { stdio: 'ignore' }).status === 0;
const SCRIPT_SKIPPED = 'needs util-linux script';
if (!scriptFound) console.warn(`the closed-terminal test is skipped: it ${SCRIPT_SKIPPED}`);

/**
 * A site of two collections: the sample feed, answered at once, and three links from a
 * second server that holds its answer until released. While it holds, the run cannot end,
 * so a signal sent at any point of the first collection's writes lands mid-sync, however
 * fast or slow the machine: no write delay, no sleep.
 */
async function twoCollections(): Promise<{
  cwd: string;
  links: TestServer;
  release: () => void;
  close: () => Promise<void>;
}> {
  const feed = held(
    json({
      items: [1, 2, 3].map((id) => ({
        id: 900_000 + id,
        name: `Link ${id}`,
        link: `https://www.example.com/${id}`,
        content: `Body ${id}`,
        url: `https://x.dropmark.com/2/${900_000 + id}`,
        updated_at: '2024-03-07 22:29:46 UTC',
      })),
    }),
  );
  const links = await startServer(feed.handler);
  const cwd = await tempDir();
  await writeFile(
    path.join(cwd, 'dropmark-sync.yaml'),
    [
      'siteDir: site',
      'collections:',
      `  - endpoint: ${endpoint}`,
      '    contentDir: content/post',
      '    images: { mode: remote }',
      `  - endpoint: ${links.url}/2.json`,
      '    contentDir: content/links',
      // Held for as long as the test needs: no timeout may end the wait first.
      'http: { timeoutMs: 120000, retries: 0 }',
      '',
    ].join('\n'),
  );
  return {
    cwd,
    links,
    release: feed.release,
    close: async () => {
      feed.release();
      await links.close();
    },
  };
}

/** Waits until the held collection has asked for its feed and the other has written at least one post. */
async function midSync(cwd: string, links: TestServer): Promise<void> {
  const dir = path.join(cwd, POSTS);
  await waitFor(() => links.requests.length === 1, undefined, 'the held collection to ask for its feed');
  await waitFor(
    async () => existsSync(dir) && (await readdir(dir)).some((n) => n.endsWith('.md')),
    undefined,
    'a first post',
  );
}

/** Every post on disk is whole and as the sample feed gives it; no temp file is left beside them. */
async function everyPostWhole(cwd: string): Promise<number> {
  const dir = path.join(cwd, POSTS);
  const expected = expectedFiles();
  const names = existsSync(dir) ? await readdir(dir) : [];
  expect(names.filter((n) => !n.endsWith('.md'))).toEqual([]);
  for (const name of names) {
    expect(normalize(await readFile(path.join(dir, name), 'utf8'), endpoint), name).toBe(
      normalize(expected.get(name) ?? ''),
    );
  }
  return names.length;
}

describe('clean stop', () => {
  it('SIGTERM mid-sync: exit 0, lock released, every file old or new, and the next sync completes', async () => {
    const site = await twoCollections();
    try {
      const running = startCli(['sync', '--config', 'dropmark-sync.yaml', '--json'], { cwd: site.cwd });
      await midSync(site.cwd, site.links);
      running.child.kill('SIGTERM');
      const result = await running.done;
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/SIGTERM received; stopping after the file in progress/);
      const summary = JSON.parse(result.stdout);
      expect(summary.stopped).toBe(true);
      // The held collection never got its feed: it stopped, and wrote nothing.
      expect(summary.collections[1].result).toBe('stopped');
      expect(existsSync(path.join(site.cwd, LINKS))).toBe(false);
      expect(existsSync(lockFile(path.join(site.cwd, 'site')))).toBe(false);
      const written = await everyPostWhole(site.cwd);
      expect(summary.collections[0].created).toBe(written);

      site.release();
      const next = await sync(site.cwd);
      expect(next.summary).toMatchObject({ ok: true, created: 41 - written + 3, unchanged: written, stopped: false });
      expect(await everyPostWhole(site.cwd)).toBe(41);
    } finally {
      await site.close();
    }
  });
});

describe('a hang-up (SIGHUP: a closed terminal, a dropped ssh session)', () => {
  it('SIGHUP mid-sync is the clean stop SIGTERM is: exit 0, lock released, no temp file, a heartbeat', async () => {
    const site = await twoCollections();
    try {
      const running = startCli(['sync', '--config', 'dropmark-sync.yaml', '--json'], { cwd: site.cwd });
      await midSync(site.cwd, site.links);
      running.child.kill('SIGHUP');
      const result = await running.done;
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/SIGHUP received; stopping after the file in progress/);
      const summary = JSON.parse(result.stdout);
      expect(summary.stopped).toBe(true);
      expect(summary.collections[1].result).toBe('stopped');
      expect(existsSync(path.join(site.cwd, LINKS))).toBe(false);
      expect(existsSync(lockFile(path.join(site.cwd, 'site')))).toBe(false);
      expect(await everyPostWhole(site.cwd)).toBe(summary.collections[0].created);
      const heartbeat = JSON.parse(await readFile(path.join(site.cwd, HEARTBEAT), 'utf8'));
      expect(heartbeat).toMatchObject({ result: 'stopped', collections: [{}, { result: 'stopped' }] });
    } finally {
      await site.close();
    }
  });

  it.skipIf(!scriptFound)(
    `the terminal of a running sync closes: a clean stop although the terminal is gone (${SCRIPT_SKIPPED})`,
    async () => {
      const site = await twoCollections();
      try {
        // script(1) runs the CLI on a terminal of its own; killing script closes that terminal, as closing a
        // terminal window does: the kernel sends the CLI SIGHUP, and its every later write to stderr fails (EIO).
        const command = `'${process.execPath}' '${CLI}' sync --config dropmark-sync.yaml`;
        const terminal = spawn('script', ['-qfec', command, '/dev/null'], {
          cwd: site.cwd,
          env: { PATH: process.env['PATH'] ?? '', SHELL: '/bin/sh', LOG_LEVEL: 'info' },
          stdio: 'ignore',
        });
        await midSync(site.cwd, site.links);
        terminal.kill('SIGKILL');
        const lock = lockFile(path.join(site.cwd, 'site'));
        await waitFor(() => existsSync(path.join(site.cwd, HEARTBEAT)) && !existsSync(lock), undefined, 'a clean stop');
        const heartbeat = JSON.parse(await readFile(path.join(site.cwd, HEARTBEAT), 'utf8'));
        expect(heartbeat).toMatchObject({ result: 'stopped', collections: [{}, { result: 'stopped' }] });
        expect(existsSync(path.join(site.cwd, LINKS))).toBe(false);
        expect(await everyPostWhole(site.cwd)).toBe(heartbeat.collections[0].created);
      } finally {
        await site.close();
      }
    },
  );
});

describe('cheap polls', () => {
  it('a second poll of an unchanged feed is one request answered 304 and zero writes', async () => {
    server.answer(withEtag('"v1"', sampleFeed()));
    const cwd = await projectWithConfig(endpoint);
    expect((await sync(cwd)).summary.ok).toBe(true);
    const before = await snapshot(path.join(cwd, POSTS));
    const second = await sync(cwd);
    expect(second.summary.ok).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.headers['if-none-match']).toBe('"v1"');
    const summary = second.summary;
    expect(summary).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 41, files: [] });
    expect(summary.collections[0]?.result).toBe('not-modified');
    expect(second.log).toMatch(/feed not modified \(HTTP 304\)/);
    expect(await snapshot(path.join(cwd, POSTS))).toEqual(before);
  });

  it('--full ignores the cache', async () => {
    server.answer(withEtag('"v1"', sampleFeed()));
    const cwd = await projectWithConfig(endpoint);
    await sync(cwd);
    const full = await sync(cwd, { full: true });
    expect(server.requests[1]?.headers['if-none-match']).toBeUndefined();
    expect(full.summary.collections[0]?.result).toBe('ok');
  });

  it(
    'a feed that differs only in re-signed thumbnails ' + 'reads and writes no content file (image mode none)',
    async () => {
      let n = 0;
      server.answer((req, res) => json(resigned(n++))(req, res));
      const cwd = await projectWithConfig(endpoint);
      await writeFile(
        path.join(cwd, 'dropmark-sync.yaml'),
        (await readFile(path.join(cwd, 'dropmark-sync.yaml'), 'utf8')).replace('mode: remote', 'mode: none'),
      );
      expect((await sync(cwd)).summary.ok).toBe(true);
      const before = await snapshot(path.join(cwd, POSTS));
      const second = await sync(cwd);
      expect(second.summary.collections[0]?.result).toBe('unchanged-feed');
      expect(await snapshot(path.join(cwd, POSTS))).toEqual(before);
      expect(n).toBe(2);
    },
  );

  it('a link whose Policy= parameter changes, images re-signed, is updated on the next poll (no ETag)', async () => {
    const withLink = (n: number, policy: string) => {
      const feed = resigned(n);
      const first = feed.items[0] as Record<string, unknown>;
      first['link'] = `${first['link']}&Policy=${policy}`;
      return feed;
    };
    server.answer(json(withLink(1, 'old')));
    const cwd = await projectWithConfig(endpoint);
    const config = path.join(cwd, 'dropmark-sync.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('mode: remote', 'mode: none'));
    expect((await sync(cwd)).summary.ok).toBe(true);
    const file = path.join(
      cwd,
      POSTS,
      'academic-oup-early-experiences-with-patient-generated-health-data-health-system-and-patient-perspectives.md',
    );
    const link = 'link: https://academic.oup.com/jamia/advance-article-abstract/doi/10.1093/jamia/ocz045/5476189';
    expect(await readFile(file, 'utf8')).toContain(`${link}?redirectedFrom=fulltext&Policy=old\n`);
    server.answer(json(withLink(2, 'new')));
    const again = await sync(cwd);
    expect(again.summary).toMatchObject({ updated: 1, unchanged: 40 });
    expect(await readFile(file, 'utf8')).toContain(`${link}?redirectedFrom=fulltext&Policy=new\n`);
  });

  it('a hand edit in the site makes the next poll a full pass, which repairs it', async () => {
    server.answer(withEtag('"v1"', sampleFeed()));
    const cwd = await projectWithConfig(endpoint);
    await sync(cwd);
    const file = path.join(cwd, POSTS, 'himss-health-innovation-are-we-getting-it-right.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('linkBrand: himss.org', 'linkBrand: broken'));
    const again = await sync(cwd);
    // Asked conditionally while the site was pictured; the picture disagreed, so the 304 was followed by a
    // request for the whole feed.
    expect(server.requests.slice(1).map((r) => r.headers['if-none-match'])).toEqual(['"v1"', undefined]);
    expect(again.summary).toMatchObject({ updated: 1, unchanged: 40 });
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('the site a folder of a git repository: a hand edit and a deletion after a commit are repaired', async () => {
    server.answer(withEtag('"v1"', sampleFeed()));
    // git is found on PATH, as on a user's machine.
    const withGit = { env: { PATH: process.env['PATH'] ?? '' } };
    const cwd = await projectWithConfig(endpoint);
    await sync(cwd, withGit);
    // The project is the repository; the site is its folder `site/`.
    gitIn(cwd, 'init', '-q');
    gitIn(cwd, 'add', '-A');
    gitIn(cwd, 'commit', '-q', '-m', 'synced');
    // The first poll in the repository records the picture git gives; the next is a 304 that stands.
    await sync(cwd, withGit);
    expect((await sync(cwd, withGit)).summary.collections[0]?.result).toBe('not-modified');
    const file = path.join(cwd, POSTS, 'himss-health-innovation-are-we-getting-it-right.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('linkBrand: himss.org', 'linkBrand: broken'));
    const other = (await readdir(path.join(cwd, POSTS))).find((n) => n !== path.basename(file)) ?? '';
    const gone = path.join(cwd, POSTS, other);
    const goneText = await readFile(gone, 'utf8');
    await rm(gone);
    const again = await sync(cwd, withGit);
    expect(again.summary).toMatchObject({ created: 1, updated: 1, unchanged: 39 });
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(await readFile(gone, 'utf8')).toBe(goneText);
  });

  it('a corrupt cache costs a full pass, not a wrong result', async () => {
    server.answer(withEtag('"v1"', sampleFeed()));
    const cwd = await projectWithConfig(endpoint);
    await sync(cwd);
    const feeds = path.join(cwd, '.cache/dropmark-sync/feeds');
    for (const name of await readdir(feeds)) await writeFile(path.join(feeds, name), 'garbage');
    const again = await sync(cwd);
    expect(again.summary).toMatchObject({ unchanged: 41 });
    expect(again.summary.collections[0]?.result).toBe('ok');
  });
});

describe('several collections', () => {
  it('syncs both; one failing endpoint fails the run with the other collection written', async () => {
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
      const { summary } = await sync(cwd);
      expect(summary.ok).toBe(false);
      expect(summary.created).toBe(41);
      expect(summary.collections.map((c) => c.result)).toEqual(['ok', 'failed']);
      expect(summary.collections[1]?.error).toMatch(/HTTP 503/);
      expect(await readdir(path.join(cwd, POSTS))).toHaveLength(41);
      expect(existsSync(path.join(cwd, 'site/content/links'))).toBe(false);
    } finally {
      await failing.close();
    }
  });

  it('six collections, more than are synced at once: every one synced, in its own folder', async () => {
    const COLLECTIONS = 6;
    const feeds = await startServer((req, res) => {
      const n = Number(/\/(\d+)\.json$/.exec(req.url ?? '')?.[1]);
      const item = { id: 910_000 + n, name: `Link ${n}`, link: `https://www.example.com/${n}` };
      json({ items: [{ ...item, url: 'https://x.dropmark.com/2' }] })(req, res);
    });
    try {
      const cwd = await tempDir();
      const lines = Array.from({ length: COLLECTIONS }, (_, n) => [
        `  - endpoint: ${feeds.url}/${n}.json`,
        `    contentDir: content/links-${n}`,
        '    images: { mode: none }',
      ]);
      const config = ['siteDir: site', 'collections:', ...lines.flat(), 'http: { allowPrivateNetworks: true }', ''];
      await writeFile(path.join(cwd, 'dropmark-sync.yaml'), config.join('\n'));
      const { summary } = await sync(cwd);
      expect(summary.collections.map((c) => c.result)).toEqual(Array(COLLECTIONS).fill('ok'));
      expect(summary.created).toBe(COLLECTIONS);
      for (let n = 0; n < COLLECTIONS; n++) {
        expect(await readdir(path.join(cwd, `site/content/links-${n}`))).toEqual([`example-link-${n}.md`]);
      }
      expect(feeds.requests).toHaveLength(COLLECTIONS);
    } finally {
      await feeds.close();
    }
  });
});

describe('heartbeat and status', () => {
  // Four CLI runs in a row: a loaded machine needs more than the default failure bound.
  it('status reports the last run and its exit codes follow it', { timeout: 90_000 }, async () => {
    const cwd = await projectWithConfig(endpoint);
    const none = await runCli(['status', '--config', 'dropmark-sync.yaml'], { cwd });
    expect(none.code).toBe(1);
    expect((await sync(cwd)).summary.ok).toBe(true);
    const heartbeat = JSON.parse(await readFile(path.join(cwd, '.cache/dropmark-sync/last-run.json'), 'utf8'));
    expect(heartbeat).toMatchObject({ result: 'ok', collections: [{ result: 'ok', created: 41 }] });
    const ok = await runCli(['status', '--config', 'dropmark-sync.yaml', '--max-age', '1h'], { cwd });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/last run: ok/);
    // The status process starts well over a millisecond after the sync finished: no sleep needed.
    expect((await runCli(['status', '--config', 'dropmark-sync.yaml', '--max-age', '1ms'], { cwd })).code).toBe(1);
    server.answer(status(500));
    expect((await sync(cwd, { full: true })).summary.ok).toBe(false);
    const failed = await runCli(['status', '--config', 'dropmark-sync.yaml'], { cwd });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/last run: failed/);
  });
});

describe('status without --max-age counts on the schedule', () => {
  it('"17 */3 * * *" (the init default): healthy 2 h 50 min after the last success, stale 6 h 30 min', async () => {
    const cwd = await projectWithConfig(endpoint, 'schedule: "17 */3 * * *"\ntimezone: UTC');
    expect((await sync(cwd)).summary.ok).toBe(true);
    const file = path.join(cwd, '.cache/dropmark-sync/last-run.json');
    const written = JSON.parse(await readFile(file, 'utf8'));
    // Whatever the clock says now, a run is due within 3 h of the last success and another 3 h later.
    const successAgo = async (ms: number) => {
      const at = new Date(Date.now() - ms).toISOString();
      await writeFile(file, JSON.stringify({ ...written, finishedAt: at, lastSuccessAt: at }));
      return runCli(['status', '--config', 'dropmark-sync.yaml'], { cwd });
    };
    const healthy = await successAgo((2 * 60 + 50) * 60_000);
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(/^ok: last success 3 h ago\n/);
    const stale = await successAgo((6 * 60 + 30) * 60_000);
    expect(stale.code).toBe(1);
    // The allowance depends on where in the three hours the success fell: 3 h 10 min to 6 h 10 min.
    const [first, allowed, rest] = (stale.stdout.split('\n')[0] ?? '').split(/\(allowed | h: /);
    expect(first).toBe('stale: last success 7 h ago ');
    expect(Number(allowed)).toBeGreaterThanOrEqual(3);
    expect(Number(allowed)).toBeLessThanOrEqual(6);
    expect(rest).toBe('two runs of the schedule "17 */3 * * *" in UTC plus deadlineMs); is the scheduler running?');
  });
});

describe('schedule', () => {
  it('--run-now syncs at start; SIGTERM stops it with exit 0 and no lock left', async () => {
    const cwd = await projectWithConfig(endpoint);
    const worker = startCli(['schedule', '--config', 'dropmark-sync.yaml', '--run-now'], { cwd });
    await waitFor(
      () => worker.output().stderr.includes('dropmark-sync: done: 41 created'),
      undefined,
      'the first sync',
    );
    worker.child.kill('SIGTERM');
    const result = await worker.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/scheduled worker stopped/);
    expect(existsSync(lockFile(path.join(cwd, 'site')))).toBe(false);
  });

  it('SIGTERM during a scheduled sync lets it stop cleanly, exit 0', async () => {
    const site = await twoCollections();
    try {
      const worker = startCli(['schedule', '--config', 'dropmark-sync.yaml', '--run-now'], { cwd: site.cwd });
      await midSync(site.cwd, site.links);
      worker.child.kill('SIGTERM');
      const result = await worker.done;
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/dropmark-sync: stopped:/);
      expect(result.stderr).toMatch(/scheduled worker stopped/);
      expect(existsSync(path.join(site.cwd, LINKS))).toBe(false);
      expect(existsSync(lockFile(path.join(site.cwd, 'site')))).toBe(false);
      await everyPostWhole(site.cwd);
    } finally {
      await site.close();
    }
  });

  it('refuses a bad cron expression before starting', async () => {
    const cwd = await projectWithConfig(endpoint);
    await writeFile(
      path.join(cwd, 'dropmark-sync.yaml'),
      `schedule: "every 5 minutes"\n${await readFile(path.join(cwd, 'dropmark-sync.yaml'), 'utf8')}`,
    );
    const result = await runCli(['schedule', '--config', 'dropmark-sync.yaml'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/schedule: is not a valid cron expression/);
  });
});

describe('abort', () => {
  // Two signals while the process is paused are both delivered when it resumes, before it can
  // finish the clean stop the first one asks for: the second always finds it running. (Two
  // SIGTERMs would merge into one pending signal; two different signals do not.)
  it.each([
    ['SIGINT', 'SIGTERM', /SIG(INT|TERM)/],
    ['SIGHUP', 'SIGTERM', /SIG(HUP|TERM)/],
  ] as const)(
    '%s then %s: the second aborts at once: exit 1, no temp file, no lock, every file whole',
    async (first, second, names) => {
      const site = await twoCollections();
      try {
        const running = startCli(['sync', '--config', 'dropmark-sync.yaml'], { cwd: site.cwd });
        await midSync(site.cwd, site.links);
        running.child.kill('SIGSTOP');
        running.child.kill(first);
        running.child.kill(second);
        running.child.kill('SIGCONT');
        const result = await running.done;
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(new RegExp(`${names.source} received; stopping after the file in progress`));
        expect(result.stderr).toMatch(new RegExp(`${names.source} received again; aborting now`));
        await everyPostWhole(site.cwd);
        expect(existsSync(lockFile(path.join(site.cwd, 'site')))).toBe(false);
      } finally {
        await site.close();
      }
    },
  );
});
