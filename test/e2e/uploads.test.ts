import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCdn } from '../support/cdn.js';
import { IMAGES as IMG, loopbackProject, POSTS, syncCli } from '../support/cli.js';
import { syncInProcess } from '../support/in-process.js';
import { EVERY_KIND_PATHS as P, everyKindFeed, MP3, MP4, PDF } from '../support/every-kind.js';
import { json, startServer, type TestServer } from '../support/feed-server.js';
import { jpeg } from '../support/images.js';

let server: TestServer & { route(prefix: string, handler: never): void };
let cdn: FakeCdn;
let feed: Record<string, unknown>;

beforeEach(async () => {
  server = await startServer((req, res) => json(feed)(req, res));
  cdn = new FakeCdn(() => server.url);
  server.route('/1/', cdn.handler as never);
  feed = everyKindFeed(cdn);
});
afterEach(async () => {
  await server.close();
});

const project = () => loopbackProject(`${server.url}/616548.json`);

/** The upload rules in this process; the first case runs the built CLI. */
const sync = syncInProcess;
const FILES = 'site/static/files';
const FILE_MANIFEST = 'site/data/dropmark-sync/files-static-files.json';

/** The post file (its name without .md, and its text) of the item: found by its Dropmark page, whatever its name. */
async function post(cwd: string, id: number): Promise<{ name: string; text: string }> {
  for (const file of await readdir(path.join(cwd, POSTS))) {
    if (!file.endsWith('.md')) continue;
    const text = await readFile(path.join(cwd, POSTS, file), 'utf8');
    if (text.includes(`dropmark.editURL: https://me.dropmark.com/616548/${id}\n`))
      return { name: file.slice(0, -3), text };
  }
  throw new Error(`no post for item ${id}`);
}

const bytes = (cwd: string, rel: string) => readFile(path.join(cwd, rel));
const listing = async (cwd: string, rel: string) =>
  existsSync(path.join(cwd, rel)) ? (await readdir(path.join(cwd, rel))).sort() : [];

