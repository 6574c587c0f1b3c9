import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { FakeCdn } from '../support/cdn.js';
import { runCli, tempDir } from '../support/cli.js';
import { PDF } from '../support/every-kind.js';
import { json, startServer } from '../support/feed-server.js';
import { sampleFeed } from '../support/fixtures.js';
import {
  build,
  buildAsync,
  type Built,
  type BuiltPage,
  builtPages,
  filesUnder,
  type Generator,
  INSTALLED,
  installModules,
  NODE_MODULES,
  OUT,
  localThumbnails,
  shownDay,
} from '../support/generator-sites.js';

/**
 * `init` on each generator's own fresh site, then a sync of the sample feed, then the real
 * generator's build in a time zone west of UTC: every post shows its title, day, link, tags
 * and image, and none of the tool's files is published. Nothing is edited by hand (the config
 * gets only what lets the tool reach the loopback servers).
 */

for (const [name, ok] of Object.entries(INSTALLED)) {
  if (!ok) console.warn(`test/e2e/init-generators.test.ts: ${name} not installed, its tests are skipped`);
}

const TZ = 'America/New_York';
/**
 * The sample feed's 41 items, one posted at 02:15:47 UTC (still 30 April in New York), and an
 * uploaded PDF (kind `other`, no thumbnail): 38 images and the PDF are downloaded.
 */
const PAGES = 43;
const IMAGES = 38;
const EARLY = { title: 'Posted early in the UTC day', date: '2019-05-01 02:15:47 UTC', day: '1 May 2019' };
const UPLOAD = { title: 'Annual report 2023', cdnPath: '/cdn/99000011/annual-report.pdf' };

let server: Awaited<ReturnType<typeof startServer>>;
let cdn: FakeCdn;
let endpoint: string;

/** Each item dated once (created = updated), so which of the two a profile writes does not matter here. */
function feed() {
  const sample = sampleFeed();
  const items: Record<string, unknown>[] = localThumbnails(sample.items, cdn).map((item) => ({
    ...item,
    created_at: item['updated_at'],
  }));
  const first = items[0] as Record<string, unknown>;
  items.push({
    ...first,
    id: 99000010,
    name: EARLY.title,
    link: 'https://www.example.com/early',
    thumbnail: null,
    thumbnails: null,
    tags: [{ name: 'early' }],
    created_at: EARLY.date,
    updated_at: EARLY.date,
    url: 'http://radhikan.dropmark.com/616548/99000010',
  });
  cdn.put(UPLOAD.cdnPath, PDF, 'application/pdf');
  items.push({
    ...first,
    id: 99000011,
    name: UPLOAD.title,
    type: 'other',
    mime: 'application/pdf',
    is_url: false,
    size: PDF.length,
    link: cdn.sign(UPLOAD.cdnPath),
    content: cdn.sign(UPLOAD.cdnPath),
    description: null,
    thumbnail: null,
    thumbnails: null,
    tags: [],
    url: 'http://radhikan.dropmark.com/616548/99000011',
  });
  return { ...sample, items };
}

beforeAll(async () => {
  server = await startServer();
  cdn = new FakeCdn(() => server.url);
  server.route('/cdn/', cdn.handler);
  server.route('/616548.json', json(feed()));
  endpoint = `${server.url}/616548.json`;
});
afterAll(async () => {
  await server?.close();
});

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}

const sh = (command: string, args: string[], cwd: string) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
};

/** A minimal Eleventy 3 or Astro 5 site: what their getting-started guides have one make. */
const packageJson = (dependency: string) =>
  `${JSON.stringify({ name: 'my-site', private: true, type: 'module', devDependencies: { [dependency]: '*' } })}\n`;

/** Each generator's own fresh site, made in `dir` (which does not exist yet). */
const FRESH: Record<Generator, (dir: string) => Promise<void>> = {
  hugo: async (dir) => sh('hugo', ['new', 'site', dir], path.dirname(dir)),
  jekyll: async (dir) => sh('jekyll', ['new', '--blank', dir], path.dirname(dir)),
  eleventy: async (dir) => {
    await writeFiles(dir, { 'package.json': packageJson('@11ty/eleventy'), 'index.md': '# My links\n' });
    await symlink(NODE_MODULES, path.join(dir, 'node_modules'));
  },
  astro: async (dir) => {
    await writeFiles(dir, {
      'package.json': packageJson('astro'),
      // The tests' sites share one node_modules (a symlink), where Astro keeps its content cache by default: two
      // builds at once would read each other's posts.
      'astro.config.mjs':
        "import { defineConfig } from 'astro/config';\n\n" +
        "export default defineConfig({ cacheDir: './.astro-cache' });\n",
      'src/pages/index.astro': '<h1>My links</h1>\n',
    });
    await symlink(NODE_MODULES, path.join(dir, 'node_modules'));
  },
};

