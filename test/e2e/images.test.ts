import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CollectionSummary, Summary } from '../../src/index.js';
import { contents, snapshotTree as tree } from '../support/tree.js';
import {
  IMAGES as IMG,
  POSTS,
  loopbackProject,
  runCli,
  startCli,
  syncCli,
  tempDir,
  writeLoopbackConfig,
} from '../support/cli.js';
import { syncInProcess } from '../support/in-process.js';
import { waitFor } from '../support/wait.js';
import { FakeCdn } from '../support/cdn.js';
import { json, startServer, type Handler, type TestServer } from '../support/feed-server.js';
import { GIF, jpeg, PNG, SVG } from '../support/images.js';

type Server = TestServer & { route(prefix: string, handler: (req: never, res: never) => void): void };
let server: Server;
let cdn: FakeCdn;

interface Item {
  id: number;
  name: string;
  image?: string; // path on the CDN
  host?: string; // the name the feed gives the CDN instead of 127.0.0.1
}
let items: Item[];
let ttl: number[]; // signature lifetime per feed response, in order; the last one repeats

function feed() {
  const seconds = ttl.length > 1 ? (ttl.shift() as number) : (ttl[0] as number);
  return {
    items: items.map((i) => ({
      id: i.id,
      name: i.name,
      link: `https://www.example.com/${i.id}`,
      content: `Body of ${i.id}`,
      url: `https://x.dropmark.com/616548/${i.id}`,
      updated_at: '2024-03-07 22:29:46 UTC',
      thumbnail: i.image ? onHost(cdn.sign(i.image, seconds), i.host) : null,
    })),
  };
}

const onHost = (url: string, host: string | undefined) => (host ? url.replace('//127.0.0.1:', `//${host}:`) : url);

beforeEach(async () => {
  server = (await startServer((req, res) => json(feed())(req, res))) as Server;
  cdn = new FakeCdn(() => server.url);
  server.route('/cdn/', cdn.handler);
  ttl = [3600];
  items = [
    { id: 1, name: 'First post', image: '/cdn/353804/aaa/thumbnail/first.jpg' },
    { id: 2, name: 'Second post', image: '/cdn/353804/bbb/thumbnail/Second.PNG' },
    { id: 3, name: 'No extension', image: '/cdn/353804/ccc/thumbnail/noext' },
    { id: 4, name: 'Vector', image: '/cdn/353804/ddd/thumbnail/logo.svg' },
    { id: 5, name: 'Without image' },
  ];
  cdn.put('/cdn/353804/aaa/thumbnail/first.jpg', jpeg('first'));
  cdn.put('/cdn/353804/bbb/thumbnail/Second.PNG', PNG, 'image/png');
  cdn.put('/cdn/353804/ccc/thumbnail/noext', jpeg('noext'));
  cdn.put('/cdn/353804/ddd/thumbnail/logo.svg', SVG, 'image/svg+xml');
});
afterEach(async () => {
  await server.close();
});

/** The images line of most projects here: mirrored from the loopback CDN, SVG cleaned. */
const IMAGES_LINE = '    images: { mode: local, allowedHosts: ["127.0.0.1"], allowHttp: true, svg: sanitize }';

/** A project of the feed here, `collection` lines added to its collection. */
const project = (collection: readonly string[] = [], images = IMAGES_LINE) =>
  loopbackProject(`${server.url}/616548.json`, collection, { images });

/** Rewrites the project's config with other collection lines (the site and the cache stay). */
const writeConfig = (cwd: string, collection: readonly string[]) =>
  writeLoopbackConfig(cwd, `${server.url}/616548.json`, collection, { images: IMAGES_LINE });

/** `sync` in this process: the image rules need no process of their own (see the CLI runs below). */
const sync = async (cwd: string, options: Parameters<typeof syncInProcess>[1] = {}) =>
  (await syncInProcess(cwd, options)).summary;
const MANIFEST = 'site/data/dropmark-sync/images-static-img-content-post.json';

/** The summary's missing images, one "item ID: reason" line each. */
function missingImages(summary: Summary): string {
  return summary.collections.flatMap((c) => c.imageFailures.map((f) => `item ${f.itemId}: ${f.reason}`)).join('\n');
}

const frontMatter = async (cwd: string, slug: string) => readFile(path.join(cwd, POSTS, `${slug}.md`), 'utf8');

