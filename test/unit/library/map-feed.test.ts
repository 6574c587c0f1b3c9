import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type CollectionConfig, configSchema } from '../../../src/config/schema.js';
import { parseFeed } from '../../../src/feed/parse.js';
import { mapFeed, postNames, feedPosts } from '../../../src/library/map-feed.js';
import { TEST_ENDPOINT } from '../../support/builders.js';
import { expectedFiles, SAMPLE_FEED_URL, sampleFeed } from '../../support/fixtures.js';

/** One collection as loadConfig hands it over (the config file's schema and defaults). */
const collection = async (keys: Record<string, unknown>) =>
  configSchema.parse({ collections: [{ endpoint: TEST_ENDPOINT, ...keys }] }).collections[0] as CollectionConfig;

const NOW = new Date('2026-01-02T03:04:05Z');

const item = (id: number, over: Record<string, unknown> = {}) => ({
  id,
  name: `Item ${id}`,
  link: `https://example.com/${id}`,
  content: `Body of ${id}.`,
  url: `https://me.dropmark.com/616548/${id}`,
  created_at: '2024-03-10 08:00:00 UTC',
  updated_at: '2024-03-11 09:30:00 UTC',
  ...over,
});
const feedOf = (items: Record<string, unknown>[], more: Record<string, unknown> = {}) =>
  parseFeed(JSON.stringify({ items, ...more }), TEST_ENDPOINT);

/** A front matter's date as its file writes it (YAML's core schema reads it as the text). */
const asText = (value: unknown) => (value instanceof Date ? value.toISOString().replace('.000Z', 'Z') : value);