/** init as a new user runs it; then only what lets the tool fetch from the loopback servers. */
async function initSite(site: string): Promise<string> {
  const init = await runCli(['init', '--endpoint', endpoint, '--yes'], { cwd: site });
  expect(init.code, init.stderr).toBe(0);
  const config = await readFile(path.join(site, 'dropmark-sync.yaml'), 'utf8');
  const loopback = '      allowedHosts: ["127.0.0.1"]\n      allowHttp: true\n';
  await writeFile(
    path.join(site, 'dropmark-sync.yaml'),
    `${config.replace(/( {6}svg: refuse[^\n]*\n)/, `$1${loopback}`)}http: { allowPrivateNetworks: true, retries: 0 }\n`,
  );
  return init.stdout;
}

async function sync(site: string): Promise<void> {
  const result = await runCli(['sync', '--json'], { cwd: site });
  expect(result.code, result.stderr).toBe(0);
  // imagesDownloaded counts the uploaded files too.
  expect(JSON.parse(result.stdout)).toMatchObject({ created: PAGES, failed: 0, imagesDownloaded: IMAGES + 1 });
}

/** A written post's front matter. */
async function posts(dir: string): Promise<Record<string, unknown>[]> {
  const files = await filesUnder(dir, '.md');
  return Promise.all(
    files.map(async (file) => parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(await readFile(file, 'utf8'))?.[1] ?? '')),
  );
}

const isoDate = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

/** What a page shows, and what its post says it should: title | link | day | tags. */
const shown = (p: BuiltPage) => `${p.title} | ${p.link} | ${p.date} | ${p.tags.join(', ')}`;
const meant = (post: Record<string, unknown>) =>
  `${String(post['title'])} | ${String(post['link'])} | ${shownDay(isoDate(post['date']))} | ` +
  `${((post['tags'] as string[] | undefined) ?? []).join(', ')}`;

/** Where each generator publishes the files folder init chose. */
const FILES = { hugo: '/files', jekyll: '/assets/files', eleventy: '/files', astro: '/files' } as const;

const CASES = [
  ['hugo', 'a Hugo site (config.toml)', 'content/post', 'layouts/post/single.html'],
  ['jekyll', 'a Jekyll site (_config.yml)', '_posts', '_layouts/post.html'],
  ['eleventy', 'an Eleventy site (package.json)', 'posts', '_includes/post.liquid'],
  ['astro', 'an Astro site (astro.config.mjs)', 'src/content/blog', 'src/pages/blog/[...slug].astro'],
] as const;

for (const [generator, detected, contentDir, layout] of CASES) {
  describe.skipIf(!INSTALLED[generator])(`init on a fresh ${generator} site, sync, build (TZ=${TZ})`, () => {
    let site: string;
    let initOutput: string;
    let built: ReturnType<typeof build>;
    let pages: BuiltPage[];
    let written: Record<string, unknown>[];
    const out = () => path.join(site, OUT[generator]);

    beforeAll(async () => {
      site = path.join(await tempDir(`dms-init-${generator}-`), 'site');
      await FRESH[generator](site);
      initOutput = await initSite(site);
      await sync(site);
      built = build(generator, site, TZ);
      pages = await builtPages(out());
      written = await posts(path.join(site, contentDir));
    }, 240_000);
    afterAll(async () => {
      if (site) await rm(path.dirname(site), { recursive: true, force: true });
    });

    it('says which generator it found, and names the layout it wrote', () => {
      expect(initOutput).toContain(`Detected: ${detected}.`);
      expect(initOutput).toContain(`wrote ${layout} (a minimal post layout`);
      expect(existsSync(path.join(site, layout))).toBe(true);
    });

    it('builds', () => {
      expect(built.status, `${built.stdout}\n${built.stderr}`).toBe(0);
      expect(built.stderr.split('\n').filter((line) => /error/i.test(line))).toEqual([]);
    });

    it('shows every post with its title, link, day (in UTC) and tags', () => {
      expect(written).toHaveLength(PAGES);
      expect(pages.map(shown).sort()).toEqual(written.map(meant).sort());
      const early = pages.find((p) => p.title === EARLY.title);
      expect(early?.date).toBe(EARLY.day);
      expect(early?.tags).toEqual(['early']);
      const titles = (sampleFeed().items as { name: string }[]).map((i) => i.name);
      expect(pages.map((p) => p.title).sort()).toEqual([...titles, EARLY.title, UPLOAD.title].sort());
    });

    it("links the uploaded PDF's post to a copy of it in the built site", async () => {
      const page = pages.find((p) => p.title === UPLOAD.title);
      expect(page?.link).toMatch(new RegExp(`^${FILES[generator]}/[^/]+\\.pdf$`));
      const copy = path.join(out(), page?.link ?? '');
      expect(existsSync(copy), page?.link).toBe(true);
      expect(await readFile(copy)).toEqual(PDF);
    });

    it('shows every image, from a file in the built site', () => {
      const images = pages.flatMap((p) => p.images);
      expect(images).toHaveLength(IMAGES);
      for (const image of images) expect(existsSync(path.join(out(), image)), image).toBe(true);
    });

    it("publishes none of the tool's files", async () => {
      expect(existsSync(path.join(site, 'data/dropmark-sync'))).toBe(true);
      const published = await filesUnder(out(), '');
      expect(published.filter((file) => file.includes('dropmark-sync'))).toEqual([]);
    });
  });
}

