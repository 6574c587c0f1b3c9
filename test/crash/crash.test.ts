import { existsSync } from 'node:fs';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGES, POSTS, startCli, syncCli, tempDir, writeLoopbackConfig } from '../support/cli.js';
import { contents, snapshotTree } from '../support/tree.js';
import { FakeCdn } from '../support/cdn.js';
import { startServer, type Handler, type TestServer } from '../support/feed-server.js';
import { jpeg } from '../support/images.js';
import { feedJson, revise, syntheticItems, type SyntheticItem } from '../support/synthetic.js';
import { waitFor } from '../support/wait.js';

const SLOW_WRITES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'slow-writes.mjs');

/**
 * Kills real `sync` processes (SIGKILL) at many points of a 300-item sync with images, then
 * checks that every file is its old or its new version, and that the next sync converges to
 * exactly what an uninterrupted run writes.
 */
const KILLS = 10;
type Server = TestServer & { route(prefix: string, handler: Handler): void };
let server: Server;
let cdn: FakeCdn;
let current: SyntheticItem[];
/** The CDN answers 404 to everything (old thumbnails stop working): an image fetched again is lost. */
let cdnDown = false;
let before: string;
let first: SyntheticItem[];
let reference: Map<string, string>;
const LOCK = 'site/.dropmark-sync.lock';
const TEMP = /(^|\/)\.dropmark-sync-[^/]*\.tmp$/;

/** The site's files (config and cache aside), by content. */
async function tree(root: string): Promise<Map<string, string>> {
  return contents(await snapshotTree(root, (rel) => rel === '.cache' || rel === 'dropmark-sync.yaml'));
}

const sync = (cwd: string) => syncCli(cwd, [], { json: false, env: { LOG_LEVEL: 'warn' } });

beforeAll(async () => {
  server = (await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(feedJson(current, (p) => cdn.sign(p)));
  })) as Server;
  cdn = new FakeCdn(() => server.url);
  server.route('/cdn/', (req, res) => (cdnDown ? res.writeHead(404).end() : cdn.handler(req, res)));

  first = syntheticItems({ count: 300, imageEvery: 3 });
  const second = revise(first, { changedShare: 0.3, droppedShare: 0.1, added: 30 });
  for (const item of [...first, ...second])
    if (item.thumbnailPath) cdn.put(item.thumbnailPath, jpeg(item.thumbnailPath));

  before = await tempDir('dms-crash-base-');
  await writeLoopbackConfig(before, `${server.url}/616548.json`);
  current = first;
  expect((await sync(before)).code).toBe(0);

  current = second;
  const uninterrupted = await tempDir('dms-crash-ref-');
  await cp(before, uninterrupted, { recursive: true });
  expect((await sync(uninterrupted)).code).toBe(0);
  reference = await tree(uninterrupted);
}, 120_000);

afterAll(async () => {
  await server.close();
});

describe('crash safety (SIGKILL mid-sync)', () => {
  it(`after each of ${KILLS} kills every file is old or new, and the next sync converges`, async () => {
    const old = await tree(before);
    const changedFiles =
      [...reference].filter(([f, b]) => old.get(f) !== b).length +
      [...old.keys()].filter((f) => !reference.has(f)).length;
    expect(changedFiles).toBeGreaterThan(100);
    const landed: number[] = [];

    for (let k = 0; k < KILLS; k++) {
      const work = await tempDir('dms-crash-');
      await cp(before, work, { recursive: true });
      const child = startCli(['sync', '--config', 'dropmark-sync.yaml'], {
        cwd: work,
        env: { LOG_LEVEL: 'warn', SLOW_WRITES_MS: '4' },
        // Slows every rename, link and removal from outside the product, so the kill lands mid-write.
        nodeArgs: ['--import', SLOW_WRITES],
      });
      // Kill points spread from "images being written" to "deletions under way".
      const threshold = Math.round(((k + 0.5) / KILLS) * changedFiles);
      await waitFor(
        async () => {
          const now = await tree(work);
          let differing = 0;
          for (const [f, b] of now) if (!TEMP.test(f) && f !== LOCK && old.get(f) !== b) differing++;
          for (const f of old.keys()) if (!now.has(f)) differing++;
          return differing >= threshold || child.child.exitCode !== null;
        },
        60_000,
        `kill point ${k}`,
      );
      child.child.kill('SIGKILL');
      await child.done;

      const after = await tree(work);
      let moved = 0;
      for (const [file, bytes] of after) {
        // The killed run's lock stays behind (its pid is dead); the recovery run takes it over.
        if (TEMP.test(file) || file === LOCK) continue;
        const isOld = old.get(file) === bytes;
        const isNew = reference.get(file) === bytes;
        expect(isOld || isNew, `${file} after kill ${k} is neither its old nor its new version`).toBe(true);
        if (!isOld) moved++;
      }
      for (const file of old.keys())
        if (!after.has(file) && !TEMP.test(file)) {
          expect(reference.has(file), `${file} vanished but the uninterrupted run keeps it`).toBe(false);
        }
      landed.push(moved);

      const recovery = await sync(work);
      expect(recovery.code, recovery.stderr).toBe(0);
      const converged = await tree(work);
      expect([...converged.keys()].filter((f) => TEMP.test(f) || f === LOCK)).toEqual([]);
      const extra = [...converged.keys()].filter((f) => !reference.has(f));
      const missing = [...reference.keys()].filter((f) => !converged.has(f));
      const different = [...reference.keys()].filter((f) => converged.has(f) && converged.get(f) !== reference.get(f));
      expect({ kill: k, extra, missing, different }).toEqual({ kill: k, extra: [], missing: [], different: [] });
    }
    if (process.env['CRASH_REPORT'])
      console.log(`changed files ${changedFiles}; files moved at each kill: ${landed.join(', ')}`);
    // The kills really landed in the middle: some runs had written part of the change, none all of it... mostly.
    expect(landed.some((n) => n > 0 && n < changedFiles)).toBe(true);
  }, 300_000);
});