describe('image mode local', () => {
  it('downloads every image on the first sync and writes local paths, never a signed URL (the built CLI)', async () => {
    const cwd = await project();
    const result = await syncCli(cwd);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.imagesDownloaded).toBe(4);
    expect((await readdir(path.join(cwd, IMG))).sort()).toEqual([
      'example-first-post.jpg',
      'example-no-extension.jpg',
      'example-second-post.png',
      'example-vector.svg',
    ]);
    expect(await readFile(path.join(cwd, IMG, 'example-first-post.jpg'))).toEqual(jpeg('first'));
    expect(await frontMatter(cwd, 'example-first-post')).toContain(
      '\nfeaturedImage: /img/content/post/example-first-post.jpg\n',
    );
    expect(await frontMatter(cwd, 'example-second-post')).toContain(
      '\nfeaturedImage: /img/content/post/example-second-post.png\n',
    );
    expect(await frontMatter(cwd, 'example-without-image')).toContain('\nfeaturedImage: ""\n');
    for (const name of await readdir(path.join(cwd, POSTS))) {
      expect(await readFile(path.join(cwd, POSTS, name), 'utf8')).not.toMatch(/Signature=|Expires=/);
    }
    const manifest = JSON.parse(await readFile(path.join(cwd, MANIFEST), 'utf8'));
    expect(manifest.files['example-first-post.jpg']).toMatchObject({
      source: `${server.url}/cdn/353804/aaa/thumbnail/first.jpg`,
      bytes: jpeg('first').length,
    });
    expect(JSON.stringify(manifest)).not.toMatch(/Signature|Expires/);
  });

  it('a re-signed feed downloads nothing and changes no file, even on a full pass', async () => {
    const cwd = await project();
    await sync(cwd);
    const before = await tree(path.join(cwd, 'site'));
    const hits = cdn.hits.length;
    const cached = await sync(cwd);
    expect(cached.collections[0]?.result).toBe('unchanged-feed');
    const full = await syncInProcess(cwd, { full: true });
    expect(full.summary.ok).toBe(true);
    expect(full.summary).toMatchObject({
      imagesDownloaded: 0,
      created: 0,
      updated: 0,
      deleted: 0,
      files: [],
    });
    expect(cdn.hits.length).toBe(hits);
    expect(await tree(path.join(cwd, 'site'))).toEqual(before);
  });

  it('a first feed with expired URLs is fetched again, and every image ends on disk', async () => {
    ttl = [-60, 3600];
    const cwd = await project();
    const result = await syncInProcess(cwd);
    expect(result.summary.ok).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(result.log).toMatch(/image URLs expired; fetching the feed again/);
    expect(await readdir(path.join(cwd, IMG))).toHaveLength(4);
  });

  it('a 403 from the CDN (signature dead early) also leads to a fresh feed', async () => {
    const cwd = await project();
    let first = true;
    const original = cdn.handler;
    server.route('/cdn/353804/aaa/', (req, res) => {
      if (first) {
        first = false;
        (res as unknown as { writeHead(c: number): { end(): void } }).writeHead(403).end();
        return;
      }
      original(req, res);
    });
    const result = await sync(cwd);
    expect(result.ok).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(existsSync(path.join(cwd, IMG, 'example-first-post.jpg'))).toBe(true);
  });

  it('a new image path replaces the file; a changed extension removes the old one', async () => {
    const cwd = await project();
    await sync(cwd);
    items[0] = { ...items[0], image: '/cdn/353804/eee/thumbnail/first-v2.jpg' } as Item;
    items[1] = { ...items[1], image: '/cdn/353804/fff/thumbnail/second.gif' } as Item;
    cdn.put('/cdn/353804/eee/thumbnail/first-v2.jpg', jpeg('first-v2'));
    cdn.put('/cdn/353804/fff/thumbnail/second.gif', GIF, 'image/gif');
    const result = await sync(cwd);
    expect(result.ok).toBe(true);
    expect(result.imagesDownloaded).toBe(2);
    expect(await readFile(path.join(cwd, IMG, 'example-first-post.jpg'))).toEqual(jpeg('first-v2'));
    expect(existsSync(path.join(cwd, IMG, 'example-second-post.png'))).toBe(false);
    expect(existsSync(path.join(cwd, IMG, 'example-second-post.gif'))).toBe(true);
    expect(await frontMatter(cwd, 'example-second-post')).toContain(
      'featuredImage: /img/content/post/example-second-post.gif',
    );
  });

  it('a 404 image: degraded (not failed), the item named, every other file written, featuredImage ""', async () => {
    cdn.objects.delete('/cdn/353804/aaa/thumbnail/first.jpg');
    const cwd = await project();
    const result = await sync(cwd);
    expect(result).toMatchObject({ ok: true, result: 'degraded', failed: 0, imagesMissing: 1 });
    expect(missingImages(result)).toMatch(
      /item 1: image 127\.0\.0\.1:\d+\/cdn\/353804\/aaa\/thumbnail\/first\.jpg: HTTP 404/,
    );
    expect(await readdir(path.join(cwd, POSTS))).toHaveLength(5);
    expect(await frontMatter(cwd, 'example-first-post')).toContain('\nfeaturedImage: ""\n');
    expect(await readdir(path.join(cwd, IMG))).toHaveLength(3);
  });

  it('an image that cannot be had keeps the previous local image', async () => {
    const cwd = await project();
    await sync(cwd);
    items[0] = { ...items[0], image: '/cdn/353804/zzz/thumbnail/missing.jpg' } as Item;
    const result = await sync(cwd);
    expect(result.result).toBe('degraded');
    expect(await frontMatter(cwd, 'example-first-post')).toContain(
      'featuredImage: /img/content/post/example-first-post.jpg',
    );
    expect(await readFile(path.join(cwd, IMG, 'example-first-post.jpg'))).toEqual(jpeg('first'));
  });

  it('removes the image of a deleted item, and never an image it did not write', async () => {
    const cwd = await project();
    await sync(cwd);
    await writeFile(path.join(cwd, IMG, 'hand-made.jpg'), jpeg('mine'));
    items = items.filter((i) => i.id !== 4);
    const result = await sync(cwd);
    expect(result.ok).toBe(true);
    const names = await readdir(path.join(cwd, IMG));
    expect(names).not.toContain('example-vector.svg');
    expect(names).toContain('hand-made.jpg');
    expect(JSON.parse(await readFile(path.join(cwd, MANIFEST), 'utf8')).files['example-vector.svg']).toBeUndefined();
  });

  it(
    'a locked post of another profile keeps its image ' + 'when its item leaves the feed (profile hugo: key image)',
    async () => {
      const cwd = await project(['    profile: hugo']);
      expect((await sync(cwd)).ok).toBe(true);
      const post = path.join(cwd, POSTS, 'example-first-post.md');
      const text = await readFile(post, 'utf8');
      expect(text).toContain('\nimage: /img/content/post/example-first-post.jpg\n');
      await writeFile(post, text.replace('---\n', '---\ndropmark.locked: true\n'));
      items = items.filter((i) => i.id !== 1 && i.id !== 2);
      const result = await sync(cwd);
      expect(result.ok).toBe(true);
      const names = await readdir(path.join(cwd, IMG));
      expect(names).toContain('example-first-post.jpg');
      expect(names).not.toContain('example-second-post.png');
    },
  );

  it('a lost manifest costs a download, not a changed image file', async () => {
    const cwd = await project();
    await sync(cwd);
    const before = await tree(path.join(cwd, IMG));
    await rm(path.join(cwd, MANIFEST));
    const result = await sync(cwd, { full: true });
    expect(result.ok).toBe(true);
    expect(result).toMatchObject({ imagesDownloaded: 4, updated: 0 });
    expect(await tree(path.join(cwd, IMG))).toEqual(before);
    expect(existsSync(path.join(cwd, MANIFEST))).toBe(true);
  });
});