/** Astro 5's blog starter (examples/blog at astro@5.18.2): heroImage is read with image(). */
const STARTER_CONTENT_CONFIG = `import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';

const blog = defineCollection({
\t// Load Markdown and MDX files in the \`src/content/blog/\` directory.
\tloader: glob({ base: './src/content/blog', pattern: '**/*.{md,mdx}' }),
\t// Type-check frontmatter using a schema
\tschema: ({ image }) =>
\t\tz.object({
\t\t\ttitle: z.string(),
\t\t\tdescription: z.string(),
\t\t\t// Transform string to Date object
\t\t\tpubDate: z.coerce.date(),
\t\t\tupdatedDate: z.coerce.date().optional(),
\t\t\theroImage: image().optional(),
\t\t}),
});

export const collections = { blog };
`;

describe.skipIf(!INSTALLED.astro)("init on an Astro site with the blog starter's content config (image())", () => {
  let site: string;
  let built: ReturnType<typeof build>;
  let pages: BuiltPage[];

  beforeAll(async () => {
    site = path.join(await tempDir('dms-init-astro-starter-'), 'site');
    await FRESH.astro(site);
    await writeFiles(site, { 'src/content.config.ts': STARTER_CONTENT_CONFIG });
    await initSite(site);
    await sync(site);
    built = build('astro', site, TZ);
    pages = await builtPages(path.join(site, 'dist'));
  }, 240_000);
  afterAll(async () => {
    if (site) await rm(path.dirname(site), { recursive: true, force: true });
  });

  it('leaves the content config as it is, and mirrors the images where image() finds them', async () => {
    expect(await readFile(path.join(site, 'src/content.config.ts'), 'utf8')).toBe(STARTER_CONTENT_CONFIG);
    const heroes = (await posts(path.join(site, 'src/content/blog'))).map((p) => p['heroImage']).filter(Boolean);
    expect(heroes).toHaveLength(IMAGES);
    for (const hero of heroes) {
      expect(hero).toMatch(/^\.\.\/\.\.\/assets\/blog\/[^/]+$/);
      expect(existsSync(path.join(site, 'src/content/blog', hero as string)), String(hero)).toBe(true);
    }
  });

  it("builds, every post's page with its title and an image Astro optimized", () => {
    expect(built.status, `${built.stdout}\n${built.stderr}`).toBe(0);
    const titles = (sampleFeed().items as { name: string }[]).map((i) => i.name);
    expect(pages.map((p) => p.title).sort()).toEqual([...titles, EARLY.title, UPLOAD.title].sort());
    const images = pages.flatMap((p) => p.images);
    expect(images).toHaveLength(IMAGES);
    for (const image of images) {
      expect(image).toMatch(/^\/_astro\/[^/]+\.webp$/);
      expect(existsSync(path.join(site, 'dist', image)), image).toBe(true);
    }
  });
});

