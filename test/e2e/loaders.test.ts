import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCdn } from '../support/cdn.js';
import { tempDir } from '../support/cli.js';
import { docExample } from '../support/doc-examples.js';
import { type Handler, startServer } from '../support/feed-server.js';
import { sampleFeed } from '../support/fixtures.js';
import {
  type Built,
  type BuiltPage,
  buildAsync,
  builtPages,
  decode,
  INSTALLED,
  installModules,
  localThumbnails,
  OUT,
  shownDay,
} from '../support/generator-sites.js';
import { liveMarkup } from '../support/hostile-html.js';
import { contents, snapshotTree } from '../support/tree.js';

/**
 * The loaders against the real generators (issue 27): an Astro 5 site whose collection is
 * dropmarkLoader's, and an Eleventy 3 site with the dropmark plugin, each built by the generator
 * against the loopback Dropmark stand-in (an ETag-aware feed and a signing CDN). Slow: the builds
 * belong to the slow project. Run `npm run build` first (the sites import the built package).
 */

for (const [name, ok] of Object.entries({ astro: INSTALLED.astro, eleventy: INSTALLED.eleventy })) {
  if (!ok) console.warn(`test/e2e/loaders.test.ts: the ${name} builds are skipped: ${name} is not installed`);
}

// ---------------------------------------------------------------------------------------------
// The feed: the sample feed, its thumbnails on the loopback CDN, and three items whose text is hostile.

type Item = Record<string, unknown> & { id: number; name: string; link: string; thumbnail: string | null };

const HTML_TITLE = 'HTML <script>alert(1)</script> in the title';
const HTML_TEXT = 'Kept: a <b>bold</b> word.\n\n<script>alert(1)</script>\n\nx <img src=x onerror=alert(1)> y';
const TEMPLATE_TEXT = 'Templates {{ 7*7 }}, {% set x = 1 %}, {% include x.html %} and {title} stay text.';
const MDX_TEXT = "import Evil from './evil.astro'\n\nexport const boom = 1\n\nMDX-like <Evil /> and {1 + 1} stay text.";

function hostileItem(id: number, name: string, content: string): Item {
  return {
    id,
    name,
    description: 'A hostile item.',
    content,
    link: `https://www.example.com/hostile-${id}`,
    thumbnail: null,
    tags: [],
    created_at: '2019-05-01 10:00:00 UTC',
    updated_at: '2019-05-01 10:00:00 UTC',
    url: `http://radhikan.dropmark.com/616548/${id}`,
  };
}

/** The items a feed path serves now: tests take one away. */
const served = new Map<string, Item[]>();

let server: Awaited<ReturnType<typeof startServer>>;
let cdn: FakeCdn;

/** A feed that answers If-None-Match with 304, as Dropmark's does. */
function etagged(): Handler {
  return (req, res) => {
    const items = served.get(new URL(req.url ?? '/', 'http://x').pathname) ?? [];
    const body = JSON.stringify({ ...sampleFeed(), items, items_total_count: items.length });
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', etag }).end(body);
  };
}

function serve(name: string): string {
  const feedPath = `/${name}/616548.json`;
  const items = localThumbnails(sampleFeed().items as Item[], cdn);
  items.push(
    hostileItem(99300001, HTML_TITLE, HTML_TEXT),
    hostileItem(99300002, 'Template syntax', TEMPLATE_TEXT),
    hostileItem(99300003, 'MDX-like text', MDX_TEXT),
  );
  served.set(feedPath, items);
  return feedPath;
}

/** The feed requests a site made (the CDN's are routed apart and not counted). */
const feedRequests = (feedPath: string) => server.requests.filter((r) => r.url.startsWith(feedPath));

beforeAll(async () => {
  server = await startServer();
  cdn = new FakeCdn(() => server.url);
  server.route('/cdn/', cdn.handler);
  server.answer(etagged());
});
afterAll(async () => {
  await server?.close();
});

// ---------------------------------------------------------------------------------------------
// The sites.

/** A build by the real generator, in the time zone west of UTC (a post's day must not move). */
const buildSite = (generator: 'astro' | 'eleventy', site: string) => buildAsync(generator, site, 'America/New_York');

async function writeSite(dir: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}

/**
 * The options both sites give, in place of the docs' endpoint: the loopback feed and CDN are private addresses,
 * allowed here only.
 */
const loopbackOptions = (feedPath: string) =>
  [
    `endpoint: '${server.url}${feedPath}'`,
    "images: { allowHttp: true, allowedHosts: ['127.0.0.1'] }",
    'http: { allowPrivateNetworks: true, retries: 1, retryDelayMs: 5 }',
  ].join(',\n    ');