/** Every post's `image` (jekyll) or `featuredImage` (bookmark) that names a file missing from the site. */
async function danglingImages(site: string): Promise<string[]> {
  const dangling: string[] = [];
  for (const name of await readdir(path.join(site, 'content/post'))) {
    if (!name.endsWith('.md')) continue;
    const text = await readFile(path.join(site, 'content/post', name), 'utf8');
    const image = /^(?:image|featuredImage): (\/img\/\S+)$/m.exec(text)?.[1];
    if (image && !existsSync(path.join(site, 'static', image))) dangling.push(`${name} -> ${image}`);
  }
  return dangling;
}

/** Names directly in the post and image folders of a site: the cheap progress measure of a move. */
async function names(work: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const dir of [POSTS, IMAGES])
    for (const name of await readdir(path.join(work, dir)).catch(() => []))
      if (!TEMP.test(name)) out.add(`${dir}/${name}`);
  return out;
}

describe('crash safety of image moves (a profile switch renames every post; the CDN answers 404)', () => {
  // Spread over the run, and dense at its end, where old image names are removed before the final manifest.
  const KILL_AT = [0.1, 0.3, 0.5, 0.7, 0.88, 0.93, 0.97, 0.995];

  const title = `after each of ${KILL_AT.length} kills no post points to a missing image; the next sync keeps all`;
  it(title, async () => {
    const base = await tempDir('dms-crash-move-base-');
    await cp(before, base, { recursive: true });
    const config = path.join(base, 'dropmark-sync.yaml');
    await writeFile(
      config,
      (await readFile(config, 'utf8')).replace('allowHttp: true }', 'allowHttp: true }\n    profile: jekyll'),
    );
    current = first;
    cdnDown = true;
    try {
      const uninterrupted = await tempDir('dms-crash-move-ref-');
      await cp(base, uninterrupted, { recursive: true });
      const run = await syncCli(uninterrupted);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ result: 'ok', imagesMissing: 0, imagesDownloaded: 0 });
      const reference = await tree(uninterrupted);
      const [oldNames, newNames] = [await names(base), await names(uninterrupted)];
      const gone = [...oldNames].filter((n) => !newNames.has(n));
      const made = [...newNames].filter((n) => !oldNames.has(n));
      expect(made.filter((n) => n.includes('/img/'))).toHaveLength(gone.filter((n) => n.includes('/img/')).length);

      for (const [k, share] of KILL_AT.entries()) {
        const work = await tempDir('dms-crash-move-');
        await cp(base, work, { recursive: true });
        const child = startCli(['sync', '--config', 'dropmark-sync.yaml'], {
          cwd: work,
          env: { LOG_LEVEL: 'warn', SLOW_WRITES_MS: '10' },
          nodeArgs: ['--import', SLOW_WRITES],
        });
        const threshold = Math.round(share * (gone.length + made.length));
        await waitFor(
          async () => {
            const now = await names(work);
            const progress = made.filter((n) => now.has(n)).length + gone.filter((n) => !now.has(n)).length;
            return progress >= threshold || child.child.exitCode !== null;
          },
          60_000,
          `move kill point ${k}`,
        );
        child.child.kill('SIGKILL');
        await child.done;
        expect(await danglingImages(path.join(work, 'site')), `after kill ${k}`).toEqual([]);

        const recovery = await syncCli(work, [], { env: { LOG_LEVEL: 'warn' } });
        expect(recovery.code, recovery.stderr).toBe(0);
        expect(JSON.parse(recovery.stdout), `recovery after kill ${k}`).toMatchObject({ imagesMissing: 0 });
        const converged = await tree(work);
        const extra = [...converged.keys()].filter((f) => !reference.has(f));
        const missing = [...reference.keys()].filter((f) => !converged.has(f));
        const different = [...reference.keys()].filter(
          (f) => converged.has(f) && converged.get(f) !== reference.get(f),
        );
        expect({ kill: k, extra, missing, different }).toEqual({ kill: k, extra: [], missing: [], different: [] });
      }
    } finally {
      cdnDown = false;
    }
  }, 300_000);
});
