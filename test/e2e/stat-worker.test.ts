import { createHash } from 'node:crypto';
import { lstatSync, writeFileSync } from 'node:fs';
import { appendFile, cp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { json, startServer } from '../support/feed-server.js';
import { feedJson, syntheticItems } from '../support/synthetic.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

// The built modules: under vitest, src/ has no stat-worker.js to start, so the worker is checked as it ships.
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
type Fingerprint = typeof import('../../src/site/fingerprint.js');
const built = (dist: string) => import(path.join(dist, 'site/fingerprint.js')) as Promise<Fingerprint>;

/** At or above the count where the picture's stats go to a worker thread (site/fingerprint.ts, OFF_THREAD_FILES). */
const LARGE = 20_000;
const FAILED = "the site's picture could not be taken by a worker thread; taking it here";

/** The documented stat picture of one content folder, written out: names joined by NUL, four float64s a file. */
function expectedPicture(dir: string, names: string[]): string {
  const numbers = new Float64Array(names.length * 4);
  names.forEach((name, i) => {
    const s = lstatSync(path.join(dir, name));
    numbers.set([s.size, s.ino, s.mtimeMs, s.ctimeMs], i * 4);
  });
  const hash = createHash('sha256').update(names.join('\0')).update(Buffer.from(numbers.buffer));
  return `stat:${hash.digest('hex')}`;
}

/** The built CLI of a copy of dist/ without its worker file: a picture asked of the worker says so at debug level. */
async function cliWithoutWorker(): Promise<string> {
  const dist = path.join(await tempDir('dms-stat-worker-dist-'), 'dist');
  await cp(path.join(repo, 'dist'), dist, { recursive: true });
  await cp(path.join(repo, 'package.json'), path.join(dist, '..', 'package.json'));
  await symlink(path.join(repo, 'node_modules'), path.join(dist, '..', 'node_modules'));
  await rm(path.join(dist, 'site/stat-worker.js'));
  return dist;
}

function debugLines() {
  const lines: string[] = [];
  const logger = { info() {}, warn() {}, error() {}, debug: (_: object, msg?: string) => lines.push(msg ?? '') };
  return { lines, logger };
}

describe("a large site's picture, taken by a worker thread", () => {
  let site: string;
  let names: string[];
  beforeAll(async () => {
    site = await tempDir('dms-stat-worker-');
    await mkdir(path.join(site, 'content'));
    // A name that is not ASCII: the worker writes its path byte for byte, as the main thread does.
    names = [...Array.from({ length: LARGE }, (_, i) => `post-${String(i).padStart(5, '0')}.md`), 'zoë.md'];
    for (const name of names) writeFileSync(path.join(site, 'content', name), name);
    names.sort();
  });

  it('is the picture the main thread takes, and sees an edit', async () => {
    const { siteFingerprint } = await built(path.join(repo, 'dist'));
    const { lines, logger } = debugLines();
    const picture = await siteFingerprint(site, 'content', undefined, { env: {}, logger, offThread: true });
    expect(picture).toBe(expectedPicture(path.join(site, 'content'), names));
    expect(lines).not.toContain(FAILED);
    await appendFile(path.join(site, 'content', 'post-12345.md'), 'edited');
    const edited = await siteFingerprint(site, 'content', undefined, { env: {}, logger, offThread: true });
    expect(edited).not.toBe(picture);
    expect(edited).toBe(expectedPicture(path.join(site, 'content'), names));
  });

  it('without its worker file, is taken on the main thread, the same, and says so (debug) if asked', async () => {
    const { siteFingerprint } = await built(await cliWithoutWorker());
    const { lines, logger } = debugLines();
    const expected = expectedPicture(path.join(site, 'content'), names);
    // Not asked to (a poll that may get a 304, the picture after a pass's writes): no worker is tried.
    expect(await siteFingerprint(site, 'content', undefined, { env: {}, logger })).toBe(expected);
    expect(lines).toEqual([]);
    expect(await siteFingerprint(site, 'content', undefined, { env: {}, logger, offThread: true })).toBe(expected);
    expect(lines).toContain(FAILED);
  });

  it("the Action's bundled worker runs alone and gives each file's size, inode, mtime and ctime", async () => {
    const folder = `${path.join(site, 'content')}${path.sep}`;
    const some = names.slice(0, 3);
    const worker = new Worker(path.join(repo, 'dist-action/stat-worker.js'), { workerData: { folder, names: some } });
    const numbers = await new Promise<Float64Array>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const expected = some.flatMap((name) => {
      const s = lstatSync(folder + name);
      return [s.size, s.ino, s.mtimeMs, s.ctimeMs];
    });
    expect([...numbers]).toEqual(expected);
  });
});

describe('a poll of a large site asks the worker for its picture only when the whole feed comes', () => {
  it('a poll without validators does, one that sends an ETag (and may get a 304) does not', async () => {
    const items = syntheticItems({ count: LARGE, seed: 7, imageEvery: 0 });
    const body = feedJson(items, (p) => p);
    const server = await startServer(json(body));
    const project = await tempDir('dms-stat-worker-poll-');
    const config = [
      'siteDir: site',
      'collections:',
      `  - endpoint: ${server.url}/616548.json`,
      '    images: { mode: none }',
      'http: { retries: 0, allowPrivateNetworks: true }',
      '',
    ];
    await writeFile(path.join(project, 'dropmark-sync.yaml'), config.join('\n'));
    const dist = await cliWithoutWorker();
    const sync = async () => {
      const args = [path.join(dist, 'cli.js'), 'sync', '--config', 'dropmark-sync.yaml', '--json'];
      const env = { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'debug' };
      const { stdout, stderr } = await promisify(execFile)(process.execPath, args, {
        cwd: project,
        env,
        maxBuffer: 1 << 28,
      });
      return { summary: JSON.parse(stdout) as { created: number; unchanged: number }, asked: stderr.includes(FAILED) };
    };
    try {
      expect(await sync()).toMatchObject({ summary: { created: LARGE }, asked: false });
      // No ETag: the whole feed comes and is read meanwhile.
      expect(await sync()).toMatchObject({ summary: { unchanged: LARGE }, asked: true });
      server.answer(json(body, 200, { etag: '"e1"' }));
      expect(await sync()).toMatchObject({ summary: { unchanged: LARGE }, asked: true });
      // The ETag is stored now: the poll is conditional, its thread may idle on a 304, no worker.
      expect(await sync()).toMatchObject({ summary: { unchanged: LARGE }, asked: false });
    } finally {
      await server.close();
    }
  });
});
