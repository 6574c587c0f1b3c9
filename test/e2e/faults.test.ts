import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotDir as snapshot } from '../support/tree.js';
import { POSTS, projectWithConfig, syncCli } from '../support/cli.js';
import { syncInProcess } from '../support/in-process.js';
import { logText } from '../support/log.js';
import { sampleFeed } from '../support/fixtures.js';
import { json, startServer, status, type Handler, type TestServer } from '../support/feed-server.js';
import { useSampleFeedServer } from '../support/sample-feed-server.js';

let server: TestServer;
let endpoint: string;
useSampleFeedServer((s, e) => {
  server = s;
  endpoint = e;
});

/**
 * A project synced once with the default (generous) timeouts, then set up with the timeouts
 * and retries of the fault at hand: a loaded machine must never fail the healthy first sync.
 */
async function syncedProject(http = LONG_WAIT): Promise<string> {
  const cwd = await projectWithConfig(endpoint);
  expect((await syncInProcess(cwd)).summary.ok).toBe(true);
  const file = path.join(cwd, 'dropmark-sync.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace(/http:\n( {2}.*\n)+/, `http:\n${http}\n`));
  return cwd;
}

/** Faults answered at once: a timeout far past any slowness of the machine, so only the fault decides. */
const LONG_WAIT = '  timeoutMs: 20000\n  retries: 2\n  retryDelayMs: 5';
/** Faults that stall: the timeout is the thing under test, and nothing ever answers. */
const SHORT_WAIT = '  timeoutMs: 800\n  retries: 2\n  retryDelayMs: 5';

const body = JSON.stringify(sampleFeed());
const changedFeed = () => {
  const feed = sampleFeed();
  (feed.items[0] as Record<string, unknown>)['name'] = 'A changed title';
  return feed;
};

/** Each fault: what the server does, what the message must say. Nothing may change on disk. */
const faults: [string, Handler, RegExp, string?][] = [
  [
    'reset mid-body',
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
      // Cut once the first bytes are out, on their flush rather than after a pause.
      res.write(body.slice(0, 1000), () => res.socket?.destroy());
    },
    /cut off before the answer was complete|shorter than announced/,
  ],
  [
    'a stalled body',
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(body.slice(0, 1000));
    },
    /no answer from 127\.0\.0\.1:\d+ within 800 ms \(http\.timeoutMs\)/,
    SHORT_WAIT,
  ],
  ['stalled headers', () => {}, /no answer from 127\.0\.0\.1:\d+ within 800 ms/, SHORT_WAIT],
  [
    'truncated JSON',
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body.slice(0, body.length - 10));
    },
    /the answer is not JSON/,
  ],
  [
    'Content-Type lies (HTML as JSON)',
    status(200, { 'content-type': 'application/json' }, '<html><body>Sign in</body></html>'),
    /not JSON \(it looks like an HTML page/,
  ],
  ['JSON without items', json({ error: 'gone' }), /no "items" list/],
  ['items without ids', json({ items: [{ name: 'x' }] }), /have no usable id/],
  ['duplicated ids', json({ items: [{ id: 7 }, { id: '7' }] }), /same item id more than once \(7\)/],
  ['HTTP 404', status(404), /HTTP 404: no such collection/],
  ['HTTP 401', status(401), /private or the read key is wrong. Set DROPMARK_API_KEY/],
  ['503 every time', status(503, { 'retry-after': '0' }), /HTTP 503.*gave up after 3 attempts/],
  ['too many redirects', (req, res) => status(302, { location: `${req.url}x` })(req, res), /more than 5 redirects/],
];

/**
 * The rules, in this process through `sync()`: a failed run whose collection error and log say
 * the message, and no file changed. The built CLI's part (exit 1, --json on stdout, the
 * message on stderr) is checked below on the faults that reach the socket.
 */
describe('faults on the wire: a clear message, a failed run, no file changed', () => {
  it.each(faults)('%s', async (_name, handler, message, http) => {
    const cwd = await syncedProject(http);
    const before = await snapshot(path.join(cwd, POSTS));
    server.answer(handler);
    const run = await syncInProcess(cwd, { full: true, level: 'warn' });
    expect(run.summary.ok).toBe(false);
    expect(run.summary.collections[0]?.error).toMatch(message);
    expect(run.log).toMatch(message);
    expect(await snapshot(path.join(cwd, POSTS))).toEqual(before);
  });

  it('connection refused', async () => {
    const cwd = await syncedProject();
    const before = await snapshot(path.join(cwd, POSTS));
    await server.close();
    const run = await syncInProcess(cwd);
    expect(run.summary.ok).toBe(false);
    expect(run.log).toMatch(/connection to 127\.0\.0\.1:\d+ refused/);
    expect(await snapshot(path.join(cwd, POSTS))).toEqual(before);
  });
});