describe('a renamed post takes its image along: never fetched again, never lost', () => {
  const JEKYLL = [
    '2024-03-07-example-first-post.jpg',
    '2024-03-07-example-no-extension.jpg',
    '2024-03-07-example-second-post.png',
    '2024-03-07-example-vector.svg',
  ];
  const HUGO = ['example-first-post.jpg', 'example-no-extension.jpg', 'example-second-post.png', 'example-vector.svg'];
  const SLUGS = ['example-first-post', 'example-no-extension', 'example-second-post', 'example-vector'];
  /** The images folder as name -> bytes, the names without their {date}- prefix. */
  const imagesBySlug = async (cwd: string) => {
    const out: Record<string, string> = {};
    for (const [name, value] of contents(await tree(path.join(cwd, IMG))))
      out[name.replace(/^2024-03-07-/, '')] = value;
    return out;
  };
  const summaryImages = (summary: Summary) =>
    summary.collections[0]?.images.map((i) => `${i.kind} ${i.from ?? ''} -> ${i.relPath}`);

  it(
    'jekyll -> hugo -> jekyll with a CDN that serves each image once: ' +
      'every image stays, every post keeps it, one request per image',
    async () => {
      cdn.serveOnce = true;
      const cwd = await project(['    profile: jekyll']);
      const first = await sync(cwd);
      expect(first).toMatchObject({ ok: true, result: 'ok', imagesDownloaded: 4, imagesMissing: 0 });
      expect((await readdir(path.join(cwd, IMG))).sort()).toEqual(JEKYLL);
      const bytes = await imagesBySlug(cwd);

      await writeConfig(cwd, ['    profile: hugo']);
      // The dry run plans the moves, requests nothing and changes nothing.
      const dry = await sync(cwd, { dryRun: true });
      expect(dry).toMatchObject({ ok: true, imagesDownloaded: 0, imagesMissing: 0 });
      expect(summaryImages(dry)).toEqual(
        HUGO.map((n, i) => `move static/img/content/post/${JEKYLL[i]} -> static/img/content/post/${n}`),
      );
      expect((await readdir(path.join(cwd, IMG))).sort()).toEqual(JEKYLL);

      const toHugo = await sync(cwd);
      expect(toHugo).toMatchObject({
        ok: true,
        result: 'ok',
        updated: 5,
        imagesDownloaded: 0,
        imagesMissing: 0,
      });
      expect((await readdir(path.join(cwd, IMG))).sort()).toEqual(HUGO);
      expect(await imagesBySlug(cwd)).toEqual(bytes);
      for (const [i, slug] of SLUGS.entries())
        expect(await frontMatter(cwd, slug)).toContain(`\nimage: /img/content/post/${HUGO[i]}\n`);
      expect(Object.keys(JSON.parse(await readFile(path.join(cwd, MANIFEST), 'utf8')).files)).toEqual(HUGO);

      await writeConfig(cwd, ['    profile: jekyll']);
      const back = await sync(cwd);
      expect(back).toMatchObject({ ok: true, result: 'ok', imagesDownloaded: 0, imagesMissing: 0 });
      expect((await readdir(path.join(cwd, IMG))).sort()).toEqual(JEKYLL);
      expect(await imagesBySlug(cwd)).toEqual(bytes);
      for (const [i, slug] of SLUGS.entries())
        expect(await frontMatter(cwd, `2024-03-07-${slug}`)).toContain(`\nimage: /img/content/post/${JEKYLL[i]}\n`);
      expect(Object.keys(JSON.parse(await readFile(path.join(cwd, MANIFEST), 'utf8')).files)).toEqual(JEKYLL);
      expect(cdn.hits.sort()).toEqual([
        '/cdn/353804/aaa/thumbnail/first.jpg',
        '/cdn/353804/bbb/thumbnail/Second.PNG',
        '/cdn/353804/ccc/thumbnail/noext',
        '/cdn/353804/ddd/thumbnail/logo.svg',
      ]);
    },
  );

  it('a retitle with slugs: follow-title moves the image with the post (a fileName change too)', async () => {
    cdn.serveOnce = true;
    const cwd = await project(['    slugs: follow-title']);
    expect((await sync(cwd)).ok).toBe(true);
    items[0] = { ...items[0], name: 'First post retitled' } as Item;
    const retitled = await sync(cwd);
    expect(retitled).toMatchObject({ ok: true, result: 'ok', imagesDownloaded: 0, imagesMissing: 0 });
    expect(summaryImages(retitled)).toEqual([
      'move static/img/content/post/example-first-post.jpg -> static/img/content/post/example-first-post-retitled.jpg',
    ]);
    expect(await readFile(path.join(cwd, IMG, 'example-first-post-retitled.jpg'))).toEqual(jpeg('first'));
    expect(existsSync(path.join(cwd, IMG, 'example-first-post.jpg'))).toBe(false);
    expect(await frontMatter(cwd, 'example-first-post-retitled')).toContain(
      '\nfeaturedImage: /img/content/post/example-first-post-retitled.jpg\n',
    );

    await writeConfig(cwd, ['    slugs: follow-title', '    fileName: "{id}-{slug}.md"']);
    const renamed = await sync(cwd);
    expect(renamed).toMatchObject({ ok: true, result: 'ok', imagesDownloaded: 0, imagesMissing: 0 });
    expect((await readdir(path.join(cwd, IMG))).sort()).toEqual([
      '1-example-first-post-retitled.jpg',
      '2-example-second-post.png',
      '3-example-no-extension.jpg',
      '4-example-vector.svg',
    ]);
    expect(await frontMatter(cwd, '1-example-first-post-retitled')).toContain(
      '\nfeaturedImage: /img/content/post/1-example-first-post-retitled.jpg\n',
    );
    expect(cdn.hits).toHaveLength(4);
  });
});

