import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCdn } from '../support/cdn.js';
import { loopbackProject, POSTS, syncCli } from '../support/cli.js';
import { syncInProcess } from '../support/in-process.js';
import { EVERY_KIND_POSTS, everyKindFeed } from '../support/every-kind.js';
import { json, startServer, type Handler, type TestServer } from '../support/feed-server.js';

// A collection with one item of every kind (links, uploads, a note, a stack), every file and
// thumbnail URL signed by the stand-in CDN; images mode none, so no file is mirrored.
let server: TestServer & { route(prefix: string, handler: Handler): void };
let cdn: FakeCdn;
let feed: () => Record<string, unknown>;

beforeEach(async () => {
  server = await startServer((req, res) => json(feed())(req, res));
  cdn = new FakeCdn(() => `${server.url}/cdn`);
  server.route('/cdn/', cdn.handler);
  feed = () => everyKindFeed(cdn);
});
afterEach(() => server.close());

const project = (stacks: 'list' | 'flatten' = 'list') =>
  loopbackProject(`${server.url}/616548.json`, [`    stacks: ${stacks}`], { images: '    images: { mode: none }' });

/** The stack rules in this process; the first case runs the built CLI. */
const sync = async (cwd: string) => (await syncInProcess(cwd)).summary;
const posts = async (cwd: string) => (await readdir(path.join(cwd, POSTS))).sort();
const post = (cwd: string, name: string) => readFile(path.join(cwd, POSTS, name), 'utf8');

/** Every file under `dir`, recursively, as its path and text. */
async function everyFile(dir: string): Promise<[string, string][]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return Promise.all(files.map(async (f) => [path.relative(dir, f), await readFile(f, 'utf8')] as [string, string]));
}

/** The front matter of an item of the feed as the tool writes it in mode none, `over` lines put in place. */
function frontMatter(lines: Record<string, string>): string {
  const base: Record<string, string> = {
    archetype: 'bookmark',
    date: '',
    description: '""',
    'dropmark.editURL': '',
    featuredImage: '""',
    link: '""',
    linkBrand: '""',
    slug: '',
    socialScore: '',
    socialScoreSimulated: 'true',
    source: `\n  name: Dropmark\n  apiendpoint: ${server.url}/616548.json`,
    title: '',
  };
  const all = { ...base, ...lines };
  const keys = Object.keys(all).sort((a, b) => (a < b ? -1 : 1));
  return `---\n${keys.map((k) => `${k}:${all[k]?.startsWith('\n') ? '' : ' '}${all[k]}`).join('\n')}\n---\n`;
}

describe('every kind of item, images mode none', () => {
  it('no signed URL in any file; uploads link to Dropmark pages; a stack lists its items; links as ever', async () => {
    const cwd = await project();
    const result = await syncCli(cwd);
    expect(result.code).toBe(0);
    for (const [file, text] of await everyFile(cwd))
      expect({ file, signed: text.includes('Signature=') }).toEqual({ file, signed: false });
    expect(await posts(cwd)).toEqual(EVERY_KIND_POSTS);
    // The link item's file is as it was before items had kinds.
    expect(await post(cwd, 'himss-interoperability-in-practice.md')).toBe(
      [
        '---',
        'archetype: bookmark',
        'categories:',
        '- interop',
        'date: 2024-03-03T12:00:00Z',
        'description: ""',
        'dropmark.editURL: https://me.dropmark.com/616548/101',
        'featuredImage: ""',
        'link: https://www.himss.org/news/interop',
        'linkBrand: himss.org',
        'slug: himss-interoperability-in-practice',
        'socialScore: 31',
        'socialScoreSimulated: true',
        'source:',
        '  name: Dropmark',
        `  apiendpoint: ${server.url}/616548.json`,
        'title: Interoperability in practice',
        '---',
        '',
      ].join('\n'),
    );
    expect(await post(cwd, 'team-photo.md')).toBe(
      frontMatter({
        date: '2024-03-04T12:00:00Z',
        'dropmark.editURL': 'https://me.dropmark.com/616548/102',
        link: 'https://me.dropmark.com/616548/102',
        slug: 'team-photo',
        socialScore: '0',
        title: 'team-photo.jpg',
      }),
    );
    expect(await post(cwd, 'annual-report-2023.md')).toContain(
      '\nlink: https://me.dropmark.com/616548/103\nlinkBrand: ""\n',
    );
    expect(await post(cwd, 'launch.md')).toContain('\nlink: https://me.dropmark.com/616548/104\nlinkBrand: ""\n');
    expect(await post(cwd, 'interview.md')).toContain('\nlink: https://me.dropmark.com/616548/105\nlinkBrand: ""\n');
    expect(await post(cwd, 'reading-list.md')).toBe(
      frontMatter({
        date: '2024-03-09T12:00:00Z',
        'dropmark.editURL': 'https://me.dropmark.com/616548/107',
        slug: 'reading-list',
        socialScore: '43',
        title: 'Reading list',
      }) +
        '- [Inside the stack](https://example.org/inside)\n' +
        '- [whiteboard.png](https://me.dropmark.com/616548/109)\n',
    );
  });

  it('an item moved within the stack updates the stack’s post, and only it', async () => {
    const cwd = await project();
    expect((await sync(cwd)).ok).toBe(true);
    feed = () => {
      const body = everyKindFeed(cdn);
      const items = body['items'] as { id: number }[];
      return { ...body, items: [...items.filter((i) => i.id !== 108), ...items.filter((i) => i.id === 108)] };
    };
    const result = await sync(cwd);
    expect(result).toMatchObject({ created: 0, updated: 1, deleted: 0, unchanged: 6 });
    expect((await post(cwd, 'reading-list.md')).split('---\n')[2]).toBe(
      '- [whiteboard.png](https://me.dropmark.com/616548/109)\n' + '- [Inside the stack](https://example.org/inside)\n',
    );
  });

  it('flatten: a stack’s items are posts tagged with its name, the stack none; list: their files go', async () => {
    const cwd = await project('flatten');
    expect((await sync(cwd)).ok).toBe(true);
    const names = await posts(cwd);
    expect(names).toEqual([
      'annual-report-2023.md',
      'example-inside-the-stack.md',
      'himss-interoperability-in-practice.md',
      'interview.md',
      'launch.md',
      'meeting-notes.md',
      'team-photo.md',
      'whiteboard.md',
    ]);
    expect(await post(cwd, 'example-inside-the-stack.md')).toContain('\ncategories:\n- Reading list\n');
    expect(await post(cwd, 'whiteboard.md')).toContain('\ncategories:\n- Reading list\n');

    await writeFile(
      path.join(cwd, 'dropmark-sync.yaml'),
      (await readFile(path.join(cwd, 'dropmark-sync.yaml'), 'utf8')).replace('stacks: flatten', 'stacks: list'),
    );
    const result = await sync(cwd);
    expect(result).toMatchObject({ ok: true, created: 1, deleted: 2 });
    expect(await posts(cwd)).toEqual(EVERY_KIND_POSTS);
  });
});