describe('uploads mirrored (issue 22, point 2)', () => {
  it("an uploaded image's original is its post's image; the PDF, MP4 and MP3 land in files.dir", async () => {
    const cwd = await project();
    const result = await syncCli(cwd);
    expect(result.code, result.stderr).toBe(0);
    const photo = await post(cwd, 102);
    const photoImage = /^featuredImage: (\S+)$/m.exec(photo.text)?.[1] ?? '';
    expect(photoImage).toBe(`/img/content/post/${photo.name}.jpg`);
    // The original's bytes, not the thumbnail's; the thumbnail is never requested.
    expect(await bytes(cwd, `${IMG}/${photo.name}.jpg`)).toEqual(jpeg('team photo'));
    expect(cdn.hits).not.toContain(P.photoThumb);

    const names = await Promise.all([103, 104, 105].map(async (id) => (await post(cwd, id)).name));
    const [pdf, mp4, mp3] = names;
    expect(await listing(cwd, FILES)).toEqual([`${pdf}.pdf`, `${mp4}.mp4`, `${mp3}.mp3`].sort());
    expect(await bytes(cwd, `${FILES}/${pdf}.pdf`)).toEqual(PDF);
    expect(await bytes(cwd, `${FILES}/${mp4}.mp4`)).toEqual(MP4);
    expect(await bytes(cwd, `${FILES}/${mp3}.mp3`)).toEqual(MP3);
    const manifest = JSON.parse(await readFile(path.join(cwd, FILE_MANIFEST), 'utf8'));
    expect(Object.keys(manifest.files).sort()).toEqual([`${pdf}.pdf`, `${mp4}.mp4`, `${mp3}.mp3`].sort());
    expect(manifest.files[`${pdf}.pdf`]).toMatchObject({ source: `${server.url}${P.pdf}`, bytes: PDF.length });

    // The stack's items: named after the stack's post and their own id; the image's original, the link's thumbnail.
    const stack = (await post(cwd, 107)).name;
    expect(await bytes(cwd, `${IMG}/${stack}-109.jpg`)).toEqual(jpeg('whiteboard'));
    expect(await bytes(cwd, `${IMG}/${stack}-108.jpg`)).toEqual(jpeg('thumbnail stackLinkThumb'));
    const summary = JSON.parse(result.stdout);
    expect(summary.collections[0].images.map((i: { relPath: string }) => i.relPath)).toEqual(
      expect.arrayContaining([`static/files/${pdf}.pdf`, `static/files/${mp4}.mp4`, `static/files/${mp3}.mp3`]),
    );
  });

  it('an original no browser shows (HEIC) gives way to its thumbnail, not asked for again next run', async () => {
    cdn.put(P.photo, Buffer.from('....ftypheic not an image we take'));
    const cwd = await project();
    const first = await sync(cwd);
    expect(first.summary).toMatchObject({ ok: true, result: 'ok', imagesMissing: 0 });
    expect(first.log).toContain('refused; its thumbnail is mirrored instead');
    const photo = await post(cwd, 102);
    expect(await bytes(cwd, `${IMG}/${photo.name}.jpg`)).toEqual(jpeg('thumbnail photoThumb'));
    expect(/^featuredImage: (\S+)$/m.exec(photo.text)?.[1]).toBe(`/img/content/post/${photo.name}.jpg`);
    const hits = cdn.hits.length;
    const again = await sync(cwd, { full: true });
    expect(again.summary).toMatchObject({ result: 'ok', imagesMissing: 0, files: [] });
    expect(cdn.hits.slice(hits)).not.toContain(P.photo);
  });

  it('a second sync requests nothing and writes nothing, a full pass neither', async () => {
    const cwd = await project();
    expect((await sync(cwd)).summary.ok).toBe(true);
    expect(await listing(cwd, FILES)).toHaveLength(3);
    const hits = cdn.hits.length;
    const again = (await sync(cwd)).summary;
    expect(again.ok).toBe(true);
    const full = (await sync(cwd, { full: true })).summary;
    expect(full.ok).toBe(true);
    expect(cdn.hits.length).toBe(hits);
    expect(again.collections[0]?.files).toEqual([]);
    expect(full.collections[0]?.files).toEqual([]);
  });

  it('an HTML page served as the PDF is refused and reported; nothing lands in the files folder for it', async () => {
    cdn.put(
      P.pdf,
      Buffer.from('<!doctype html><html><script>alert(document.cookie)</script></html>'),
      'application/pdf',
    );
    const cwd = await project();
    const result = await sync(cwd);
    expect(result.summary.ok).toBe(true);
    const summary = result.summary.collections[0];
    expect(summary?.result).toBe('degraded');
    expect(summary?.imageFailures).toEqual([
      {
        itemId: '103',
        title: 'Annual report 2023',
        reason:
          `file 127.0.0.1:${new URL(server.url).port}${P.pdf}: ` +
          'refused: the bytes are of no type that can be identified (files.types)',
      },
    ]);
    const pdf = (await post(cwd, 103)).name;
    expect((await listing(cwd, FILES)).filter((f) => f.startsWith(`${pdf}.`))).toEqual([]);
  });

  it('deleting the item removes its file; a file deleted by hand makes the next poll fetch it again', async () => {
    const cwd = await project();
    expect((await sync(cwd)).summary.ok).toBe(true);
    const [pdf, mp4] = await Promise.all([103, 104].map(async (id) => (await post(cwd, id)).name));
    await rm(path.join(cwd, FILES, `${mp4}.mp4`));
    // The same feed: only the picture of the site tells the poll that a file is gone.
    expect((await sync(cwd)).summary.ok).toBe(true);
    expect(await bytes(cwd, `${FILES}/${mp4}.mp4`)).toEqual(MP4);
    feed = { ...feed, items: (feed['items'] as { id: number }[]).filter((i) => i.id !== 103) };
    feed['items_total_count'] = (feed['items'] as unknown[]).length;
    expect((await sync(cwd)).summary.ok).toBe(true);
    expect(existsSync(path.join(cwd, FILES, `${pdf}.pdf`))).toBe(false);
    expect(await bytes(cwd, `${FILES}/${mp4}.mp4`)).toEqual(MP4);
    const manifest = JSON.parse(await readFile(path.join(cwd, FILE_MANIFEST), 'utf8'));
    expect(Object.keys(manifest.files)).not.toContain(`${pdf}.pdf`);
  });

  it('a dry run downloads nothing and lists the files it would download', async () => {
    const cwd = await project();
    const result = await sync(cwd, { dryRun: true });
    expect(result.summary.ok).toBe(true);
    expect(cdn.hits).toEqual([]);
    expect(existsSync(path.join(cwd, 'site'))).toBe(false);
    const would = result.summary.collections[0]?.wouldDownload ?? [];
    const files = would.map((w) => w.relPath).filter((p) => p.startsWith('static/files/'));
    expect(files.map((f) => path.extname(f)).sort()).toEqual(['.mp3', '.mp4', '.pdf']);
  });
});