const fromDocs = (file: string, feedPath: string) =>
  docExample('loaders.md', file).replace("endpoint: 'https://USER.dropmark.com/ID.json'", loopbackOptions(feedPath));

function astroSite(feedPath: string): Record<string, string> {
  return {
    'package.json': '{ "name": "my-links", "private": true, "type": "module" }\n',
    // Each site keeps its own content cache: the tests' sites share one node_modules, Astro's default place.
    'astro.config.mjs':
      "import { defineConfig } from 'astro/config';\n\nexport default defineConfig({ cacheDir: './.astro-cache' });\n",
    'src/content.config.ts': fromDocs('src/content.config.ts', feedPath),
    'src/pages/links/[slug].astro': fromDocs('src/pages/links/[slug].astro', feedPath),
  };
}

function eleventySite(feedPath: string): Record<string, string> {
  return {
    'package.json': '{ "name": "my-links", "private": true, "type": "module" }\n',
    'eleventy.config.mjs': fromDocs('eleventy.config.mjs', feedPath),
    'links.liquid': fromDocs('links.liquid', feedPath),
    // Shown if the feed's {% include %} ran.
    '_includes/x.html': 'INCLUDE-RAN',
  };
}

// ---------------------------------------------------------------------------------------------
// What both sites must show.

const itemsOf = (feedPath: string) => served.get(feedPath) as Item[];

/** Each item's title, link and day as its page must show them. */
const meant = (items: Item[]) =>
  items.map((i) => `${i.name} | ${i.link} | ${shownDay(String(i['created_at']).replace(' UTC', 'Z'))}`).sort();

const shown = (pages: BuiltPage[]) => pages.map((p) => `${p.title} | ${p.link} | ${p.date}`).sort();

const article = (page: BuiltPage) => /<article>([\s\S]*)<\/article>/.exec(page.html)?.[1] ?? '';

function expectHostileInert(pages: BuiltPage[]): void {
  const found = pages.flatMap((page) => liveMarkup(article(page)).map((f) => `${page.title}: ${f}`));
  expect(found).toEqual([]);
  const text = (title: string) => decode(article(pages.find((p) => p.title === title) as BuiltPage));
  expect(text(HTML_TITLE)).toContain('Kept: a <b>bold</b> word.');
  // The title is text (escaped); the body keeps its harmless formatting and loses the script.
  expect(text(HTML_TITLE).replace(HTML_TITLE, '')).not.toContain('alert(1)');
  expect(text('Template syntax')).toContain(TEMPLATE_TEXT);
  expect(text('Template syntax')).not.toContain('INCLUDE-RAN');
  // Astro's smartypants curls the quotes: the words are what must be there, as text.
  expect(text('MDX-like text')).toMatch(/import Evil from .\.\/evil\.astro./);
  expect(text('MDX-like text')).toContain('export const boom = 1');
  expect(text('MDX-like text')).toContain('and {1 + 1} stay text.');
}

function expectBuilt(result: Built): void {
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
}

// ---------------------------------------------------------------------------------------------

