import type { SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { FakeCdn } from '../support/cdn.js';
import { startCli, tempDir } from '../support/cli.js';
import { json, startServer } from '../support/feed-server.js';
import { sampleFeed } from '../support/fixtures.js';
import {
  FOOTNOTE_HOSTILE,
  HOSTILE as HOSTILE_HTML,
  hostileText,
  KRAMDOWN_HOSTILE,
  liveMarkup,
} from '../support/hostile-html.js';
import {
  build,
  type BuiltPage,
  builtPages,
  decode,
  filesUnder,
  INSTALLED,
  localThumbnails,
  NODE_MODULES,
  OUT,
  shownDay,
} from '../support/generator-sites.js';

/**
 * The front-matter profiles against the real generators: the sample feed (plus one item whose
 * text holds the generator's own template syntax) is synced by the built CLI into a minimal
 * site, which the generator then builds. The site files are the ones docs/profiles.md shows.
 */

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOC = path.join(ROOT, 'docs', 'profiles.md');
/** The builds run west of UTC: a layout that shows the machine's day instead of the post's fails. */
const TZ = 'America/New_York';

/** The sample feed: 41 items, 38 of them with a thumbnail; the tests add one item without. */
const PAGES = 42;
const IMAGES = 38;

const { hugo: hugoFound, jekyll: jekyllFound, eleventy: eleventyFound, astro: astroFound } = INSTALLED;
for (const [name, ok] of Object.entries(INSTALLED)) {
  if (!ok) console.warn(`test/e2e/generators.test.ts skipped: ${name} not installed`);
}

// ---------------------------------------------------------------------------------------------
// The sites, as docs/profiles.md shows them (the docs test below holds the doc to these).

/** The collection's keys under `- endpoint:` in each generator's dropmark-sync.yaml. */
const COLLECTION = {
  hugo: [
    '    contentDir: content/post',
    '    profile: hugo',
    '    images:',
    '      mode: local',
    '      dir: static/img/dropmark',
    '      urlPrefix: /img/dropmark',
  ],
  jekyll: [
    '    contentDir: _posts',
    '    profile: jekyll',
    '    fileName: "{date}-{slug}.md"',
    '    frontMatter:',
    '      add:',
    '        layout: post',
    '    images:',
    '      mode: local',
    '      dir: assets/img/dropmark',
    '      urlPrefix: /assets/img/dropmark',
  ],
  eleventy: [
    '    contentDir: posts',
    '    profile: eleventy',
    '    frontMatter:',
    '      add:',
    '        layout: post.liquid',
    '    images:',
    '      mode: local',
    '      dir: assets/img/dropmark',
    '      urlPrefix: /assets/img/dropmark',
  ],
  astro: [
    '    contentDir: src/content/blog',
    '    profile: astro',
    '    images:',
    '      mode: local',
    '      dir: public/img/dropmark',
    '      urlPrefix: /img/dropmark',
  ],
} as const;
type Profile = keyof typeof COLLECTION;

/** The config file a reader copies: the collection's keys under a real endpoint. */
const docConfig = (profile: Profile, extra: string[] = []) =>
  [
    'siteDir: .',
    'collections:',
    '  - endpoint: https://USER.dropmark.com/COLLECTION_ID.json',
    ...COLLECTION[profile],
    ...extra,
    '',
  ].join('\n');

const SITES: Record<Profile, Record<string, string>> = {
  hugo: {
    'hugo.toml': [
      'baseURL = "https://example.org/"',
      'title = "My links"',
      'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]',
      '',
    ].join('\n'),
    'layouts/_default/single.html': [
      '<!DOCTYPE html>',
      '<html>',
      '<head><meta charset="utf-8"><title>{{ .Title }}</title></head>',
      '<body>',
      '<article>',
      '  <h1>{{ .Title }}</h1>',
      '  <p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">' +
        '{{ .Date.Format "2 January 2006" }}</time></p>',
      '  <p><a href="{{ .Params.link }}">{{ .Params.link }}</a></p>',
      '  {{ with .Params.image }}<img src="{{ . }}" alt="">{{ end }}',
      '  {{ with .Params.tags }}<ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}',
      '  {{ .Content }}',
      '</article>',
      '</body>',
      '</html>',
      '',
    ].join('\n'),
    'layouts/_default/list.html': [
      '<!DOCTYPE html>',
      '<html>',
      '<head><meta charset="utf-8"><title>{{ .Title }}</title></head>',
      '<body>',
      '<ul>{{ range .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>',
      '</body>',
      '</html>',
      '',
    ].join('\n'),
  },
  jekyll: {
    '_config.yml': ['title: My links', 'exclude: [dropmark-sync.yaml, data/dropmark-sync]', 'timezone: UTC', ''].join(
      '\n',
    ),
    '_layouts/post.html': [
      '<!DOCTYPE html>',
      '<html>',
      '<head><meta charset="utf-8"><title>{{ page.title | escape }}</title></head>',
      '<body>',
      '<article>',
      '  <h1>{{ page.title | escape }}</h1>',
      '  <p><time datetime="{{ page.date | date_to_xmlschema }}">{{ page.date | date: "%-d %B %Y" }}</time></p>',
      '  <p><a href="{{ page.link | escape }}">{{ page.link | escape }}</a></p>',
      '  {% if page.image %}<img src="{{ page.image | relative_url }}" alt="">{% endif %}',
      '  {% if page.tags.size > 0 %}<ul>{% for tag in page.tags %}' +
        '<li>{{ tag | escape }}</li>{% endfor %}</ul>{% endif %}',
      '  {{ content }}',
      '</article>',
      '</body>',
      '</html>',
      '',
    ].join('\n'),
  },
  eleventy: {
    'eleventy.config.mjs': [
      'export default function (eleventyConfig) {',
      "  eleventyConfig.addPassthroughCopy('assets');",
      '}',
      '',
    ].join('\n'),
    '_includes/post.liquid': [
      '<!DOCTYPE html>',
      '<html>',
      '<head><meta charset="utf-8"><title>{{ title | escape }}</title></head>',
      '<body>',
      '<article>',
      '  <h1>{{ title | escape }}</h1>',
      '  <p><time datetime="{{ page.date | date: "%Y-%m-%dT%H:%M:%SZ", "UTC" }}">',
      '    {{- page.date | date: "%-d %B %Y", "UTC" }}</time></p>',
      '  <p><a href="{{ link | escape }}">{{ link | escape }}</a></p>',
      '  {% if image %}<img src="{{ image }}" alt="">{% endif %}',
      '  {% if tags.size > 0 %}<ul>{% for tag in tags %}<li>{{ tag | escape }}</li>{% endfor %}</ul>{% endif %}',
      '  {{ content }}',
      '</article>',
      '</body>',
      '</html>',
      '',
    ].join('\n'),
  },
  astro: {
    'src/content.config.ts': [
      "import { defineCollection, z } from 'astro:content';",
      "import { glob } from 'astro/loaders';",
      '',
      'const blog = defineCollection({',
      "  loader: glob({ base: './src/content/blog', pattern: '**/*.md' }),",
      '  schema: z.object({',
      '    title: z.string(),',
      '    description: z.string(),',
      '    pubDate: z.coerce.date(),',
      '    updatedDate: z.coerce.date().optional(),',
      '    heroImage: z.string().optional(),',
      '    link: z.string().optional(),',
      '  }),',
      '});',
      '',
      'export const collections = { blog };',
      '',
    ].join('\n'),
    'src/pages/blog/[...slug].astro': [
      '---',
      "import { Image } from 'astro:assets';",
      "import { getCollection, render } from 'astro:content';",
      '',
      'export async function getStaticPaths() {',
      "  const posts = await getCollection('blog');",
      '  return posts.map((post) => ({ params: { slug: post.id }, props: post }));',
      '}',
      '',
      'const post = Astro.props;',
      'const { Content } = await render(post);',
      'const { title, description, pubDate, heroImage, link, tags } = post.data;',
      "const day = { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' } as const;",
      '---',
      '<article>',
      '  <h1>{title}</h1>',
      "  <p><time datetime={pubDate.toISOString()}>{pubDate.toLocaleDateString('en-GB', day)}</time></p>",
      '  {link && <p><a href={link}>{link}</a></p>}',
      '  {heroImage && (typeof heroImage === \'string\' ? <img src={heroImage} alt="" /> : ' +
        '<Image src={heroImage} alt="" />)}',
      '  {tags && tags.length > 0 && <ul>{tags.map((tag) => <li>{tag}</li>)}</ul>}',
      '  <p>{description}</p>',
      '  <Content />',
      '</article>',
      '',
    ].join('\n'),
  },
};

// ---------------------------------------------------------------------------------------------
// The hostile item: text in the generator's own template syntax, and what would show it ran.

const TEMPLATE_TITLE = 'Template syntax in the text';

interface Hostile {
  /** The item's text (Markdown). */
  text: string;
  /** Each must be on the built page exactly (after HTML entities are decoded). */
  literal: string[];
  /** None may be on the page: what running the syntax would print. */
  ran: string[];
  /** Site files that only this test needs, to make running the syntax visible. */
  extraFiles: Record<string, string>;
}

const HOSTILE: Record<Exclude<Profile, 'astro'>, Hostile> = {
  hugo: {
    text: 'Hugo shortcodes {{< boom >}} and {{% boom %}} stay text.',
    literal: ['Hugo shortcodes {{< boom >}} and {{% boom %}} stay text.'],
    ran: ['BOOM-SHORTCODE-RAN'],
    extraFiles: { 'layouts/shortcodes/boom.html': 'BOOM-SHORTCODE-RAN' },
  },
  jekyll: {
    text:
      'Liquid {{ site.title }} and {% include x.html %} stay text.\n\nAn unclosed {% raw %} too.\n\n' +
      'Hugo shortcodes {{< boom >}} and {{% boom %}} are plain text here, shown as written.',
    literal: [
      'Liquid {{ site.title }} and {% include x.html %} stay text.',
      'An unclosed {% raw %} too.',
      'Hugo shortcodes {{< boom >}} and {{% boom %}} are plain text here, shown as written.',
    ],
    ran: ['My links', 'INCLUDE-RAN'],
    extraFiles: { '_includes/x.html': 'INCLUDE-RAN' },
  },
  eleventy: {
    text:
      'Nunjucks and Liquid {{ 7*7 }} and {% set x = 1 %} stay text.\n\n' +
      'So do {% include x.html %} and an unclosed {% raw %}.\n\n' +
      'Hugo shortcodes {{< boom >}} and {{% boom %}} are plain text here, shown as written.',
    literal: [
      'Hugo shortcodes {{< boom >}} and {{% boom %}} are plain text here, shown as written.',
      'Nunjucks and Liquid {{ 7*7 }} and {% set x = 1 %} stay text.',
      'So do {% include x.html %} and an unclosed {% raw %}.',
    ],
    ran: ['49', 'INCLUDE-RAN'],
    extraFiles: { '_includes/x.html': 'INCLUDE-RAN' },
  },
};

// ---------------------------------------------------------------------------------------------
// The served feeds: the sample feed with its thumbnails on a loopback CDN, plus the hostile item.

type FeedItem = Record<string, unknown> & { name: string; link: string; thumbnail: string | null };

let server: Awaited<ReturnType<typeof startServer>>;
let cdn: FakeCdn;

function feedWith(text: string): { items: FeedItem[] } {
  const feed = sampleFeed() as unknown as { items: FeedItem[] };
  const first = feed.items[0] as FeedItem;
  const items = localThumbnails(feed.items, cdn);
  items.push({
    ...first,
    id: 99000001,
    name: TEMPLATE_TITLE,
    description: 'An item whose text is template syntax.',
    content: text,
    link: 'https://www.example.com/template-syntax',
    thumbnail: null,
    thumbnails: null,
    tags: [],
    // Early in the UTC day: still 30 April in New York, where the builds run.
    created_at: '2019-05-01 02:15:47 UTC',
    updated_at: '2019-05-01 02:15:47 UTC',
    url: 'http://radhikan.dropmark.com/616548/99000001',
  });
  return { ...feed, items };
}

/** Feed path -> the items it serves. */
const served = new Map<string, FeedItem[]>();

function serve(name: string, text: string, more: FeedItem[] = []): string {
  const feed = feedWith(text);
  feed.items.push(...more);
  const feedPath = `/${name}/616548.json`;
  served.set(feedPath, feed.items);
  server.route(feedPath, json(feed));
  return feedPath;
}

beforeAll(async () => {
  server = await startServer();
  cdn = new FakeCdn(() => server.url);
  server.route('/cdn/', cdn.handler);
});
afterAll(async () => {
  await server?.close();
});

// ---------------------------------------------------------------------------------------------
// The steps: sync (the one place the CLI runs), build, and reading what they wrote.

/** Syncs the feed at `feedPath` into `site` with the built CLI, as docs/profiles.md configures it. */
async function syncSite(
  site: string,
  feedPath: string,
  profile: Profile,
  extra: string[] = [],
  expected = { created: PAGES, images: IMAGES },
): Promise<void> {
  const loopback = ['      allowHttp: true', '      allowedHosts: ["127.0.0.1"]', ...extra];
  const config = docConfig(profile, loopback).replace(
    'https://USER.dropmark.com/COLLECTION_ID.json',
    `${server.url}${feedPath}`,
  );
  await writeFile(
    path.join(site, 'dropmark-sync.yaml'),
    `${config}http: { retries: 1, retryDelayMs: 5, allowPrivateNetworks: true }\n`,
  );
  const result = await startCli(['sync', '--config', 'dropmark-sync.yaml', '--json'], { cwd: site }).done;
  expect(result.code, result.stderr).toBe(0);
  expect(JSON.parse(result.stdout), result.stderr).toMatchObject({
    created: expected.created,
    failed: 0,
    imagesDownloaded: expected.images,
    imagesMissing: 0,
  });
}

async function writeSite(dir: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}

const BUILD = (generator: Profile, site: string) => build(generator, site, TZ);

/** A written file's front matter and body: YAML between `---` lines or TOML between `+++` lines. */
function splitPost(text: string): { format: 'yaml' | 'toml'; data: Record<string, unknown>; body: string } {
  const match = /^(---|\+\+\+)\n([\s\S]*?)\n\1\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`no front matter in:\n${text.slice(0, 200)}`);
  const [, fence, head, body] = match as unknown as [string, string, string, string];
  return fence === '---'
    ? { format: 'yaml', data: parseYaml(head) as Record<string, unknown>, body }
    : { format: 'toml', data: parseToml(head) as Record<string, unknown>, body };
}