describe('a stop during a long Retry-After', () => {
  it('SIGTERM while an image server asks to wait 100 s: the wait ends and the process exits cleanly', async () => {
    items = [{ id: 1, name: 'First post', image: '/cdn/353804/aaa/thumbnail/first.jpg' }];
    const asked: string[] = [];
    const slow: Handler = (req, res) => {
      asked.push(String(req.url));
      res.writeHead(429, { 'retry-after': '100' }).end();
    };
    server.route('/cdn/353804/aaa/', slow as never);
    const cwd = await project();
    const child = startCli(['sync', '--config', 'dropmark-sync.yaml'], { cwd });
    await waitFor(() => asked.length === 1, 10_000, 'the image request');
    child.child.kill('SIGTERM');
    // The test's own timeout (30 s) is what fails if the 100 s wait were not interrupted.
    const result = await child.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/SIGTERM received; stopping/);
    expect(asked).toHaveLength(1);
  });
});

describe('an image deleted by hand', () => {
  it('is downloaded again on the next poll of an unchanged feed (no --full needed)', async () => {
    const cwd = await project();
    expect((await sync(cwd)).ok).toBe(true);
    const before = await tree(path.join(cwd, IMG));
    await rm(path.join(cwd, IMG, 'example-first-post.jpg'));
    const result = await sync(cwd);
    expect(result.ok).toBe(true);
    expect(result.collections[0]?.result).toBe('ok');
    expect(await readFile(path.join(cwd, IMG, 'example-first-post.jpg'))).toEqual(jpeg('first'));
    expect(contents(await tree(path.join(cwd, IMG)))).toEqual(contents(before));
  });
});

