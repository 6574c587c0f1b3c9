import { createHash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import type { Logger } from '../../../src/log.js';
import { collectionFingerprint, fingerprintsAhead, siteFingerprint } from '../../../src/site/fingerprint.js';

// Sites under the OS temp folder: no `.git` above them, so the stat picture is the one taken.
async function plainSite(files: Record<string, string>): Promise<string> {
  const site = await mkdtemp(path.join(tmpdir(), 'dms-fp-stat-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(site, name)), { recursive: true });
    await writeFile(path.join(site, name), text);
  }
  return site;
}

/** The documented picture, written out: sorted names joined by NUL, then size, inode, mtime as float64s. */
function expectedPicture(dir: string, names: string[]): Buffer[] {
  const numbers = new Float64Array(names.length * 3);
  names.forEach((name, i) => {
    const s = lstatSync(path.join(dir, name));
    numbers.set([s.size, s.ino, s.mtimeMs], i * 3);
  });
  return [Buffer.from(names.join('\0')), Buffer.from(numbers.buffer)];
}

const statFingerprint = (...parts: Buffer[]) =>
  `stat:${parts.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex')}`;

function recordingLogger(): { logger: Logger; debug: { obj: Record<string, unknown>; msg?: string }[] } {
  const debug: { obj: Record<string, unknown>; msg?: string }[] = [];
  const logger: Logger = {
    debug: (obj, msg) => void debug.push({ obj: obj as Record<string, unknown>, ...(msg ? { msg } : {}) }),
    info() {},
    warn() {},
    error() {},
  };
  return { logger, debug };
}

describe('the stat picture of a site outside git', () => {
  it.each([
    ['on a worker thread', true],
    ['on this thread', false],
  ])(
    'is the Markdown files of the content folder (sorted), then every file of the images folder: %s',
    async (_, onWorker) => {
      const site = await plainSite({
        'content/b.md': 'bee',
        'content/a.md': 'a',
        'content/notes.txt': 'not a post',
        'static/img/x.jpg': 'jpeg',
        'static/img/y.txt': 'any file',
      });
      const content = path.join(site, 'content');
      const images = path.join(site, 'static/img');
      const picture = (imageDir?: string) => siteFingerprint(site, 'content', imageDir, undefined, { onWorker });
      expect(await picture()).toBe(statFingerprint(...expectedPicture(content, ['a.md', 'b.md'])));
      expect(await picture('static/img')).toBe(
        statFingerprint(
          ...expectedPicture(content, ['a.md', 'b.md']),
          Buffer.from('\0images\0'),
          ...expectedPicture(images, ['x.jpg', 'y.txt']),
        ),
      );
    },
  );

  it('tells a missing folder from an empty one', async () => {
    const site = await plainSite({ 'content/a.md': 'a' });
    const content = path.join(site, 'content');
    const missing = statFingerprint(...expectedPicture(content, ['a.md']), Buffer.from('\0images\0missing'));
    expect(await siteFingerprint(site, 'content', 'static/img')).toBe(missing);
    await mkdir(path.join(site, 'static/img'), { recursive: true });
    expect(await siteFingerprint(site, 'content', 'static/img')).toBe(
      statFingerprint(...expectedPicture(content, ['a.md']), Buffer.from('\0images\0'), Buffer.from('')),
    );
  });

  it('sees an edit of the same size (mtime), a new post and a removed one; not a new non-Markdown file', async () => {
    const site = await plainSite({ 'content/a.md': 'a', 'content/b.md': 'b' });
    const first = await siteFingerprint(site, 'content');
    expect(await siteFingerprint(site, 'content')).toBe(first);
    await writeFile(path.join(site, 'content/notes.txt'), 'x');
    expect(await siteFingerprint(site, 'content')).toBe(first);
    await writeFile(path.join(site, 'content/a.md'), 'z');
    await utimes(path.join(site, 'content/a.md'), new Date('2020-01-01'), new Date('2020-01-01'));
    const edited = await siteFingerprint(site, 'content');
    expect(edited).not.toBe(first);
    await writeFile(path.join(site, 'content/c.md'), 'c');
    const added = await siteFingerprint(site, 'content');
    expect(added).not.toBe(edited);
    await rm(path.join(site, 'content/b.md'));
    expect(await siteFingerprint(site, 'content')).not.toBe(added);
  });

  it('fails with the system error when the content folder cannot be read, on either thread', async () => {
    const site = await plainSite({ content: 'a file where the folder should be' });
    for (const onWorker of [true, false]) {
      await expect(siteFingerprint(site, 'content', undefined, undefined, { onWorker })).rejects.toMatchObject({
        code: 'ENOTDIR',
        message: expect.stringContaining(path.join(site, 'content')),
      });
    }
  });
});

describe('fingerprintsAhead: pictures started before the sync needs them', () => {
  const configOf = (site: string, collections: Record<string, unknown>[]) =>
    configSchema.parse({ siteDir: site, collections });

  it("hands out each collection's picture once: the one collectionFingerprint takes", async () => {
    const site = await plainSite({ 'content/a.md': 'a', 'news/n.md': 'n', 'static/img/x.jpg': 'jpeg' });
    const config = configOf(site, [
      { endpoint: 'https://me.dropmark.com/1.json', contentDir: 'content', images: { mode: 'local' } },
      { endpoint: 'https://me.dropmark.com/2.json', contentDir: 'news', images: { mode: 'none' } },
    ]);
    const [posts, news] = config.collections as [(typeof config.collections)[0], (typeof config.collections)[0]];
    const take = fingerprintsAhead(config, recordingLogger().logger);
    const early = await take(posts);
    expect(early).toBe(await collectionFingerprint(site, posts));
    expect(early).toBe(await siteFingerprint(site, 'content', posts.images.dir));
    expect(await take(news)).toBe(await siteFingerprint(site, 'news'));
    expect(take(posts)).toBeUndefined();
    expect(take(news)).toBeUndefined();
  });

  it('logs the failure of a picture nobody takes at debug level, and gives it to whoever takes it', async () => {
    const site = await plainSite({ content: 'a file where the folder should be' });
    const config = configOf(site, [{ endpoint: 'https://me.dropmark.com/1.json', contentDir: 'content' }]);
    const { logger, debug } = recordingLogger();
    const take = fingerprintsAhead(config, logger);
    const picture = take(config.collections[0] as never);
    await expect(picture).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(debug).toEqual([
      { obj: { contentDir: 'content', err: expect.objectContaining({ code: 'ENOTDIR' }) }, msg: expect.any(String) },
    ]);
    expect(debug[0]?.msg).toBe("taking the site's picture ahead failed");
  });
});
