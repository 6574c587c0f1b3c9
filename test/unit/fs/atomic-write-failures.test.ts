import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import * as realFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nodeFs, type WriteFs } from '../../../src/fs/atomic-write.js';
import { loadConfig } from '../../../src/config/load.js';
import { silentLogger } from '../../../src/log.js';
import { sync } from '../../../src/sync/run.js';
import { json, startServer, type TestServer } from '../../support/feed-server.js';

let server: TestServer;
const dispatcher = new Agent();
const feed = (bodies: Record<string, string> = {}) =>
  json({
    items: ['Alpha', 'Beta', 'Gamma', 'About'].map((name, i) => ({
      id: i + 1,
      name,
      link: 'https://www.example.com/x',
      content: bodies[name] ?? `Body ${name}`,
      url: `https://x.dropmark.com/1/${i + 1}`,
      updated_at: '2024-03-07 22:29:46 UTC',
    })),
  });
beforeAll(async () => {
  server = await startServer(feed());
});
afterAll(async () => {
  await server.close();
  await dispatcher.close();
});

let cwd: string;
let posts: string;
beforeEach(async () => {
  server.answer(feed());
  cwd = await mkdtemp(path.join(tmpdir(), 'dms-fs-'));
  posts = path.join(cwd, 'site/content/post');
});

async function run(fs?: WriteFs) {
  const { config } = await loadConfig({
    cwd,
    env: {},
    overrides: { endpoint: `${server.url}/feed.json`, siteDir: 'site' },
    readText: async () => {
      throw Object.assign(new Error('none'), { code: 'ENOENT' });
    },
  });
  const [collection] = config.collections;
  if (!collection) throw new Error('the config has no collection');
  collection.images.mode = 'none';
  return sync(config, {
    dispatcher,
    logger: silentLogger,
    now: () => new Date('2026-01-01T00:00:00Z'),
    env: {},
    ...(fs ? { fs } : {}),
  });
}

/** node:fs, except that writing a temp file for `target` fails with `code`, after writing part of it. */
function failingWrites(target: RegExp, code: string): WriteFs {
  return {
    ...nodeFs,
    writeFile: (async (file: string, data: string | Buffer, options: object) => {
      if (!target.test(path.basename(file))) return realFs.writeFile(file, data, options);
      await realFs.writeFile(file, String(data).slice(0, 10), options);
      throw Object.assign(new Error(`${code}: simulated`), { code });
    }) as WriteFs['writeFile'],
  };
}