describe('image safety (each rule refuses its case, the post is still written)', () => {
  async function refused(
    extra: string,
    setup: () => void,
    http = 'http: { retries: 0, retryDelayMs: 5, allowPrivateNetworks: true }',
  ) {
    setup();
    const lines = extra.split('\n').map((line) => line.trim());
    const cwd = await projectWith(['allowHttp: true', ...lines.filter((line) => line !== '')], http);
    const result = await sync(cwd);
    // A refused image degrades the run; the post is written without it.
    expect(result.ok).toBe(true);
    expect(await readdir(path.join(cwd, POSTS))).toHaveLength(items.length);
    return missingImages(result);
  }
  beforeEach(() => {
    items = [{ id: 1, name: 'First post', image: '/cdn/353804/aaa/thumbnail/first.jpg' }];
  });

  it('a host not allowed', async () => {
    const stderr = await refused('      allowedHosts: ["*.dropmarkusercontent.com"]', () => {});
    expect(stderr).toMatch(/host 127\.0\.0\.1 is not in the allowed hosts \(images\.allowedHosts\)/);
  });

  it('127.0.0.1 by IP when private networks are not allowed', async () => {
    const stderr = await refused(
      '      allowedHosts: ["127.0.0.1"]',
      () => {},
      'http: { retries: 0, allowPrivateNetworks: false }',
    );
    expect(stderr).toMatch(/127\.0\.0\.1 is a private or local address; refused/);
    expect(cdn.hits).toHaveLength(0);
  });

  it('a refusal by http.allowPrivateNetworks: --retry-images asks again, a change of the key downloads', async () => {
    const cwd = await projectWith(['allowHttp: true', 'allowedHosts: ["127.0.0.1"]'], 'http: { retries: 0 }');
    expect(missingImages(await sync(cwd))).toMatch(/private or local address; refused \(http\.allowPrivateNetworks\)/);
    // The feed unchanged, the config too: the cache stands, and says the image is still missing.
    const cached = await sync(cwd);
    expect(cached.collections[0]?.result).toBe('unchanged-feed');
    expect(missingImages(cached)).toMatch(/refused \(http\.allowPrivateNetworks\)/);
    // --retry-images: a full pass, refused again without a request.
    const retried = await sync(cwd, { retryImages: true });
    expect(retried.collections[0]?.result).toBe('degraded');
    expect(cdn.hits).toHaveLength(0);
    await projectWithin(
      cwd,
      ['allowHttp: true', 'allowedHosts: ["127.0.0.1"]'],
      'http: { allowPrivateNetworks: true }',
    );
    const allowed = await sync(cwd);
    expect(allowed).toMatchObject({ imagesDownloaded: 1, updated: 1 });
    expect(await readFile(path.join(cwd, IMG, 'example-first-post.jpg'))).toEqual(jpeg('first'));
  });

  it('a name that resolves to 127.0.0.1', async () => {
    const stderr = await refused(
      '      allowedHosts: ["localhost"]',
      () => {
        const port = new URL(server.url).port;
        const original = cdn.sign.bind(cdn);
        cdn.sign = (p: string, ttl?: number) => original(p, ttl).replace(`127.0.0.1:${port}`, `localhost:${port}`);
      },
      'http: { retries: 0, allowPrivateNetworks: false }',
    );
    expect(stderr).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a private or local address; refused/);
    expect(cdn.hits).toHaveLength(0);
  });

  it('an oversized body', async () => {
    const stderr = await refused('      allowedHosts: ["127.0.0.1"]\n      maxBytes: 100', () =>
      cdn.put('/cdn/353804/aaa/thumbnail/first.jpg', Buffer.concat([jpeg('x'), Buffer.alloc(500)])),
    );
    expect(stderr).toMatch(/larger than 100 bytes \(images\.maxBytes\)/);
  });

  it('an HTML page served as .jpg', async () => {
    const stderr = await refused('      allowedHosts: ["127.0.0.1"]', () =>
      cdn.put('/cdn/353804/aaa/thumbnail/first.jpg', Buffer.from('<!doctype html><h1>Login</h1>'), 'image/jpeg'),
    );
    expect(stderr).toMatch(/not an image \(JPEG, PNG, GIF, WebP or SVG\)/);
  });

  it('a symlink planted at the image path: never written through, and the post does not point at it', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, IMG), { recursive: true });
    const outside = path.join(await tempDir(), 'victim.jpg');
    await writeFile(outside, 'precious');
    await symlink(outside, path.join(cwd, IMG, 'example-first-post.jpg'));
    await writeLoopbackConfig(cwd, `${server.url}/616548.json`, [], {
      http: 'http: { retries: 0, allowPrivateNetworks: true }',
    });
    const result = await sync(cwd);
    expect(result.ok).toBe(true);
    expect(missingImages(result)).toMatch(
      /example-first-post\.jpg in the images folder is not a regular file \(a symbolic link or a folder\); remove it/,
    );
    expect(await readFile(outside, 'utf8')).toBe('precious');
    expect(await frontMatter(cwd, 'example-first-post')).toContain('\nfeaturedImage: ""\n');
  });
});