describe.skipIf(!INSTALLED.astro)('an Astro 5 site whose collection is dropmarkLoader (skipped when absent)', () => {
  let site: string;
  let feedPath: string;
  let first: Built;
  let pages: BuiltPage[];

  beforeAll(async () => {
    site = await tempDir('dms-astro-loader-');
    feedPath = serve('astro');
    await writeSite(site, astroSite(feedPath));
    await installModules(site);
    first = await buildSite('astro', site);
    pages = await builtPages(path.join(site, OUT.astro));
  }, 180_000);
  afterAll(async () => {
    if (site) await rm(site, { recursive: true, force: true });
  });

  it('builds a page per item, with its title, link and day, from one request for the feed', () => {
    expectBuilt(first);
    expect(shown(pages)).toEqual(meant(itemsOf(feedPath)));
    expect(feedRequests(feedPath)).toHaveLength(1);
  });

  it("shows each item's image from the site's own folder, never a signed URL", () => {
    const images = pages.flatMap((p) => p.images);
    expect(images).toHaveLength(38);
    for (const image of images) {
      expect(image).toMatch(/^\/img\/dropmark\/[a-z0-9-]+\.(jpg|png)$/);
      expect(existsSync(path.join(site, OUT.astro, image)), image).toBe(true);
    }
    const html = pages.map((p) => p.html).join('\n');
    expect(html).not.toContain('Signature=');
  });

  it('shows HTML, template syntax and MDX-like text inert', () => {
    expectHostileInert(pages);
  });

  it('builds again with nothing changed from one conditional request, and changes no file', async () => {
    const before = contents(await snapshotTree(path.join(site, OUT.astro)));
    const images = await snapshotTree(path.join(site, 'public'));
    const requests = feedRequests(feedPath).length;
    expectBuilt(await buildSite('astro', site));
    const again = feedRequests(feedPath).slice(requests);
    expect(again).toHaveLength(1);
    expect(again[0]?.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    expect(contents(await snapshotTree(path.join(site, OUT.astro)))).toEqual(before);
    expect(await snapshotTree(path.join(site, 'public'))).toEqual(images);
  }, 120_000);

  it("drops an item gone from the feed: its page and its image go, the others' pages stay", async () => {
    const items = itemsOf(feedPath);
    const gone = items.findIndex((i) => i.name.startsWith('Early experiences with patient generated health data'));
    const [removed] = items.splice(gone, 1) as [Item];
    expectBuilt(await buildSite('astro', site));
    const after = await builtPages(path.join(site, OUT.astro));
    expect(shown(after)).toEqual(meant(items));
    expect(after.map((p) => p.title)).not.toContain(removed.name);
    const left = await readdir(path.join(site, 'public/img/dropmark'));
    expect(left).toHaveLength(37);
    expect(left.filter((name) => name.startsWith('academic-oup-early-experiences'))).toEqual([]);
  }, 120_000);
});

describe.skipIf(!INSTALLED.eleventy)('an Eleventy 3 site with the dropmark plugin (skipped when absent)', () => {
  let site: string;
  let feedPath: string;
  let first: Built;
  let pages: BuiltPage[];

  beforeAll(async () => {
    site = await tempDir('dms-eleventy-loader-');
    feedPath = serve('eleventy');
    await writeSite(site, eleventySite(feedPath));
    await installModules(site);
    first = await buildSite('eleventy', site);
    pages = await builtPages(path.join(site, OUT.eleventy));
  }, 180_000);
  afterAll(async () => {
    if (site) await rm(site, { recursive: true, force: true });
  });

  it('builds a page per item, with its title, link and day, from one request for the feed', () => {
    expectBuilt(first);
    expect(first.stderr).toBe('');
    expect(shown(pages)).toEqual(meant(itemsOf(feedPath)));
    expect(feedRequests(feedPath)).toHaveLength(1);
  });

  it("shows each item's image from the site's own folder, copied into the build", () => {
    const images = pages.flatMap((p) => p.images);
    expect(images).toHaveLength(38);
    for (const image of images) {
      expect(image).toMatch(/^\/assets\/img\/dropmark\/[a-z0-9-]+\.(jpg|png)$/);
      expect(existsSync(path.join(site, OUT.eleventy, image)), image).toBe(true);
    }
    expect(pages.map((p) => p.html).join('\n')).not.toContain('Signature=');
  });

  it('shows HTML and template syntax inert', () => {
    expectHostileInert(pages);
  });

  it('builds again with nothing changed from one conditional request, and changes no page', async () => {
    const before = contents(await snapshotTree(path.join(site, OUT.eleventy)));
    const images = await snapshotTree(path.join(site, 'assets'));
    const requests = feedRequests(feedPath).length;
    expectBuilt(await buildSite('eleventy', site));
    const again = feedRequests(feedPath).slice(requests);
    expect(again).toHaveLength(1);
    expect(again[0]?.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    expect(contents(await snapshotTree(path.join(site, OUT.eleventy)))).toEqual(before);
    expect(await snapshotTree(path.join(site, 'assets'))).toEqual(images);
  }, 120_000);

  it("drops an item gone from the feed: its page and its image go, the others' pages stay", async () => {
    const items = itemsOf(feedPath);
    const gone = items.findIndex((i) => i.name.startsWith('Early experiences with patient generated health data'));
    const [removed] = items.splice(gone, 1) as [Item];
    await rm(path.join(site, OUT.eleventy), { recursive: true });
    expectBuilt(await buildSite('eleventy', site));
    const after = await builtPages(path.join(site, OUT.eleventy));
    expect(shown(after)).toEqual(meant(items));
    expect(after.map((p) => p.title)).not.toContain(removed.name);
    const left = await readdir(path.join(site, 'assets/img/dropmark'));
    expect(left).toHaveLength(37);
    expect(left.filter((name) => name.startsWith('academic-oup-early-experiences'))).toEqual([]);
  }, 120_000);
});