async function writtenPosts(dir: string) {
  const files = await filesUnder(dir, '.md');
  return Promise.all(
    files.map(async (file) => ({
      file,
      text: await readFile(file, 'utf8'),
      ...splitPost(await readFile(file, 'utf8')),
    })),
  );
}

/** A front-matter date as RFC 3339 text: YAML gives the text, TOML a Date. */
const isoOf = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

const titleAndLink = (pairs: { title: string; link: string }[]) => pairs.map((p) => `${p.title} | ${p.link}`).sort();

// ---------------------------------------------------------------------------------------------

const GENERATORS = [
  ['hugo', hugoFound, 'content/post', '/img/dropmark/'],
  ['jekyll', jekyllFound, '_posts', '/assets/img/dropmark/'],
  ['eleventy', eleventyFound, 'posts', '/assets/img/dropmark/'],
] as const;

for (const [generator, installed, contentDir, urlPrefix] of GENERATORS) {
  describe.skipIf(!installed)(
    `a real ${generator} build of the synced sample feed (skipped: ${generator} not installed when absent)`,
    () => {
      let site: string;
      let feedPath: string;
      let build: SpawnSyncReturns<string>;
      let pages: BuiltPage[];

      beforeAll(async () => {
        site = await tempDir(`dms-${generator}-`);
        const hostile = HOSTILE[generator];
        await writeSite(site, { ...SITES[generator], ...hostile.extraFiles });
        feedPath = serve(generator, hostile.text);
        await syncSite(site, feedPath, generator);
        build = BUILD(generator, site);
        pages = await builtPages(path.join(site, OUT[generator]));
      });
      afterAll(async () => {
        if (site) await rm(site, { recursive: true, force: true });
      });

      it('builds the site without an error or a warning', () => {
        expect(build.stderr).toBe('');
        expect(build.status).toBe(0);
      });

      it('has a page for every item of the feed, showing its title and its link', () => {
        const items = served.get(feedPath) as FeedItem[];
        expect(items).toHaveLength(PAGES);
        expect(titleAndLink(pages)).toEqual(titleAndLink(items.map((i) => ({ title: i.name, link: i.link }))));
      });

      it(`shows each post's day as it is dated (UTC), though built in ${TZ}`, async () => {
        const posts = await writtenPosts(path.join(site, contentDir));
        const meant = posts.map((p) => `${String(p.data['title'])} | ${shownDay(isoOf(p.data['date']))}`);
        expect(pages.map((p) => `${p.title} | ${p.date}`).sort()).toEqual(meant.sort());
        expect(pages.find((p) => p.title === TEMPLATE_TITLE)?.date).toBe('1 May 2019');
      });

      it('writes every image as a site path whose file is in the built output', async () => {
        const posts = await writtenPosts(path.join(site, contentDir));
        const images = posts.map((p) => p.data['image']).filter((image) => image !== undefined);
        expect(images).toHaveLength(IMAGES);
        for (const image of images) {
          expect(image).toMatch(new RegExp(`^${urlPrefix}[^/]+$`));
          expect(existsSync(path.join(site, OUT[generator], image as string)), String(image)).toBe(true);
        }
        const shown = pages.flatMap((p) => p.images);
        expect(shown.sort()).toEqual([...images].sort());
      });

      it('publishes neither the sync config nor its records', async () => {
        expect(existsSync(path.join(site, 'data', 'dropmark-sync'))).toBe(true);
        const published = await filesUnder(path.join(site, OUT[generator]), '');
        expect(published.filter((file) => file.includes('dropmark-sync'))).toEqual([]);
      });

      it('shows the template syntax in an item text literally, running none of it', () => {
        const page = pages.find((p) => p.title === TEMPLATE_TITLE);
        expect(page, 'the page of the item with template syntax').toBeDefined();
        const text = decode((page as BuiltPage).html);
        for (const literal of HOSTILE[generator].literal) expect(text).toContain(literal);
        for (const ran of HOSTILE[generator].ran) expect(text).not.toContain(ran);
      });

      if (generator === 'hugo') {
        it('writes TOML front matter with format toml: the same values as YAML, and Hugo builds it', async () => {
          const tomlSite = await tempDir('dms-hugo-toml-');
          try {
            await writeSite(tomlSite, { ...SITES.hugo, ...HOSTILE.hugo.extraFiles });
            await syncSite(tomlSite, feedPath, 'hugo', ['    format: toml']);
            const yamlPosts = await writtenPosts(path.join(site, contentDir));
            const tomlPosts = await writtenPosts(path.join(tomlSite, contentDir));
            const names = (posts: { file: string }[]) => posts.map((p) => path.basename(p.file));
            expect(names(tomlPosts)).toEqual(names(yamlPosts));
            expect(tomlPosts).toHaveLength(PAGES);
            for (const [i, post] of tomlPosts.entries()) {
              const yamlPost = yamlPosts[i] as (typeof yamlPosts)[number];
              expect(post.text.startsWith('+++\n'), post.file).toBe(true);
              expect(post.format).toBe('toml');
              expect(comparable(post.data), post.file).toEqual(comparable(yamlPost.data));
              expect(post.body, post.file).toBe(yamlPost.body);
            }
            const tomlBuild = BUILD('hugo', tomlSite);
            expect(tomlBuild.stderr).toBe('');
            expect(tomlBuild.status).toBe(0);
            expect(titleAndLink(await builtPages(path.join(tomlSite, 'public')))).toEqual(titleAndLink(pages));
          } finally {
            await rm(tomlSite, { recursive: true, force: true });
          }
        });
      }
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Hostile HTML (issue 21): the sanitizer's hostile bodies, random ones, and a javascript: link.

const HARMLESS = 'Kept: a <b>bold</b> word and a line<br>break.';
const XSS_BODIES = [
  ...[...HOSTILE_HTML, ...KRAMDOWN_HOSTILE].map(([, body]) => body),
  ...FOOTNOTE_HOSTILE.map(([, body]) => body),
  ...fc.sample(hostileText, { seed: 21, numRuns: 60 }),
];
const SCRIPT_LINK = 'javascript:alert(1)//https://example.com';

/** One item per hostile body, one with harmless formatting, and one whose link is a script. */
function serveHostile(name: string): { feedPath: string; count: number } {
  const first = sampleFeed().items[0] as Record<string, unknown>;
  const item = (i: number, content: string, link: string): FeedItem => ({
    ...first,
    id: 99100000 + i,
    name: `Hostile ${i}`,
    description: 'A hostile item.',
    content,
    link,
    thumbnail: null,
    thumbnails: null,
    tags: [],
    created_at: '2019-05-01 10:00:00 UTC',
    updated_at: '2019-05-01 10:00:00 UTC',
    url: `http://radhikan.dropmark.com/616548/${99100000 + i}`,
  });
  const items = [
    item(0, HARMLESS, 'https://www.example.com/harmless'),
    item(1, 'A post whose link is a script.', SCRIPT_LINK),
    ...XSS_BODIES.map((body, i) => item(i + 2, body, `https://www.example.com/h${i + 2}`)),
  ];
  const feedPath = `/${name}-xss/616548.json`;
  server.route(feedPath, json({ ...sampleFeed(), items }));
  return { feedPath, count: items.length };
}

const article = (page: BuiltPage) => /<article>([\s\S]*)<\/article>/.exec(page.html)?.[1] ?? '';

for (const [generator, installed, contentDir] of GENERATORS) {
  if (generator === 'hugo') continue; // Hugo omits raw HTML unless told otherwise: test/e2e/hugo.test.ts
  describe.skipIf(!installed)(`a real ${generator} build of hostile HTML in item texts (issue 21)`, () => {
    let site: string;
    let count: number;
    let build: SpawnSyncReturns<string>;
    let pages: BuiltPage[];

    beforeAll(async () => {
      site = await tempDir(`dms-${generator}-xss-`);
      await writeSite(site, SITES[generator]);
      const served = serveHostile(generator);
      count = served.count;
      await syncSite(site, served.feedPath, generator, [], { created: count, images: 0 });
      build = BUILD(generator, site);
      pages = await builtPages(path.join(site, OUT[generator]));
    });
    afterAll(async () => {
      if (site) await rm(site, { recursive: true, force: true });
    });

    it('builds a page for every item', () => {
      expect(build.status, build.stderr).toBe(0);
      expect(pages).toHaveLength(count);
    });

    it('has no script, event handler or script URL on any page', () => {
      const found = pages.flatMap((page) => liveMarkup(article(page)).map((f) => `${page.title}: ${f}`));
      expect(found).toEqual([]);
    });

    it('keeps harmless formatting', () => {
      const page = pages.find((p) => p.title === 'Hostile 0') as BuiltPage;
      expect(article(page)).toContain('a <b>bold</b> word and a line<br');
    });

    it('writes an empty link for a script link', async () => {
      const posts = await writtenPosts(path.join(site, contentDir));
      const post = posts.find((p) => p.data['title'] === 'Hostile 1');
      expect(post?.data['link']).toBe('');
      expect((pages.find((p) => p.title === 'Hostile 1') as BuiltPage).link).toBe('');
    });
  });
}

/**
 * Front matter values as plain JSON: a TOML date-time and YAML's plain `2019-02-26T11:47:13Z` text both become
 * that text.
 */
function comparable(data: Record<string, unknown>): unknown {
  return JSON.parse(
    JSON.stringify(data, function (this: Record<string, unknown>, key, value) {
      const raw = this[key];
      // smol-toml's dates print their offset as written: the instant is what must agree.
      return raw instanceof Date ? new Date(raw.getTime()).toISOString().replace('.000Z', 'Z') : value;
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Names and tags an Eleventy site reads as something else: items titled like the folder's own page,
// and tags that are prototype names or two spellings of one tag, beside the pages a blog usually has.

/** One more item of the sample feed's shape, without a link (so its slug is its title's) or a thumbnail. */
function extraItem(id: number, name: string, tags: string[] = []): FeedItem {
  return {
    id,
    name,
    description: '',
    content: `Body of ${name}.`,
    link: '',
    thumbnail: null,
    thumbnails: null,
    tags: tags.map((tag) => ({ name: tag })),
    created_at: '2019-05-01 10:00:00 UTC',
    updated_at: '2019-05-01 10:00:00 UTC',
    url: `http://radhikan.dropmark.com/616548/${id}`,
  };
}

/** The usual Eleventy blog pages: a listing of the posts folder, and a page per tag. */
const BLOG_PAGES: Record<string, string> = {
  'posts.liquid': 'The list of posts\n',
  'tags.liquid': [
    '---',
    'pagination:',
    '  data: collections',
    '  size: 1',
    '  alias: tag',
    '  filter: [all]',
    'permalink: /tags/{{ tag | slugify }}/',
    '---',
    'Tag {{ tag }}: {{ collections[tag].size }} post(s)',
    '',
  ].join('\n'),
};

describe.skipIf(!eleventyFound)('a real eleventy build of names and tags the feed gives (skipped when absent)', () => {
  const sites: string[] = [];
  afterAll(async () => {
    for (const site of sites) await rm(site, { recursive: true, force: true });
  });

  /** The build's complaints; Eleventy's notes on its own timing (a slow filter on a busy machine) are none. */
  const problems = (build: SpawnSyncReturns<string>) =>
    build.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('[11ty] Benchmark'));

  /** The sample feed and `more` synced into the blog, then built: the site, the build. */
  async function syncAndBuild(name: string, more: FeedItem[]): Promise<[string, SpawnSyncReturns<string>]> {
    const site = await tempDir(`dms-eleventy-${name}-`);
    sites.push(site);
    await writeSite(site, { ...SITES.eleventy, ...BLOG_PAGES });
    await syncSite(site, serve(`eleventy-${name}`, 'Plain text.', more), 'eleventy', [], {
      created: PAGES + more.length,
      images: IMAGES,
    });
    return [site, BUILD('eleventy', site)];
  }

  it('items titled Index and Posts (the folder) take <slug>-<id>: no output conflict with the posts list', async () => {
    const [site, build] = await syncAndBuild('names', [extraItem(99000002, 'Index'), extraItem(99000003, 'Posts')]);
    expect(problems(build)).toEqual([]);
    expect(build.status).toBe(0);
    const names = await readdir(path.join(site, 'posts'));
    expect(names.filter((n) => /^(index|posts)/.test(n)).sort()).toEqual(['index-99000002.md', 'posts-99000003.md']);
    expect(await readFile(path.join(site, '_site/posts/index.html'), 'utf8')).toBe('The list of posts\n');
    const page = (name: string) => readFile(path.join(site, '_site/posts', name, 'index.html'), 'utf8');
    expect(await page('index-99000002')).toContain('<h1>Index</h1>');
    expect(await page('posts-99000003')).toContain('<h1>Posts</h1>');
  });

  it('tags: __proto__ and dot segments left out, two spellings one tag page, and the build passes', async () => {
    const hostile = extraItem(99000004, 'Hostile tags', ['__proto__', 'constructor', '..', 'a/../b', 'AI']);
    const [site, build] = await syncAndBuild('tags', [hostile]);
    expect(problems(build)).toEqual([]);
    expect(build.status).toBe(0);
    expect(await readFile(path.join(site, 'posts/hostile-tags.md'), 'utf8')).toContain('\ntags:\n- a-b\n- ai\n');
    // The sample feed's 27 tag spellings, `Patient Engagement` and `patient engagement` as one, and the new `a-b`.
    expect((await readdir(path.join(site, '_site/tags'))).sort()).toEqual([
      'a-b',
      'ai',
      'blockchain',
      'career-and-hit-job-market',
      'cybersecurity',
      'digital-health-funding',
      'digital-health-leadership',
      'genomics',
      'healthcare',
      'healthcare-it',
      'himss-19',
      'hipaa',
      'hospital',
      'innovation',
      'integrated-omics',
      'interoperability',
      'mhealth-app',
      'patient-engagement',
      'payment-models',
      'precision-medicine',
      'revenue-management',
      'security-breach',
      'survey',
      'telehealth',
      'telemedicine',
      'usability',
      'womeninhit',
    ]);
    const tagPage = (name: string) => readFile(path.join(site, '_site/tags', name, 'index.html'), 'utf8');
    expect(await tagPage('patient-engagement')).toBe('Tag patient engagement: 3 post(s)\n');
    // The feed's own spelling `ai` (5 items) is the most used one: the new item's `AI` is written `ai` too.
    expect(await tagPage('ai')).toBe('Tag ai: 6 post(s)\n');
  });
});

describe('the astro profile against the Astro blog starter content schema', () => {
  const blog = z.object({
    title: z.string(),
    description: z.string(),
    pubDate: z.coerce.date(),
    updatedDate: z.coerce.date().optional(),
    heroImage: z.string().optional(),
  });
  let site: string;

  beforeAll(async () => {
    site = await tempDir('dms-astro-');
    await syncSite(site, serve('astro', 'Plain **text**.'), 'astro');
  });
  afterAll(async () => {
    if (site) await rm(site, { recursive: true, force: true });
  });

  it('writes front matter every file of which the schema accepts, with pubDate equal to date', async () => {
    const posts = await writtenPosts(path.join(site, 'src/content/blog'));
    expect(posts).toHaveLength(PAGES);
    for (const post of posts) {
      expect(post.format).toBe('yaml');
      const parsed = blog.safeParse(post.data);
      expect(parsed.error, post.file).toBeUndefined();
      expect(post.data['pubDate'], post.file).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(post.data['pubDate'], post.file).toBe(post.data['date']);
      expect(post.data['heroImage'], post.file).toBe(post.data['image']);
    }
    expect(posts.filter((p) => p.data['heroImage'] !== undefined)).toHaveLength(IMAGES);
  });
});

describe.skipIf(!astroFound)(`a real astro build of the synced sample feed, in ${TZ} (skipped when absent)`, () => {
  let site: string;
  let built: SpawnSyncReturns<string>;
  let pages: BuiltPage[];

  beforeAll(async () => {
    site = await tempDir('dms-astro-build-');
    await writeSite(site, {
      ...SITES.astro,
      'package.json': '{ "name": "my-links", "private": true, "type": "module" }\n',
      // The tests' sites share one node_modules (a symlink), where Astro keeps its content cache by default: two
      // builds at once would read each other's posts.
      'astro.config.mjs':
        "import { defineConfig } from 'astro/config';\n\n" +
        "export default defineConfig({ cacheDir: './.astro-cache' });\n",
    });
    await symlink(NODE_MODULES, path.join(site, 'node_modules'));
    const feedPath = serve('astro-build', 'Plain **text**.');
    await syncSite(site, feedPath, 'astro');
    built = BUILD('astro', site);
    pages = await builtPages(path.join(site, OUT.astro));
  }, 180_000);
  afterAll(async () => {
    if (site) await rm(site, { recursive: true, force: true });
  });

  it("builds a page per post, with its title, link, day (UTC) and image from the site's public folder", async () => {
    expect(built.status, built.stderr).toBe(0);
    const posts = await writtenPosts(path.join(site, 'src/content/blog'));
    const shown = (p: { title: string; link: string; date: string; images: string[] }) =>
      `${p.title} | ${p.link} | ${p.date} | ${p.images.join(', ')}`;
    const meant = posts.map((p) =>
      shown({
        title: String(p.data['title']),
        link: String(p.data['link']),
        date: shownDay(isoOf(p.data['pubDate'])),
        images: p.data['heroImage'] === undefined ? [] : [String(p.data['heroImage'])],
      }),
    );
    expect(pages.map(shown).sort()).toEqual(meant.sort());
    expect(pages.find((p) => p.title === TEMPLATE_TITLE)?.date).toBe('1 May 2019');
    const images = pages.flatMap((p) => p.images);
    expect(images).toHaveLength(IMAGES);
    for (const image of images) expect(existsSync(path.join(site, OUT.astro, image)), image).toBe(true);
  });
});

describe('docs/profiles.md', () => {
  it('shows each generator exactly the config and site files these tests build', async () => {
    const doc = await readFile(DOC, 'utf8');
    for (const profile of Object.keys(COLLECTION) as Profile[]) expect(doc).toContain(docConfig(profile));
    for (const files of Object.values(SITES)) {
      for (const [file, text] of Object.entries(files)) expect(doc, file).toContain(`\n${text}\`\`\`\n`);
    }
  });
});