describe('SVG with images.svg: sanitize', () => {
  const payloads = [
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:s="http://www.w3.org/2000/svg">' +
      '<s:script>alert(1)</s:script><rect width="1" height="1"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>' +
      '<rect width="1" height="1"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="href" values="&#106;avascript:alert(1)"/>' +
      '<text>x</text></a></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1" onclick="alert(2)"/></svg>',
  ];
  it.each(payloads.map((p, i) => [i, p]))('payload %i is written without anything that runs', async (_i, payload) => {
    items = [{ id: 1, name: 'First post', image: '/cdn/353804/aaa/thumbnail/evil.svg' }];
    cdn.put('/cdn/353804/aaa/thumbnail/evil.svg', Buffer.from(payload as string), 'image/svg+xml');
    const cwd = await project();
    const result = await sync(cwd);
    expect(result.ok).toBe(true);
    const written = await readFile(path.join(cwd, IMG, 'example-first-post.svg'), 'utf8');
    expect(written).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(written).not.toMatch(/script|animate|javascript|&#106;|\son[a-z]+=/i);
    expect(await frontMatter(cwd, 'example-first-post')).toContain(
      '\nfeaturedImage: /img/content/post/example-first-post.svg\n',
    );
  });
});

describe('the file name comes from the bytes, not the URL', () => {
  it('a PNG served at .svg is saved as .png, and the post points to the .png', async () => {
    items = [{ id: 1, name: 'First post', image: '/cdn/353804/aaa/thumbnail/liar.svg' }];
    cdn.put('/cdn/353804/aaa/thumbnail/liar.svg', PNG, 'image/svg+xml');
    const cwd = await project();
    const result = await sync(cwd);
    expect(result.ok).toBe(true);
    expect(await readdir(path.join(cwd, IMG))).toEqual(['example-first-post.png']);
    expect(await frontMatter(cwd, 'example-first-post')).toContain(
      '\nfeaturedImage: /img/content/post/example-first-post.png\n',
    );
  });
});

describe('a dead image over months: degraded, not failed, and asked for once per backoff period', () => {
  const DEAD = '/cdn/353804/aaa/thumbnail/first.jpg';
  const status = (cwd: string, ...args: string[]) =>
    runCli(['status', '--config', 'dropmark-sync.yaml', ...args], { cwd });

  it(
    'a thumbnail that is 404 forever: run 1 degraded (not failed), ' +
      'runs 2 and 3 make no request for it, status says degraded',
    async () => {
      cdn.objects.delete(DEAD);
      const cwd = await project();
      const first = await sync(cwd);
      expect(first).toMatchObject({ ok: true, result: 'degraded', imagesMissing: 1, failed: 0 });
      expect(cdn.hits.filter((p) => p === DEAD)).toHaveLength(1); // a 404 is not retried within the run

      const cached = await sync(cwd);
      // The cached path reports the same missing image: a monitor sees degraded on every run.
      expect(cached).toMatchObject({ ok: true, result: 'degraded', imagesMissing: 1 });
      const full = await sync(cwd, { full: true });
      expect(full).toMatchObject({ ok: true, result: 'degraded', imagesMissing: 1 });
      expect(missingImages(full)).toMatch(
        /HTTP 404\); not tried again before \d{4}-\d\d-\d\dT.*\(sync --retry-images tries now\)/,
      );
      expect(cdn.hits.filter((p) => p === DEAD)).toHaveLength(1);

      const said = await status(cwd);
      expect(said.code).toBe(0);
      expect(said.stdout).toMatch(/^degraded \(1 image missing\)/);
      const json = JSON.parse((await status(cwd, '--json')).stdout);
      expect(json).toMatchObject({ state: 'degraded', result: 'degraded', imagesMissing: 1, consecutiveFailures: 0 });
    },
  );

  it('--retry-images asks again at once, and an image back on the CDN ends the degraded state', async () => {
    const body = cdn.objects.get(DEAD);
    cdn.objects.delete(DEAD);
    const cwd = await project();
    await sync(cwd);
    cdn.put(DEAD, (body as { body: Buffer }).body);
    const retried = await sync(cwd, { retryImages: true });
    expect(retried).toMatchObject({ ok: true, result: 'ok', imagesMissing: 0, imagesDownloaded: 1 });
    expect(await frontMatter(cwd, 'example-first-post')).toContain(
      'featuredImage: /img/content/post/example-first-post.jpg',
    );
    expect((await status(cwd)).stdout).toMatch(/^ok/);
  });

  it('images.onError: fail makes a missing image fail the run (status exits 1), as before', async () => {
    cdn.objects.delete(DEAD);
    const cwd = await project([], IMAGES_LINE.replace(' }', ', onError: fail }'));
    const result = await sync(cwd);
    expect(result).toMatchObject({ ok: false, result: 'failed', failed: 1 });
    expect((await status(cwd)).code).toBe(1);
  });
});

describe('dry runs request no image', () => {
  it(
    '--dry-run and --check against a CDN that logs requests: ' +
      'zero image requests, "would download" with the URL path',
    async () => {
      const cwd = await project();
      const dry = await syncCli(cwd, ['--dry-run'], { json: false });
      expect(dry.code, dry.stderr).toBe(0);
      const wouldDownload = new RegExp(
        /^\+ static\/img\/content\/post\/example-first-post\.jpg /.source +
          /\(would download 127\.0\.0\.1:\d+\/cdn\/353804\/aaa\/thumbnail\/first\.jpg\)$/.source,
        'm',
      );
      expect(dry.stdout).toMatch(wouldDownload);
      expect(dry.stdout).toContain('+featuredImage: /img/content/post/example-first-post.jpg');
      const check = await syncCli(cwd, ['--check'], { json: false });
      expect(check.code).toBe(2);
      expect(cdn.hits).toEqual([]);
      expect(existsSync(path.join(cwd, 'site'))).toBe(false);
    },
  );
});

/** A project whose collection's images take exactly these settings (`images` lines under `images:`). */
const imagesLine = (images: readonly string[]) => `    images: { mode: local, ${images.join(', ')} }`;
const projectWith = (images: readonly string[], http: string) =>
  loopbackProject(`${server.url}/616548.json`, [], { images: imagesLine(images), http });

interface Outcome {
  downloads: string[];
  refusals: string[];
}

/** A dry run's summary: what it would download, and the reasons it gives for what it would not. */
function dryOutcome(summary: Summary): Outcome {
  const c = summary.collections[0] as CollectionSummary;
  const refused = [...c.imageFailures, ...(c.leftOut ?? [])];
  return {
    downloads: (c.wouldDownload ?? []).map((d) => d.relPath).sort(),
    refusals: refused.map((f) => `${f.itemId}: ${f.reason.replace(/^would refuse: /, '')}`).sort(),
  };
}