describe('filesystem hostility', () => {
  it('a full disk (ENOSPC): that file fails and is reported, the others are written, no temp file stays', async () => {
    const summary = await run(failingWrites(/example-beta/, 'ENOSPC'));
    expect(summary.ok).toBe(false);
    expect(summary.collections[0]?.failures).toEqual([
      { file: 'content/post/example-beta.md', reason: 'the disk is full; free some space and run again (ENOSPC)' },
    ]);
    expect((await readdir(posts)).sort()).toEqual(['example-about.md', 'example-alpha.md', 'example-gamma.md']);
    const again = await run();
    expect(again.ok).toBe(true);
    expect(again.created).toBe(1);
  });

  it('a file that cannot be replaced (read-only): reported, and the old file is intact', async () => {
    await run();
    const before = await readFile(path.join(posts, 'example-gamma.md'), 'utf8');
    server.answer(feed({ Gamma: 'changed' }));
    const readOnly: WriteFs = {
      ...nodeFs,
      rename: (async (from: string, to: string) => {
        if (path.basename(String(to)) === 'example-gamma.md')
          throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        return realFs.rename(from, to);
      }) as WriteFs['rename'],
    };
    const summary = await run(readOnly);
    expect(summary.collections[0]?.failures).toContainEqual({
      file: 'content/post/example-gamma.md',
      reason: 'permission denied; check the owner and permissions of the file and its folder (EACCES)',
    });
    expect(await readFile(path.join(posts, 'example-gamma.md'), 'utf8')).toBe(before);
    expect((await readdir(posts)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it(
    'a failed write records nothing new: ' +
      'the body state describes the file on disk, so the next run still updates it',
    async () => {
      await run();
      const bodiesFile = path.join(cwd, 'site/data/dropmark-sync/bodies-content-post.json');
      const recorded = await readFile(bodiesFile, 'utf8');
      server.answer(feed({ Gamma: 'A new body from Dropmark' }));
      const summary = await run(failingWrites(/example-gamma/, 'EROFS'));
      expect(summary.ok).toBe(false);
      expect(summary.collections[0]?.failures).toEqual([
        { file: 'content/post/example-gamma.md', reason: 'the file system is read-only (EROFS)' },
      ]);
      expect(await readFile(bodiesFile, 'utf8')).toBe(recorded);
      const again = await run();
      expect(again).toMatchObject({ ok: true, updated: 1 });
      expect(await readFile(path.join(posts, 'example-gamma.md'), 'utf8')).toMatch(/\nA new body from Dropmark$/);
    },
  );

  it('a symlink planted at a target file is never written through', async () => {
    const outside = path.join(cwd, 'outside.txt');
    await writeFile(outside, 'precious');
    await mkdir(posts, { recursive: true });
    await symlink(outside, path.join(posts, 'example-alpha.md'));
    const summary = await run();
    // Like a file of someone else: the item takes another name, and nothing is written through the link.
    expect(summary.ok).toBe(true);
    expect(await readFile(outside, 'utf8')).toBe('precious');
    expect(await readFile(path.join(posts, 'example-alpha-1.md'), 'utf8')).toMatch(/\ntitle: Alpha\n/);
  });

  it('a symlinked folder on the way to the content dir is refused as a whole', async () => {
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'dms-elsewhere-'));
    await mkdir(path.join(cwd, 'site'), { recursive: true });
    await symlink(elsewhere, path.join(cwd, 'site/content'));
    const summary = await run();
    expect(summary.ok).toBe(false);
    expect(summary.collections[0]?.error).toMatch(/symbolic link; refusing to write through it/);
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('never loses a file it does not own that has a colliding name', async () => {
    await mkdir(posts, { recursive: true });
    const mine = '---\ntitle: About us\n---\nWritten by a person.\n';
    await writeFile(path.join(posts, 'example-about.md'), mine);
    const summary = await run();
    expect(summary.ok).toBe(true);
    expect(await readFile(path.join(posts, 'example-about.md'), 'utf8')).toBe(mine);
    expect(await readdir(posts)).toContain('example-about-4.md');
  });
});

describe('a file that appears while the sync runs', () => {
  const mine = '---\ntitle: About us\n---\nWritten by a person.\n';

  /** node:fs, except that a person saves example-about.md after the folder was read, as the new file is readied. */
  const personSavesAbout = (): WriteFs => ({
    ...nodeFs,
    writeFile: (async (file: string, data: string | Buffer, options: object) => {
      if (path.basename(file).startsWith('.dropmark-sync-example-about.md.'))
        await realFs.writeFile(path.join(posts, 'example-about.md'), mine);
      return realFs.writeFile(file, data, options);
    }) as WriteFs['writeFile'],
  });

  it('is never replaced: the new file fails and says why, the next sync names the item <slug>-<id>', async () => {
    const summary = await run(personSavesAbout());
    expect(summary.collections[0]?.failures).toEqual([
      {
        file: 'content/post/example-about.md',
        reason:
          'a file of this name (or of one differing only in case) is already there, and a new file never ' +
          'replaces one; it is left alone, and the next sync gives the item another name',
      },
    ]);
    expect(await readFile(path.join(posts, 'example-about.md'), 'utf8')).toBe(mine);
    const again = await run();
    expect(again).toMatchObject({ ok: true, created: 1 });
    expect(await readFile(path.join(posts, 'example-about.md'), 'utf8')).toBe(mine);
    expect((await readdir(posts)).sort()).toEqual([
      'example-about-4.md',
      'example-about.md',
      'example-alpha.md',
      'example-beta.md',
      'example-gamma.md',
    ]);
  });
});
