import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoaderContext } from 'astro/loaders';
import nock from 'nock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { dropmarkLoader } from '../../../src/loaders/astro.js';

const ORIGIN = 'https://me.dropmark.com';
const ENDPOINT = `${ORIGIN}/616548.json`;

const item = (id: number, content = `Body of ${id}.`) => ({
  id,
  name: `Item ${id}`,
  link: `https://example.com/${id}`,
  content,
  url: `${ORIGIN}/616548/${id}`,
  created_at: '2024-03-10 08:00:00 UTC',
  updated_at: '2024-03-11 09:30:00 UTC',
});
const feedOf = (...items: ReturnType<typeof item>[]) => JSON.stringify({ items, items_total_count: items.length });

/** Astro's side of a load, as content-layer.js hands it to a loader: a store, a meta store, its helpers. */
type DataEntry = ReturnType<LoaderContext['store']['entries']>[number][1];

class FakeAstro {
  readonly entries = new Map<string, DataEntry>();
  readonly meta = new Map<string, string>();
  /** Every body renderMarkdown was asked for. */
  readonly rendered: string[] = [];
  readonly logged: string[] = [];

  constructor(
    private readonly root: string,
    private readonly schema: { parse(data: unknown): Record<string, unknown> },
  ) {}

  context(): LoaderContext {
    const { entries, meta } = this;
    const log = (line: string) => this.logged.push(line);
    return {
      collection: 'links',
      store: {
        get: (id: string) => entries.get(id),
        entries: () => [...entries],
        values: () => [...entries.values()],
        keys: () => [...entries.keys()],
        set: (entry: DataEntry) => {
          entries.set(entry.id, entry);
          return true;
        },
        delete: (id: string) => entries.delete(id),
        clear: () => entries.clear(),
        has: (id: string) => entries.has(id),
        addModuleImport: () => {},
      },
      meta: {
        get: (key: string) => meta.get(key),
        set: (key: string, value: string) => meta.set(key, value),
        has: (key: string) => meta.has(key),
        delete: (key: string) => meta.delete(key),
      },
      logger: { info: log, warn: log, error: log, debug: () => {} },
      config: { root: pathToFileURL(`${this.root}/`) },
      parseData: async ({ data }: { data: Record<string, unknown> }) => this.schema.parse(data),
      renderMarkdown: async (body: string) => {
        this.rendered.push(body);
        return { html: `<p>${body}</p>` };
      },
      generateDigest: (data: unknown) => createHash('sha256').update(JSON.stringify(data)).digest('hex'),
    } as unknown as LoaderContext;
  }
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dms-astro-loader-'));
});

async function setUp(options: Record<string, unknown> = {}) {
  const loader = dropmarkLoader({ endpoint: ENDPOINT, images: { mode: 'none' }, ...options });
  const schema = await (loader.schema as () => Promise<FakeAstro['schema']>)();
  return { loader, astro: new FakeAstro(root, schema) };
}

describe('dropmarkLoader, as Astro calls it', () => {
  it('stores an entry per item by its id: the profile keys and slug as data, the rendered body', async () => {
    const { loader, astro } = await setUp();
    nock(ORIGIN)
      .get('/616548.json')
      .reply(200, feedOf(item(1), item(2)), { etag: '"v1"' });
    await loader.load(astro.context());
    expect([...astro.entries.keys()]).toEqual(['1', '2']);
    const entry = astro.entries.get('1') as DataEntry;
    expect(entry.data).toEqual({
      slug: 'example-item-1',
      title: 'Item 1',
      description: '',
      pubDate: new Date('2024-03-10T08:00:00Z'),
      updatedDate: new Date('2024-03-11T09:30:00Z'),
      date: new Date('2024-03-10T08:00:00Z'),
      link: 'https://example.com/1',
      tags: [],
      'dropmark.editURL': 'https://me.dropmark.com/616548/1',
    });
    expect(entry.body).toBe('Body of 1.');
    expect(entry.rendered).toEqual({ html: '<p>Body of 1.</p>' });
    expect(astro.rendered).toEqual(['Body of 1.', 'Body of 2.']);
  });

  it('renders nothing again when the feed is not modified: one conditional request', async () => {
    const { loader, astro } = await setUp();
    nock(ORIGIN)
      .get('/616548.json')
      .reply(200, feedOf(item(1), item(2)), { etag: '"v1"' });
    await loader.load(astro.context());
    const stored = new Map(astro.entries);
    nock(ORIGIN, { reqheaders: { 'if-none-match': '"v1"' } })
      .get('/616548.json')
      .reply(304);
    await loader.load(astro.context());
    expect(astro.rendered).toHaveLength(2);
    expect(astro.entries).toEqual(stored);
  });

  it('renders only the item that changed, and removes the entry of an item gone from the feed', async () => {
    const { loader, astro } = await setUp();
    nock(ORIGIN)
      .get('/616548.json')
      .reply(200, feedOf(item(1), item(2), item(3)), { etag: '"v1"' });
    await loader.load(astro.context());
    nock(ORIGIN, { reqheaders: { 'if-none-match': '"v1"' } })
      .get('/616548.json')
      .reply(200, feedOf(item(1), item(2, 'Edited.')), { etag: '"v2"' });
    await loader.load(astro.context());
    expect(astro.rendered).toEqual(['Body of 1.', 'Body of 2.', 'Body of 3.', 'Edited.']);
    expect([...astro.entries.keys()]).toEqual(['1', '2']);
    expect(astro.logged).toContain('1 entries stored, 1 unchanged, 1 removed');
  });

  it('fetches the whole feed again when the store lost its entries (the state alone is not trusted)', async () => {
    const { loader, astro } = await setUp();
    nock(ORIGIN)
      .get('/616548.json')
      .reply(200, feedOf(item(1)), { etag: '"v1"' });
    await loader.load(astro.context());
    astro.entries.clear();
    nock(ORIGIN, { badheaders: ['if-none-match'] })
      .get('/616548.json')
      .reply(200, feedOf(item(1)), { etag: '"v1"' });
    await loader.load(astro.context());
    expect([...astro.entries.keys()]).toEqual(['1']);
  });

  it("types the entries with its schema: bookmark's categories optional, frontMatter's keys there", async () => {
    const { astro } = await setUp({ profile: 'bookmark', frontMatter: { add: { layout: 'link' }, drop: ['source'] } });
    const parse = (data: unknown) => astro.context().parseData({ id: '1', data: data as Record<string, unknown> });
    const entry = {
      slug: 's',
      archetype: 'bookmark',
      date: '2024-03-10T08:00:00Z',
      description: '',
      'dropmark.editURL': 'https://me.dropmark.com/616548/1',
      featuredImage: '',
      link: '',
      linkBrand: '',
      socialScore: 3,
      socialScoreSimulated: true,
      title: 't',
      layout: 'link',
    };
    expect(await parse(entry)).toMatchObject({ date: new Date('2024-03-10T08:00:00Z'), layout: 'link' });
    expect(await parse({ ...entry, categories: ['a'] })).toMatchObject({ categories: ['a'] });
    await expect(parse({ ...entry, layout: 1 })).rejects.toThrow();
    await expect(parse({ ...entry, title: undefined })).rejects.toThrow();
  });

  it("fails with every problem of its options named, as the config file's are", async () => {
    const loader = dropmarkLoader({ endpoint: ENDPOINT, images: { mode: 'everywhere' as 'none' } });
    const error = await loader
      .load(new FakeAstro(root, { parse: (d) => d as Record<string, unknown> }).context())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      "dropmarkLoader's configuration is not valid:\nimages.mode: must be one of: local, remote, none",
    );
  });
});