/** A real run's summary: the images it wrote, and why it left the others out. */
function realOutcome(summary: Summary): Outcome {
  const c = summary.collections[0] as CollectionSummary;
  const refused = [...c.imageFailures, ...(c.leftOut ?? [])];
  return {
    downloads: c.images.filter((i) => i.kind === 'create').map((i) => i.relPath),
    refusals: refused.map((f) => `${f.itemId}: ${f.reason}`).sort(),
  };
}

describe('a dry run refuses what the real run refuses, from the config and the URL alone', () => {
  const at = (p: string, host = '127.0.0.1') => `image ${host}:${new URL(server.url).port}/cdn/353804/${p}`;
  const cases = [
    {
      name: 'a host not in images.allowedHosts, and an .svg URL under images.svg: refuse',
      images: ['allowedHosts: ["127.0.0.1"]', 'allowHttp: true', 'svg: refuse'],
      http: 'http: { retries: 0, allowPrivateNetworks: true }',
      downloads: ['static/img/content/post/example-first-post.jpg'],
      refusals: () => [
        `2: ${at('bbb/thumbnail/Second.PNG', 'localhost')}: host localhost is not in the allowed hosts ` +
          '(images.allowedHosts)',
        `4: ${at('ddd/thumbnail/logo.svg')}: the URL names an SVG, and SVG images are refused (images.svg)`,
      ],
    },
    {
      name: 'http: URLs without images.allowHttp',
      images: ['allowedHosts: ["127.0.0.1", "localhost"]', 'allowHttp: false', 'svg: sanitize'],
      http: 'http: { retries: 0, allowPrivateNetworks: true }',
      downloads: [],
      refusals: () =>
        [
          `1: ${at('aaa/thumbnail/first.jpg')}`,
          `2: ${at('bbb/thumbnail/Second.PNG', 'localhost')}`,
          `4: ${at('ddd/thumbnail/logo.svg')}`,
        ].map((line) => `${line}: http: URLs are refused; images are fetched over https only (images.allowHttp)`),
    },
    {
      name: 'a private IP literal without http.allowPrivateNetworks',
      images: ['allowedHosts: ["127.0.0.1"]', 'allowHttp: true', 'svg: sanitize'],
      http: 'http: { retries: 0, allowPrivateNetworks: false }',
      downloads: [],
      refusals: () =>
        [`1: ${at('aaa/thumbnail/first.jpg')}`, `4: ${at('ddd/thumbnail/logo.svg')}`].map(
          (line) => `${line}: 127.0.0.1 is a private or local address; refused (http.allowPrivateNetworks)`,
        ),
    },
  ];

  it.each(cases)('$name: the same lists side by side, --check counts no refused download', async (c) => {
    items = [
      { id: 1, name: 'First post', image: '/cdn/353804/aaa/thumbnail/first.jpg' },
      { id: 2, name: 'Second post', image: '/cdn/353804/bbb/thumbnail/Second.PNG', host: 'localhost' },
      { id: 4, name: 'Vector', image: '/cdn/353804/ddd/thumbnail/logo.svg' },
    ];
    // The private-address case leaves the name that resolves to loopback out: only a request finds that.
    if (c.http.includes('allowPrivateNetworks: false')) items = items.filter((i) => i.id !== 2);
    const cwd = await projectWith(c.images, c.http);

    const dry = await sync(cwd, { dryRun: true });
    expect(dry.ok).toBe(true);
    expect(dryOutcome(dry)).toEqual({ downloads: c.downloads, refusals: c.refusals() });
    // The diff a person reads, from the built CLI.
    const diff = await syncCli(cwd, ['--dry-run'], { json: false });
    for (const line of c.refusals()) {
      const [id, ...rest] = line.split(': ');
      const from = (rest[0] as string).replace(/^image /, '');
      const slug = { 1: 'example-first-post', 2: 'example-second-post', 4: 'example-vector' }[Number(id)];
      expect(diff.stdout).toContain(`(would refuse ${from}: ${rest.slice(1).join(': ')})`);
      expect(diff.stdout).toMatch(new RegExp(`^! static/img/content/post/${slug}\\.[a-z]+ \\(would refuse `, 'm'));
    }
    // --check is a dry run that prints no diff.
    const check = await sync(cwd, { dryRun: true });
    expect(check.imagesDownloaded).toBe(c.downloads.length);
    expect(cdn.hits).toEqual([]);

    const real = await sync(cwd);
    expect(real.ok).toBe(true);
    expect(realOutcome(real)).toEqual({ downloads: c.downloads, refusals: c.refusals() });
    expect(realOutcome(real)).toEqual(dryOutcome(dry));
    // The real run asks the CDN for exactly what the dry run said it would download.
    expect(cdn.hits).toEqual(c.downloads.length > 0 ? ['/cdn/353804/aaa/thumbnail/first.jpg'] : []);
  });
});

