import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { dropmarkPlugin, type EleventyConfigApi, type EleventyPost } from '../../../src/loaders/eleventy.js';

const ORIGIN = 'https://me.dropmark.com';
const ENDPOINT = `${ORIGIN}/616548.json`;

const item = (id: number, content = `Body of *${id}*.`) => ({
  id,
  name: `Item ${id}`,
  link: `https://example.com/${id}`,
  content,
  url: `${ORIGIN}/616548/${id}`,
  created_at: '2024-03-10 08:00:00 UTC',
  updated_at: '2024-03-11 09:30:00 UTC',
});
const feedOf = (...items: ReturnType<typeof item>[]) => JSON.stringify({ items, items_total_count: items.length });

/** Eleventy's configuration API as the plugin sees it: what it was given, and the build's events. */
class FakeEleventy implements EleventyConfigApi {
  readonly data = new Map<string, () => Promise<unknown>>();
  readonly collections = new Map<string, () => Promise<unknown>>();
  readonly passthrough: Record<string, string>[] = [];
  private readonly before: (() => Promise<void>)[] = [];
  addGlobalData(name: string, data: () => Promise<unknown>) {
    this.data.set(name, data);
  }
  addCollection(name: string, callback: () => Promise<unknown>) {
    this.collections.set(name, callback);
  }
  addPassthroughCopy(mapping: Record<string, string>) {
    this.passthrough.push(mapping);
  }
  on(_event: 'eleventy.before', callback: () => Promise<void>) {
    this.before.push(callback);
  }
  /** One build: the events first, then the templates ask for the data. */
  async build(name = 'dropmark'): Promise<EleventyPost[]> {
    for (const callback of this.before) await callback();
    return (await this.data.get(name)?.()) as EleventyPost[];
  }
}

// Eleventy runs in the project's folder, where the plugin keeps its cache and downloads.
const home = process.cwd();
let project: string;
beforeEach(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'dms-eleventy-plugin-'));
  process.chdir(project);
});
afterEach(() => {
  process.chdir(home);
});

describe('the dropmark Eleventy plugin', () => {
  it('adds the posts as global data, each with its front matter, slug, body and body as HTML', async () => {
    const eleventy = new FakeEleventy();
    await dropmarkPlugin(eleventy, { endpoint: ENDPOINT, collectionName: 'links' });
    expect(eleventy.passthrough).toEqual([
      { 'assets/img/dropmark': 'assets/img/dropmark' },
      { 'assets/files/dropmark': 'assets/files/dropmark' },
    ]);
    nock(ORIGIN)
      .get('/616548.json')
      .reply(200, feedOf(item(1)), { etag: '"v1"' });
    const [post] = await eleventy.build();
    expect(post).toEqual({
      id: '1',
      slug: 'example-item-1',
      data: {
        title: 'Item 1',
        date: new Date('2024-03-10T08:00:00Z'),
        link: 'https://example.com/1',
        tags: [],
        description: '',
        templateEngineOverride: 'md',
        'dropmark.editURL': 'https://me.dropmark.com/616548/1',
      },
      body: 'Body of *1*.',
      html: '<p>Body of <em>1</em>.</p>',
    });
    expect(await eleventy.collections.get('links')?.()).toEqual([post]);
  });

  it('builds again from its cache after one conditional request, the dates Dates again', async () => {
    const eleventy = new FakeEleventy();
    await dropmarkPlugin(eleventy, { endpoint: ENDPOINT, images: { mode: 'none' }, dataKey: 'links' });
    nock(ORIGIN)
      .get('/616548.json')
      .reply(200, feedOf(item(1), item(2)), { etag: '"v1"' });
    const first = await eleventy.build('links');
    expect(await readdir(path.join(project, '.cache', 'dropmark-sync'))).toHaveLength(1);
    // A new process: the posts come from the cache.
    const again = new FakeEleventy();
    await dropmarkPlugin(again, { endpoint: ENDPOINT, images: { mode: 'none' }, dataKey: 'links' });
    nock(ORIGIN, { reqheaders: { 'if-none-match': '"v1"' } })
      .get('/616548.json')
      .reply(304);
    expect(await again.build('links')).toEqual(first);
  });

  it('makes the HTML again from the body: markup written into its cache file never reaches a page', async () => {
    const eleventy = new FakeEleventy();
    await dropmarkPlugin(eleventy, { endpoint: ENDPOINT, images: { mode: 'none' } });
    nock(ORIGIN)
      .get('/616548.json')
      .reply(200, feedOf(item(1)), { etag: '"v1"' });
    const [first] = await eleventy.build();
    const dir = path.join(project, '.cache', 'dropmark-sync');
    const file = path.join(dir, (await readdir(dir))[0] as string);
    const planted = (await readFile(file, 'utf8')).replace(/"html": "[^"]*"/, '"html": "<script>alert(1)</script>"');
    expect(planted).toContain('<script>');
    await writeFile(file, planted);
    nock(ORIGIN, { reqheaders: { 'if-none-match': '"v1"' } })
      .get('/616548.json')
      .reply(304);
    const [again] = await eleventy.build();
    expect(again?.html).toBe(first?.html);
    expect(again?.html).not.toContain('<script>');
  });

  it('fetches the whole feed when its cache is damaged', async () => {
    const eleventy = new FakeEleventy();
    await dropmarkPlugin(eleventy, { endpoint: ENDPOINT, images: { mode: 'none' } });
    nock(ORIGIN)
      .get('/616548.json')
      .reply(200, feedOf(item(1)), { etag: '"v1"' });
    await eleventy.build();
    const dir = path.join(project, '.cache', 'dropmark-sync');
    const [file] = await readdir(dir);
    await writeFile(path.join(dir, file as string), '{"state": {}, "posts": [');
    nock(ORIGIN, { badheaders: ['if-none-match'] })
      .get('/616548.json')
      .reply(200, feedOf(item(1), item(2)), { etag: '"v2"' });
    expect((await eleventy.build()).map((p) => p.id)).toEqual(['1', '2']);
  });

  it('refuses a data name that templates could not read, and options the config file would refuse', async () => {
    const refusal = (options: Parameters<typeof dropmarkPlugin>[1]) =>
      dropmarkPlugin(new FakeEleventy(), options).then(
        () => expect.unreachable('the options were taken'),
        (e: unknown) => e as ConfigError,
      );
    const name = await refusal({ endpoint: ENDPOINT, dataKey: 'my links' });
    expect(name).toBeInstanceOf(ConfigError);
    expect(name.message).toBe(
      "the dropmark plugin's configuration is not valid:\n" +
        'dataKey: must be a name such as dropmark (letters, digits, _)',
    );
    const key = await refusal({ endpoint: ENDPOINT, slugs: 'sometimes' as 'keep' });
    expect(key.message).toBe(
      'the dropmark plugin\'s configuration is not valid:\nslugs: must be "keep" or "follow-title"',
    );
  });
});