describe('mapFeed', () => {
  it("gives the sample feed's posts exactly as the reference files hold them (bookmark, images remote)", async () => {
    const feed = parseFeed(JSON.stringify(sampleFeed()), SAMPLE_FEED_URL);
    const mapped = mapFeed(feed, await collection({ endpoint: SAMPLE_FEED_URL, images: { mode: 'remote' } }), {
      now: NOW,
    });
    const expected = expectedFiles();
    expect(mapped.posts.map((p) => p.file).sort()).toEqual([...expected.keys()].sort());
    expect(mapped.failures).toEqual([]);
    for (const post of mapped.posts) {
      const text = expected.get(post.file) as string;
      const [, head, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text) as unknown as [string, string, string];
      const { socialScore, ...meant } = parseYaml(head, { schema: 'core' }) as Record<string, unknown>;
      const { socialScore: score, ...data } = Object.fromEntries(
        Object.entries(post.data).map(([k, v]) => [k, asText(v)]),
      );
      // The reference site drew socialScore at random; the tool's is a number below 50.
      expect(typeof socialScore).toBe('number');
      expect(score).toBeLessThan(50);
      expect(data, post.file).toEqual(meant);
      expect(post.body, post.file).toBe(body);
      expect(post.slug).toBe(post.file.slice(0, -'.md'.length));
    }
    expect(mapped.dateKeys).toEqual(['date']);
  });

  it("writes the astro profile's keys in order, dates as Date objects, the image where it was mirrored", async () => {
    const feed = feedOf([item(1, { tags: [{ name: 'AI' }] }), item(2, { thumbnail: 'https://cdn.example/2.jpg' })]);
    const mapped = mapFeed(feed, await collection({ profile: 'astro' }), {
      now: NOW,
      images: new Map([['1', '/img/dropmark/item-1.jpg']]),
    });
    const [first, second] = mapped.posts;
    expect(Object.keys(first?.data ?? {})).toEqual([
      'title',
      'description',
      'pubDate',
      'updatedDate',
      'date',
      'link',
      'tags',
      'image',
      'heroImage',
      'dropmark.editURL',
    ]);
    expect(first?.data).toMatchObject({
      title: 'Item 1',
      pubDate: new Date('2024-03-10T08:00:00Z'),
      updatedDate: new Date('2024-03-11T09:30:00Z'),
      date: new Date('2024-03-10T08:00:00Z'),
      tags: ['AI'],
      image: '/img/dropmark/item-1.jpg',
      heroImage: '/img/dropmark/item-1.jpg',
      'dropmark.editURL': 'https://me.dropmark.com/616548/1',
    });
    // Not mirrored: no image at all, never the feed's URL.
    expect(second?.data).not.toHaveProperty('image');
    expect(second?.data).not.toHaveProperty('heroImage');
    expect(mapped.dateKeys).toEqual(['pubDate', 'updatedDate', 'date']);
  });

  it('applies frontMatter: rename (a source field too), drop, add', async () => {
    const frontMatter = { rename: { link: 'url', slug: 'slug' }, drop: ['description'], add: { layout: 'link.njk' } };
    const mapped = mapFeed(feedOf([item(1)]), await collection({ profile: 'eleventy', frontMatter }), { now: NOW });
    const data = mapped.posts[0]?.data as Record<string, unknown>;
    expect(Object.keys(data)).toEqual([
      'title',
      'date',
      'url',
      'tags',
      'templateEngineOverride',
      'dropmark.editURL',
      'slug',
      'layout',
    ]);
    expect(data).toMatchObject({ url: 'https://example.com/1', slug: 'example-item-1', layout: 'link.njk' });
  });

  it('makes the text of an item inert: no script, no handler, no javascript: link', async () => {
    const content = 'Kept <b>bold</b>. <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))';
    const mapped = mapFeed(feedOf([item(1, { content })]), await collection({ profile: 'astro' }), { now: NOW });
    expect(mapped.posts[0]?.body).toBe('Kept <b>bold</b>.   x');
  });

  it('keeps a retitled post under the name it had (slugs: keep), and follows the title with follow-title', async () => {
    const feed = feedOf([item(1, { name: 'A new title' })]);
    const names = new Map([['1', 'example-the-old-title']]);
    const kept = mapFeed(feed, await collection({ profile: 'astro' }), { now: NOW, names });
    expect(kept.posts[0]).toMatchObject({ file: 'example-the-old-title.md', slug: 'example-the-old-title' });
    const followed = mapFeed(feed, await collection({ profile: 'astro', slugs: 'follow-title' }), { now: NOW, names });
    expect(followed.posts[0]).toMatchObject({ file: 'example-a-new-title.md', slug: 'example-a-new-title' });
  });

  it('gives two items of one title one slug each, the same names postNames gives their images', async () => {
    const feed = feedOf([item(2, { name: 'Same' }), item(1, { name: 'Same' })]);
    const c = await collection({ profile: 'eleventy' });
    const mapped = mapFeed(feed, c, { now: NOW });
    expect(mapped.posts.map((p) => p.slug)).toEqual(['example-same-2', 'example-same']);
    expect([...postNames(feedPosts(feed, c).items, c, { now: NOW })]).toEqual([
      ['1', 'example-same'],
      ['2', 'example-same-2'],
    ]);
  });

  it('names the item whose date is no date, and maps the others', async () => {
    const feed = feedOf([item(1), item(2, { created_at: 'soon', updated_at: 'later' })]);
    const mapped = mapFeed(feed, await collection({}), { now: NOW });
    expect(mapped.posts.map((p) => p.id)).toEqual(['1']);
    expect(mapped.failures).toEqual([
      {
        itemId: '2',
        reason:
          'item 2: its date "later" is not a valid date (updated_at/created_at); ' +
          'the item is skipped until Dropmark gives a valid one',
      },
    ]);
  });

  it('says a feed is partial, and leaves out the stacks it cannot tell whole', async () => {
    const stack = item(10, { type: 'stack', name: 'A stack' });
    const feed = feedOf([item(1), stack, item(11, { parent_id: 10 })], { items_total_count: 5 });
    const mapped = mapFeed(feed, await collection({}), { now: NOW });
    expect(mapped.partial).toEqual({ listed: 3, total: 5 });
    expect(mapped.posts.map((p) => p.id)).toEqual(['1']);
    const whole = mapFeed(feed, await collection({}), { now: NOW, allowPartialFeed: true });
    expect(whole.partial).toBeUndefined();
    expect(whole.posts.map((p) => p.id)).toEqual(['1', '10']);
  });
});