describe('a refusal by the config is not an outage: a changed config tries again at once', () => {
  beforeEach(() => {
    items = [{ id: 1, name: 'First post', image: '/cdn/353804/aaa/thumbnail/first.jpg' }];
  });
  const http = 'http: { retries: 0, allowPrivateNetworks: true }';

  it('a host refused, then images.allowedHosts fixed: the next sync downloads it', async () => {
    const cwd = await projectWith(['allowedHosts: ["*.dropmarkusercontent.com"]', 'allowHttp: true'], http);
    const refused = await sync(cwd);
    expect(refused).toMatchObject({ result: 'degraded', imagesMissing: 1 });
    await projectWithin(cwd, ['allowedHosts: ["127.0.0.1"]', 'allowHttp: true'], http);
    const fixed = await sync(cwd);
    expect(missingImages(fixed)).toBe('');
    expect(fixed).toMatchObject({ result: 'ok', imagesMissing: 0, imagesDownloaded: 1 });
    expect(await readFile(path.join(cwd, IMG, 'example-first-post.jpg'))).toEqual(jpeg('first'));
  });

  it('an image over images.maxBytes, then the cap raised: downloaded at once; a 404 still waits', async () => {
    items.push({ id: 2, name: 'Second post', image: '/cdn/353804/gone/thumbnail/gone.jpg' });
    cdn.put('/cdn/353804/aaa/thumbnail/first.jpg', Buffer.concat([jpeg('first'), Buffer.alloc(500)]));
    const cwd = await projectWith(['allowedHosts: ["127.0.0.1"]', 'allowHttp: true', 'maxBytes: 100'], http);
    const capped = await sync(cwd);
    expect(capped).toMatchObject({ result: 'degraded', imagesMissing: 2 });
    expect(missingImages(capped)).toMatch(/item 1: .*larger than 100 bytes \(images\.maxBytes\)/);
    await projectWithin(cwd, ['allowedHosts: ["127.0.0.1"]', 'allowHttp: true', 'maxBytes: 100000'], http);
    const raised = await sync(cwd);
    expect(raised).toMatchObject({ result: 'degraded', imagesMissing: 1, imagesDownloaded: 1 });
    expect(missingImages(raised)).toMatch(
      /^item 2: image .*gone\.jpg: failed 1 time\(s\) since .* \(HTTP 404\); not tried again before /,
    );
    expect(cdn.hits.filter((p) => p.endsWith('gone.jpg'))).toHaveLength(1);
  });
});

/** Rewrites the project's config in place (the cache and the site stay). */
const projectWithin = (cwd: string, images: readonly string[], http: string) =>
  writeLoopbackConfig(cwd, `${server.url}/616548.json`, [], { images: imagesLine(images), http });

describe('an image the owner’s policy refuses is left out, not missing', () => {
  it('images.svg: refuse with onError: fail: exit 0, ok, an info note; the report names items by title', async () => {
    items = [
      { id: 1, name: 'First post', image: '/cdn/353804/aaa/thumbnail/first.jpg' },
      { id: 3, name: 'Served as SVG', image: '/cdn/353804/ccc/thumbnail/noext' },
      { id: 4, name: 'Vector', image: '/cdn/353804/ddd/thumbnail/logo.svg' },
    ];
    cdn.put('/cdn/353804/ccc/thumbnail/noext', SVG, 'image/svg+xml');
    const cwd = await projectWith(
      ['allowedHosts: ["127.0.0.1"]', 'allowHttp: true', 'svg: refuse', 'onError: fail'],
      'http: { retries: 0, allowPrivateNetworks: true }',
    );
    const text = await syncCli(cwd, ['--log-format', 'pretty', '--report', 'report.md'], { json: false });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/^dropmark-sync: done: 3 created, .* 1 images downloaded \(/m);
    const port = new URL(server.url).port;
    expect(text.stderr).toContain(
      `  left out by policy: item 4 "Vector": image 127.0.0.1:${port}/cdn/353804/ddd/thumbnail/logo.svg: ` +
        'the URL names an SVG, and SVG images are refused (images.svg)\n',
    );
    expect(text.stderr).toContain(
      `  left out by policy: item 3 "Served as SVG": image 127.0.0.1:${port}/cdn/353804/ccc/thumbnail/noext: ` +
        'SVG refused: SVG images are refused (images.svg is "refuse"); ' +
        'set images.svg: sanitize to accept them cleaned\n',
    );
    const report = await readFile(path.join(cwd, 'report.md'), 'utf8');
    expect(report).toContain('### Left out by policy (2)');
    expect(report).toContain('| Vector (item 4) | image 127');
    expect(report).not.toContain('Images missing');

    // Asked again (a full pass): the bytes refused last time wait out their backoff, still left out, not missing.
    const again = await sync(cwd, { full: true });
    expect(again).toMatchObject({ ok: true, result: 'ok', imagesMissing: 0, failed: 0 });
    expect(again.collections[0]?.leftOut?.map((f) => f.itemId)).toEqual(['3', '4']);
  });

  it('the "Images missing" table names an item by its title, with its id', async () => {
    items = [{ id: 1, name: 'First post', image: '/cdn/353804/aaa/thumbnail/first.jpg' }];
    cdn.objects.delete('/cdn/353804/aaa/thumbnail/first.jpg');
    const cwd = await project();
    const result = await syncCli(cwd, ['--log-format', 'pretty', '--report', 'report.md'], { json: false });
    expect(result.code).toBe(0);
    const report = await readFile(path.join(cwd, 'report.md'), 'utf8');
    expect(report).toContain('### Images missing (1)');
    expect(report).toContain('| First post (item 1) | image 127');
    expect(result.stderr).toContain('  image missing: item 1 "First post": image 127.0.0.1:');
  });
});