/** A theme's own single layout, marked so a page shows which layout made it; it shows the post's link. */
const THEME_SINGLE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main data-layout="theme plain"><h2>{{ .Title }}</h2><a href="{{ .Params.link }}">link</a>
{{ .Content }}</main></body>
</html>
`;

describe.skipIf(!INSTALLED.hugo)('init on a Hugo site whose config names a theme with a single layout', () => {
  let site: string;
  let initOutput: string;
  let built: ReturnType<typeof build>;

  beforeAll(async () => {
    site = path.join(await tempDir('dms-init-hugo-theme-'), 'site');
    await FRESH.hugo(site);
    const config = await readFile(path.join(site, 'config.toml'), 'utf8');
    await writeFiles(site, {
      'config.toml': `${config}theme = "plain"\n`,
      'themes/plain/layouts/_default/single.html': THEME_SINGLE,
    });
    initOutput = await initSite(site);
    await sync(site);
    built = build('hugo', site, TZ);
  }, 240_000);
  afterAll(async () => {
    if (site) await rm(path.dirname(site), { recursive: true, force: true });
  });

  it("writes no section layout, and says the theme's shows the posts, with the link in .Params.link", () => {
    expect(existsSync(path.join(site, 'layouts/post/single.html'))).toBe(false);
    expect(initOutput).not.toContain('wrote layouts/');
    expect(initOutput).toContain(
      'kept themes/plain/layouts/_default/single.html, which shows the posts (no layouts/post/single.html written); ' +
        "a post's link is in .Params.link, for it to show (see docs/profiles.md)",
    );
  });

  it("builds every post's page with the theme's layout", async () => {
    expect(built.status, `${built.stdout}\n${built.stderr}`).toBe(0);
    const pages = await filesUnder(path.join(site, 'public/post'), 'index.html');
    const posts = pages.filter((file) => path.dirname(file) !== path.join(site, 'public/post'));
    expect(posts).toHaveLength(PAGES);
    const early = await readFile(posts.find((f) => f.includes('posted-early')) ?? '', 'utf8');
    expect(early).toContain('<main data-layout="theme plain"><h2>Posted early in the UTC day</h2>');
    expect(early).toContain('<a href="https://www.example.com/early">link</a>');
    for (const file of posts) expect(await readFile(file, 'utf8'), file).toContain('data-layout="theme plain"');
  });
});

describe('init never overwrites a file of the site', () => {
  it('keeps a post layout that is there, and says so; adds to a commented _config.yml, keeping it', async () => {
    const site = await tempDir('dms-init-keep-');
    try {
      const config = '# My site\ntitle: "Links"  # shown in the header\nexclude:\n  - Gemfile  # mine\n';
      const layout = '<p>{{ content }}</p>\n';
      await writeFiles(site, { '_config.yml': config, '_layouts/post.html': layout });
      const output = await initSite(site);
      expect(await readFile(path.join(site, '_layouts/post.html'), 'utf8')).toBe(layout);
      expect(output).toContain("kept _layouts/post.html (yours; it does not show a post's link, see docs/profiles.md)");
      expect(output).toContain('edited _config.yml (exclude: dropmark-sync.yaml, data/dropmark-sync');
      expect(await readFile(path.join(site, '_config.yml'), 'utf8')).toBe(
        '# My site\ntitle: "Links" # shown in the header\nexclude:\n  - Gemfile # mine\n' +
          '  - dropmark-sync.yaml\n  - data/dropmark-sync\ntimezone: UTC\n',
      );
    } finally {
      await rm(site, { recursive: true, force: true });
    }
  });

  it('leaves a _config.yml it cannot read as it is, and says what to add by hand', async () => {
    const site = await tempDir('dms-init-bad-');
    try {
      const config = 'title: [unclosed\n';
      await writeFiles(site, { '_config.yml': config });
      const output = await initSite(site);
      expect(await readFile(path.join(site, '_config.yml'), 'utf8')).toBe(config);
      expect(output).toMatch(
        /By hand:\n {2}_config\.yml is left as it is: it is not valid YAML \(.+\); add dropmark-sync\.yaml and /,
      );
    } finally {
      await rm(site, { recursive: true, force: true });
    }
  });
});

/**
 * `init --mode loader` on a fresh Astro or Eleventy site with the package installed, then the real
 * build: the loader reads the feed. The loader's options get only what lets it reach the loopback
 * servers.
 */
const LOADER_CASES = [
  {
    generator: 'astro',
    config: 'src/content.config.ts',
    page: 'src/pages/links/[slug].astro',
    images: '/img/dropmark',
    files: '/files/dropmark',
    downloads: ['public/img/dropmark', 'public/files/dropmark'],
  },
  {
    generator: 'eleventy',
    config: 'eleventy.config.mjs',
    page: 'links.liquid',
    images: '/assets/img/dropmark',
    files: '/assets/files/dropmark',
    downloads: ['assets/img/dropmark', 'assets/files/dropmark', '.cache/dropmark-sync'],
  },
] as const;

/** Each generator's fresh site as its guide has one make it, with dropmark-sync installed as npm would. */
const FRESH_FOR_LOADER = {
  astro: {
    'package.json': packageJson('astro'),
    // Its own content cache: Astro's default place is in node_modules, whose packages the tests' sites share.
    'astro.config.mjs':
      "import { defineConfig } from 'astro/config';\n\nexport default defineConfig({ cacheDir: './.astro-cache' });\n",
    'src/pages/index.astro': '<h1>My links</h1>\n',
  },
  eleventy: { 'package.json': packageJson('@11ty/eleventy'), 'index.md': '# My links\n' },
} as const;

const LOOPBACK_OPTIONS =
  "images: { allowHttp: true, allowedHosts: ['127.0.0.1'] },\n    http: { allowPrivateNetworks: true, retries: 0 },";

for (const { generator, config, page, images, files, downloads } of LOADER_CASES) {
  describe.skipIf(!INSTALLED[generator])(`init --mode loader on a fresh ${generator} site, build (TZ=${TZ})`, () => {
    let site: string;
    let initOutput: string;
    let built: Built;
    let pages: BuiltPage[];
    const out = () => path.join(site, OUT[generator]);

    beforeAll(async () => {
      site = path.join(await tempDir(`dms-init-${generator}-loader-`), 'site');
      await writeFiles(site, FRESH_FOR_LOADER[generator]);
      await installModules(site);
      const init = await runCli(['init', '--mode', 'loader', '--endpoint', endpoint, '--yes'], { cwd: site });
      expect(init.code, init.stderr).toBe(0);
      initOutput = init.stdout;
      const file = path.join(site, config);
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.replace(/(endpoint: '[^']+',)/, `$1\n    ${LOOPBACK_OPTIONS}`));
      built = await buildAsync(generator, site, TZ);
      pages = await builtPages(out());
    }, 240_000);
    afterAll(async () => {
      if (site) await rm(path.dirname(site), { recursive: true, force: true });
    });

    it('names the loader files it wrote, and wrote no dropmark-sync.yaml', () => {
      expect(initOutput).toContain(`\nwrote ${config} (`);
      expect(initOutput).toContain(`\nwrote ${page} (a page per item`);
      expect(existsSync(path.join(site, 'dropmark-sync.yaml'))).toBe(false);
    });

    it("builds, every item's page with its title, link and day (in UTC)", () => {
      expect(built.status, `${built.stdout}\n${built.stderr}`).toBe(0);
      const items = feed().items as { name: string; created_at: string }[];
      expect(pages.map((p) => `${p.title} | ${p.date}`).sort()).toEqual(
        items.map((i) => `${i.name} | ${shownDay(i.created_at.replace(' UTC', 'Z'))}`).sort(),
      );
      expect(pages.find((p) => p.title === EARLY.title)?.date).toBe(EARLY.day);
      expect(pages.find((p) => p.title === EARLY.title)?.link).toBe('https://www.example.com/early');
    });

    it('shows every image and links the uploaded PDF, from files in the built site', async () => {
      const shown = pages.flatMap((p) => p.images);
      expect(shown).toHaveLength(IMAGES);
      for (const image of shown) expect(image.startsWith(`${images}/`), image).toBe(true);
      for (const image of shown) expect(existsSync(path.join(out(), image)), image).toBe(true);
      const pdf = pages.find((p) => p.title === UPLOAD.title)?.link ?? '';
      expect(pdf).toMatch(new RegExp(`^${files}/[^/]+\\.pdf$`));
      expect(await readFile(path.join(out(), pdf))).toEqual(PDF);
    });

    it('keeps what the build downloaded out of git, by the .gitignore lines init wrote', () => {
      for (const dir of downloads) expect(existsSync(path.join(site, dir)), dir).toBe(true);
      sh('git', ['init', '--quiet'], site);
      const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], {
        cwd: site,
        encoding: 'utf8',
      });
      const untracked = status.stdout.split('\n').map((line) => line.slice(3));
      expect(untracked).toContain(page);
      expect(untracked.filter((file) => downloads.some((dir) => file.startsWith(`${dir}/`)))).toEqual([]);
      expect(untracked.filter((file) => file.startsWith('node_modules/'))).toEqual([]);
    });
  });
}
