import { createHash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { collectionFingerprint, siteFingerprint } from '../../../src/site/fingerprint.js';

/** No git to be found: these sites are not in git anyway. */
const NO_GIT = { env: {} };

// Sites under the OS temp folder: no `.git` above them, so the stat picture is the one taken.
async function plainSite(files: Record<string, string>): Promise<string> {
  const site = await mkdtemp(path.join(tmpdir(), 'dms-fp-stat-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(site, name)), { recursive: true });
    await writeFile(path.join(site, name), text);
  }
  return site;
}

/** The documented picture, written out: sorted names joined by NUL, then size, inode, mtime, ctime as float64s. */
function expectedPicture(dir: string, names: string[]): Buffer[] {
  const numbers = new Float64Array(names.length * 4);
  names.forEach((name, i) => {
    const s = lstatSync(path.join(dir, name));
    numbers.set([s.size, s.ino, s.mtimeMs, s.ctimeMs], i * 4);
  });
  return [Buffer.from(names.join('\0')), Buffer.from(numbers.buffer)];
}

const statFingerprint = (...parts: Buffer[]) =>
  `stat:${parts.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex')}`;

describe('the stat picture of a site outside git', () => {
  it('is the Markdown files of the content folder (sorted), then every file of the images folder', async () => {
    const site = await plainSite({
      'content/b.md': 'bee',
      'content/a.md': 'a',
      'content/notes.txt': 'not a post',
      'static/img/x.jpg': 'jpeg',
      'static/img/y.txt': 'any file',
    });
    const content = path.join(site, 'content');
    const images = path.join(site, 'static/img');
    const picture = (imageDir?: string) => siteFingerprint(site, 'content', imageDir, NO_GIT);
    expect(await picture()).toBe(statFingerprint(...expectedPicture(content, ['a.md', 'b.md'])));
    expect(await picture('static/img')).toBe(
      statFingerprint(
        ...expectedPicture(content, ['a.md', 'b.md']),
        Buffer.from('\0images\0'),
        ...expectedPicture(images, ['x.jpg', 'y.txt']),
      ),
    );
  });

  it('tells a missing folder from an empty one', async () => {
    const site = await plainSite({ 'content/a.md': 'a' });
    const content = path.join(site, 'content');
    const missing = statFingerprint(...expectedPicture(content, ['a.md']), Buffer.from('\0images\0missing'));
    expect(await siteFingerprint(site, 'content', 'static/img', NO_GIT)).toBe(missing);
    await mkdir(path.join(site, 'static/img'), { recursive: true });
    expect(await siteFingerprint(site, 'content', 'static/img', NO_GIT)).toBe(
      statFingerprint(...expectedPicture(content, ['a.md']), Buffer.from('\0images\0'), Buffer.from('')),
    );
  });

  it('sees an edit of the same size (mtime), a new post and a removed one; not a new non-Markdown file', async () => {
    const site = await plainSite({ 'content/a.md': 'a', 'content/b.md': 'b' });
    const first = await siteFingerprint(site, 'content', undefined, NO_GIT);
    expect(await siteFingerprint(site, 'content', undefined, NO_GIT)).toBe(first);
    await writeFile(path.join(site, 'content/notes.txt'), 'x');
    expect(await siteFingerprint(site, 'content', undefined, NO_GIT)).toBe(first);
    await writeFile(path.join(site, 'content/a.md'), 'z');
    await utimes(path.join(site, 'content/a.md'), new Date('2020-01-01'), new Date('2020-01-01'));
    const edited = await siteFingerprint(site, 'content', undefined, NO_GIT);
    expect(edited).not.toBe(first);
    await writeFile(path.join(site, 'content/c.md'), 'c');
    const added = await siteFingerprint(site, 'content', undefined, NO_GIT);
    expect(added).not.toBe(edited);
    await rm(path.join(site, 'content/b.md'));
    expect(await siteFingerprint(site, 'content', undefined, NO_GIT)).not.toBe(added);
  });

  it('sees an edit of the same size whose mtime was set back (touch -r): its ctime moved', async () => {
    const site = await plainSite({ 'content/a.md': 'link: https://a.example.com/', 'content/b.md': 'b' });
    const file = path.join(site, 'content/a.md');
    // A whole second: utimes sets it back exactly.
    await utimes(file, 1_600_000_000, 1_600_000_000);
    const before = lstatSync(file);
    const first = await siteFingerprint(site, 'content', undefined, NO_GIT);
    await writeFile(file, 'link: https://b.example.com/');
    await utimes(file, 1_600_000_000, 1_600_000_000);
    const after = lstatSync(file);
    expect([after.size, after.ino, after.mtimeMs]).toEqual([before.size, before.ino, before.mtimeMs]);
    expect(await siteFingerprint(site, 'content', undefined, NO_GIT)).not.toBe(first);
  });

  it('pictures names by their bytes: ASCII, UTF-8, not UTF-8, under a folder whose name is not ASCII', async () => {
    const site = await plainSite({ 'café/a.md': 'a', 'café/b.md': 'bee', 'mixed/a.md': 'a', 'mixed/café.md': 'cc' });
    const mixed = Buffer.from(path.join(site, 'mixed'));
    const bytesOf = (name: Buffer) => Buffer.concat([mixed, Buffer.from(path.sep), name]);
    const notUtf8 = Buffer.from([0xff, 0xfe, 0x2e, 0x6d, 0x64]); // "\xff\xfe.md"
    await writeFile(bytesOf(notUtf8), 'dddd');
    // Sorted by bytes: "a.md", "caf\xc3\xa9.md", "\xff\xfe.md".
    const names = [Buffer.from('a.md'), Buffer.from('café.md'), notUtf8];
    const numbers = new Float64Array(12);
    names.forEach((name, i) => {
      const s = lstatSync(bytesOf(name));
      numbers.set([s.size, s.ino, s.mtimeMs, s.ctimeMs], i * 4);
    });
    expect(numbers.filter((_, i) => i % 4 === 0)).toEqual(new Float64Array([1, 2, 4]));
    const joined = Buffer.concat(names.flatMap((name, i) => (i === 0 ? [name] : [Buffer.from('\0'), name])));
    expect(await siteFingerprint(site, 'mixed', undefined, NO_GIT)).toBe(
      statFingerprint(joined, Buffer.from(numbers.buffer)),
    );
    const cafe = path.join(site, 'café');
    expect(await siteFingerprint(site, 'café', undefined, NO_GIT)).toBe(
      statFingerprint(...expectedPicture(cafe, ['a.md', 'b.md'])),
    );
  });

  it('fails with the system error when the content folder cannot be read', async () => {
    const site = await plainSite({ content: 'a file where the folder should be' });
    await expect(siteFingerprint(site, 'content', undefined, NO_GIT)).rejects.toMatchObject({
      code: 'ENOTDIR',
      message: expect.stringContaining(path.join(site, 'content')),
    });
  });
});

describe('collectionFingerprint: the folders a collection owns', () => {
  it('is the content folder, and the images folder in image mode local only', async () => {
    const site = await plainSite({ 'content/a.md': 'a', 'static/img/x.jpg': 'jpeg' });
    const collection = (mode: string) =>
      configSchema.parse({
        siteDir: site,
        collections: [
          {
            endpoint: 'https://me.dropmark.com/1.json',
            contentDir: 'content',
            images: { mode, dir: 'static/img' },
            files: { mode: 'none' },
          },
        ],
      }).collections[0] as never;
    expect(await collectionFingerprint(site, collection('local'), NO_GIT)).toBe(
      await siteFingerprint(site, 'content', 'static/img', NO_GIT),
    );
    for (const mode of ['remote', 'none'])
      expect(await collectionFingerprint(site, collection(mode), NO_GIT)).toBe(
        await siteFingerprint(site, 'content', undefined, NO_GIT),
      );
  });
});

describe('collectionFingerprint: the uploaded files folder', () => {
  it('is pictured in files mode local, after the images folder; a file deleted there changes the picture', async () => {
    const site = await plainSite({ 'content/a.md': 'a', 'static/img/x.jpg': 'jpeg', 'static/files/a.pdf': 'pdf' });
    const collection = (mode: string) =>
      configSchema.parse({
        siteDir: site,
        collections: [
          {
            endpoint: 'https://me.dropmark.com/1.json',
            contentDir: 'content',
            images: { dir: 'static/img' },
            files: { mode },
          },
        ],
      }).collections[0] as never;
    const before = await collectionFingerprint(site, collection('local'), NO_GIT);
    expect(before).toBe(await siteFingerprint(site, 'content', ['static/img', 'static/files'], NO_GIT));
    expect(await collectionFingerprint(site, collection('none'), NO_GIT)).toBe(
      await siteFingerprint(site, 'content', 'static/img', NO_GIT),
    );
    await rm(path.join(site, 'static/files/a.pdf'));
    expect(await collectionFingerprint(site, collection('local'), NO_GIT)).not.toBe(before);
    expect(await collectionFingerprint(site, collection('none'), NO_GIT)).toBe(
      await siteFingerprint(site, 'content', 'static/img', NO_GIT),
    );
  });
});

describe('a folder of thousands of posts', () => {
  it('is pictured whole across the turns it yields (a file past the first thousand counts)', async () => {
    const files = Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`content/p${i}.md`, 'x']));
    const site = await plainSite(files);
    const names = Object.keys(files)
      .map((f) => f.slice('content/'.length))
      .sort();
    const before = await siteFingerprint(site, 'content', undefined, NO_GIT);
    expect(before).toBe(statFingerprint(...expectedPicture(path.join(site, 'content'), names)));
    await utimes(path.join(site, 'content/p2499.md'), new Date('2020-01-01'), new Date('2020-01-01'));
    expect(await siteFingerprint(site, 'content', undefined, NO_GIT)).not.toBe(before);
  });
});