describe('faults on the wire, through the built CLI: exit 1, the message in --json and on stderr', () => {
  const byName = (name: string) => faults.find((f) => f[0] === name) as (typeof faults)[number];
  it.each([byName('reset mid-body'), byName('stalled headers'), byName('HTTP 401')])(
    '%s',
    async (_name, handler, message, http) => {
      const cwd = await syncedProject(http);
      const before = await snapshot(path.join(cwd, POSTS));
      server.answer(handler);
      const result = await syncCli(cwd, ['--full'], { env: { LOG_LEVEL: 'warn' } });
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).collections[0].error).toMatch(message);
      expect(logText(result.stderr)).toMatch(message);
      expect(await snapshot(path.join(cwd, POSTS))).toEqual(before);
    },
  );
});

describe('faults that the retries ride out', () => {
  it('503 flapping, then the feed: the sync completes', async () => {
    const cwd = await syncedProject('  retries: 4\n  retryDelayMs: 5');
    server.answer(status(503), status(503), json(changedFeed()));
    const { summary } = await syncInProcess(cwd, { full: true });
    expect(summary.ok).toBe(true);
    expect(summary.updated).toBe(1);
  });

  it('429 with Retry-After as an HTTP date is honoured', async () => {
    const cwd = await syncedProject('  retries: 2\n  retryDelayMs: 5');
    server.answer(status(429, { 'retry-after': new Date(Date.now() + 2000).toUTCString() }), json(changedFeed()));
    const { summary, records } = await syncInProcess(cwd, { full: true });
    expect(summary.ok).toBe(true);
    // The retry waited the server's date out, not the 5 ms backoff: an HTTP date has whole seconds, so 1 to 2 s.
    const retry = records.find((r) => String(r['msg']).startsWith('feed request failed, will retry'));
    expect(retry?.['waitMs']).toBe(retry?.['retryAfterMs']);
    expect(retry?.['waitMs']).toBeGreaterThan(900);
    expect(retry?.['waitMs']).toBeLessThanOrEqual(2000);
  });

  it('a redirect within the limit is followed; the key does not go to the other host', async () => {
    const other = await startServer(json(changedFeed()));
    try {
      const cwd = await syncedProject('  retries: 0\n  allowPrivateNetworks: true');
      server.answer(status(301, { location: `${other.url}/moved.json` }));
      const { summary } = await syncInProcess(cwd, { full: true, env: { DROPMARK_API_KEY: 'sekrit-1234' } });
      expect(summary.ok).toBe(true);
      expect(server.requests.at(-1)?.url).toContain('key=sekrit-1234');
      expect(other.requests.map((r) => r.url)).toEqual(['/moved.json']);
    } finally {
      await other.close();
    }
  });
});

describe('a redirect to another host is not trusted', () => {
  it('a redirect to a loopback service is refused; its body reaches no error, log, heartbeat or report', async () => {
    const internal = await startServer(status(200, { 'content-type': 'text/plain' }, 'INTERNAL-SECRET-VALUE'));
    try {
      const cwd = await syncedProject('  retries: 0');
      // localhost, not 127.0.0.1: another origin than the endpoint's, resolved by the guarded lookup.
      server.answer(status(302, { location: `${internal.url.replace('127.0.0.1', 'localhost')}/admin` }));
      const result = await syncCli(cwd, ['--full', '--report', 'report.md']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/private or local address; refused/);
      expect(internal.requests).toEqual([]);
      const everything = [result.stdout, result.stderr, await readFile(path.join(cwd, 'report.md'), 'utf8')];
      everything.push(await readFile(path.join(cwd, '.cache/dropmark-sync/last-run.json'), 'utf8'));
      for (const text of everything) expect(text).not.toMatch(/INTERNAL|SECRET/);
    } finally {
      await internal.close();
    }
  });
});

describe('a slow server does not hold the lock forever', () => {
  it('the overall deadline stops the sync: a failed run', async () => {
    const cwd = await syncedProject('  timeoutMs: 60000\n  retries: 0');
    const file = path.join(cwd, 'dropmark-sync.yaml');
    await writeFile(file, `deadlineMs: 700\n${await readFile(file, 'utf8')}`);
    server.answer(() => {});
    // The request timeout is 60 s, past the test's own: only the deadline can end this run.
    const run = await syncInProcess(cwd, { full: true });
    expect(run.summary.ok).toBe(false);
    expect(run.log).toMatch(/the sync ran past its deadline \(deadlineMs\) and was stopped/);
  });
});
