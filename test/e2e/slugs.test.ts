import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCdn } from '../support/cdn.js';
import { POSTS, tempDir, writeLoopbackConfig } from '../support/cli.js';
import { syncInProcess } from '../support/in-process.js';
import { json, startServer, type TestServer } from '../support/feed-server.js';
import { jpeg } from '../support/images.js';

/** Titles in several languages, synced in this process: the file names each slug rule gives them. */

type Server = TestServer & { route(prefix: string, handler: (req: never, res: never) => void): void };
let server: Server;
let cdn: FakeCdn;
let items: { id: number; name: string; image?: string }[];

const TITLES = [
  { id: 1, name: 'Über Größe und Maß', image: '/cdn/353804/aaa/thumbnail/a.jpg' },
  { id: 2, name: 'Привет мир: новости' },
  { id: 3, name: '日本語のニュース', image: '/cdn/353804/bbb/thumbnail/b.jpg' },
  { id: 4, name: 'Café crème' },
  { id: 5, name: 'Καλημέρα κόσμε' },
  { id: 6, name: 'Привет снова' },
];

beforeEach(async () => {
  items = [...TITLES];
  server = (await startServer((req, res) =>
    json({
      items: items.map((i) => ({
        id: i.id,
        name: i.name,
        link: `https://www.example.com/${i.id}`,
        content: `Body of ${i.id}`,
        url: `https://x.dropmark.com/616548/${i.id}`,
        updated_at: '2024-03-07 22:29:46 UTC',
        thumbnail: i.image ? cdn.sign(i.image) : null,
      })),
    })(req, res),
  )) as Server;
  cdn = new FakeCdn(() => server.url);
  server.route('/cdn/', cdn.handler);
  cdn.put('/cdn/353804/aaa/thumbnail/a.jpg', jpeg('a'));
  cdn.put('/cdn/353804/bbb/thumbnail/b.jpg', jpeg('b'));
});
afterEach(async () => {
  await server.close();
});

const writeConfig = (cwd: string, collection: string) =>
  writeLoopbackConfig(cwd, `${server.url}/616548.json`, [collection], {
    images:
      '    images: { mode: local, dir: static/img/p, urlPrefix: /img/p, allowedHosts: ["127.0.0.1"], allowHttp: true }',
  });

/** A full pass; it must not fail. */
async function sync(cwd: string) {
  const run = await syncInProcess(cwd, { full: true });
  expect(run.summary.ok, run.log).toBe(true);
  return run.summary;
}

const posts = async (cwd: string) => (await readdir(path.join(cwd, POSTS))).filter((n) => n.endsWith('.md'));
const images = async (cwd: string) => (await readdir(path.join(cwd, 'site/static/img/p'))).sort();

describe('slugs of titles in any language', () => {
  it('hugo (transliterate, the default): Latin names, a script without one kept; images keep their names', async () => {
    const cwd = await tempDir();
    await writeConfig(cwd, '    profile: hugo');
    expect(await sync(cwd)).toMatchObject({ created: 6, failed: 0 });
    expect((await posts(cwd)).sort()).toEqual(
      [
        'example-cafe-creme.md',
        'example-kalimera-kosme.md',
        'example-privet-mir-novosti.md',
        'example-privet-snova.md',
        'example-ueber-groesse-und-mass.md',
        'example-日本語のニュース.md',
      ].sort(),
    );
    expect(await images(cwd)).toEqual(['example-ueber-groesse-und-mass.jpg', 'example-日本語のニュース.jpg']);
    const post = await readFile(path.join(cwd, 'site/content/post/example-日本語のニュース.md'), 'utf8');
    expect(post).toContain('\nimage: /img/p/example-日本語のニュース.jpg\n');

    // Settled: the next pass changes nothing and fetches no image again.
    const fetched = cdn.hits.length;
    expect(await sync(cwd)).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 6 });
    expect(cdn.hits.length).toBe(fetched);
    expect(await images(cwd)).toEqual(['example-ueber-groesse-und-mass.jpg', 'example-日本語のニュース.jpg']);
  });

  it('keep-letters: the letters of every script stay', async () => {
    const cwd = await tempDir();
    await writeConfig(cwd, '    profile: jekyll\n    slugify: keep-letters');
    expect(await sync(cwd)).toMatchObject({ created: 6, failed: 0 });
    expect((await posts(cwd)).sort()).toEqual(
      [
        '2024-03-07-example-café-crème.md',
        '2024-03-07-example-καλημέρα-κόσμε.md',
        '2024-03-07-example-привет-мир-новости.md',
        '2024-03-07-example-привет-снова.md',
        '2024-03-07-example-über-größe-und-maß.md',
        '2024-03-07-example-日本語のニュース.md',
      ].sort(),
    );
  });

  it('bookmark keeps the reference rule (a-z and 0-9 only) unless asked', async () => {
    const cwd = await tempDir();
    await writeConfig(cwd, '');
    await sync(cwd);
    expect((await posts(cwd)).sort()).toEqual(
      [
        'example.md',
        'example-3.md',
        'example-5.md',
        'example-6.md',
        'example-ber-gr-e-und-ma.md',
        'example-caf-cr-me.md',
      ].sort(),
    );
    await writeConfig(cwd, '    slugify: transliterate');
    items.push({ id: 7, name: 'Größe' });
    await sync(cwd);
    // Only the new item gets the asked rule's name: the existing files keep theirs.
    expect(await posts(cwd)).toContain('example-groesse.md');
    expect(await posts(cwd)).toContain('example-caf-cr-me.md');
  });

  it.each(['keep', 'follow-title'])(
    'a site synced before the rule changed renames no file (slugs: %s); a new item gets the new rule',
    async (mode) => {
      const cwd = await tempDir();
      // The names every version before this one gave: the ascii rule.
      await writeConfig(cwd, `    profile: jekyll\n    slugs: ${mode}\n    slugify: ascii`);
      await sync(cwd);
      const before = (await posts(cwd)).sort();
      expect(before).toContain('2024-03-07-example-ber-gr-e-und-ma.md');
      const imagesBefore = await images(cwd);

      await writeConfig(cwd, `    profile: jekyll\n    slugs: ${mode}`);
      expect(await sync(cwd)).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 6 });
      expect((await posts(cwd)).sort()).toEqual(before);
      expect(await images(cwd)).toEqual(imagesBefore);

      items.push({ id: 7, name: 'Ελληνικά νέα' });
      expect(await sync(cwd)).toMatchObject({ created: 1, updated: 0, deleted: 0 });
      expect((await posts(cwd)).sort()).toEqual([...before, '2024-03-07-example-ellinika-nea.md'].sort());
    },
  );
});
