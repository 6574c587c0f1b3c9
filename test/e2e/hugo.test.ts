import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedItem } from '../../src/feed/parse.js';
import { mapItem, type MapContext } from '../../src/map/item.js';
import { escapeShortcodes } from '../../src/map/shortcodes.js';
import { renderPost } from '../../src/render/post.js';
import { runCli, tempDir } from '../support/cli.js';
import { json, startServer } from '../support/feed-server.js';
import { FOOTNOTE_HOSTILE, HOSTILE, hostileText, KRAMDOWN_HOSTILE, liveMarkup } from '../support/hostile-html.js';

const SKIPPED = 'skipped: hugo not installed';
const hugoFound = spawnSync('hugo', ['version'], { encoding: 'utf8' }).status === 0;
if (!hugoFound) console.warn(`test/e2e/hugo.test.ts ${SKIPPED}`);

/** Printed by the site's own shortcode: seen anywhere in the output, feed text ran as a shortcode. */
const RAN = 'BOOM-SHORTCODE-RAN';

const SITE: Record<string, string> = {
  'hugo.toml': [
    'baseURL = "https://example.org/"',
    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]',
    '',
  ].join('\n'),
  'layouts/_default/single.html': '{{ .Title }}\n{{ .Content }}',
  'layouts/_default/list.html': 'list',
  // Feed text written as an .html page is not Markdown: the page shows exactly what Hugo's
  // shortcode stage handed on.
  'layouts/raw/single.html': '{{ .Content }}',
  'layouts/shortcodes/boom.html': RAN,
};

const context: MapContext = { feedUrl: 'https://shah.dropmark.com/616548.json', imageMode: 'none', now: new Date(0) };

function item(id: string, name: string, content: string | null, description: string | null = null): FeedItem {
  return {
    id,
    name,
    description,
    content,
    link: `https://www.example.com/${id}`,
    thumbnail: null,
    tags: [],
    createdAt: '2019-02-23 06:47:13 UTC',
    updatedAt: null,
    url: null,
    kind: 'link',
    mime: null,
    size: null,
    parentId: null,
  };
}

/** slug -> [feed item, the page's HTML after the title line, as hugo v0.111.3 writes it]. */
const posts: Record<string, [FeedItem, string]> = {
  issue: [
    item('1', 'Issue', 'Shortcodes: {{< nonexistent-shortcode >}} and {{% gist someone 123 %}} end.'),
    '<p>Shortcodes: {{&lt; nonexistent-shortcode &gt;}} and {{% gist someone 123 %}} end.</p>\n',
  ],
  'code-span': [
    item('2', 'Code span', 'Inline `{{< boom >}}` and `{{% boom %}}` code.'),
    '<p>Inline <code>{{&lt; boom &gt;}}</code> and <code>{{% boom %}}</code> code.</p>\n',
  ],
  fenced: [
    item('3', 'Fenced', '```\n{{< boom >}}\n{{% boom %}}\n{{< boom\n```\n'),
    '<pre tabindex="0"><code>{{&lt; boom &gt;}}\n{{% boom %}}\n{&amp;#123;&lt; boom\n</code></pre>',
  ],
  forms: [
    item(
      '9',
      'Forms',
      'Closing {{< /boom >}}, self-closing {{< boom />}}, tight {{<boom>}} {{%boom%}}, ' +
        'two lines {{< boom\n  a="1" >}}.',
    ),
    // `{{<boom>}}` holds the HTML tag `<boom>` for Markdown, as it would without Hugo: not in the allow-list, dropped.
    '<p>Closing {{&lt; /boom &gt;}}, self-closing {{&lt; boom /&gt;}}, tight {{}} ' +
      '{{%boom%}}, two lines {{&lt; boom\na=&ldquo;1&rdquo; &gt;}}.</p>\n',
  ],
  unbalanced: [
    item('4', 'Unbalanced', 'Open {{< boom and {{% boom, never closed; a stray >}} too.'),
    '<p>Open {{&lt; boom and {{% boom, never closed; a stray &gt;}} too.</p>\n',
  ],
  escaped: [
    item('5', 'Escaped', 'Shown as {{</* boom */>}} and {{%/* boom */%}} already.'),
    '<p>Shown as {{&lt; boom &gt;}} and {{% boom %}} already.</p>\n',
  ],
  'built-in': [
    item('6', 'Built-in', 'Title: {{< param title >}}, ref: {{< ref "x" >}}, quoted: {{< boom "a >}} b" >}}.'),
    '<p>Title: {{&lt; param title &gt;}}, ref: {{&lt; ref &ldquo;x&rdquo; &gt;}}, ' +
      'quoted: {{&lt; boom &ldquo;a &gt;}} b&rdquo; &gt;}}.</p>\n',
  ],
  'description-body': [
    item('7', 'Description body', null, 'From the description: {{% boom %}}'),
    '<p>From the description: {{% boom %}}</p>\n',
  ],
  benign: [item('8', 'Benign', 'Just **text**.'), '<p>Just <strong>text</strong>.</p>\n'],
};

/** Random feed text from delimiter fragments (fixed seed), as raw .html pages: [text, its escape]. */
const randomTexts = fc
  .sample(
    fc
      .array(
        fc.constantFrom('{{<', '>}}', '{{%', '%}}', '{{', '}}', '*', '/', '<', '>', '%', '`', '"', ' boom ', 'x', '\n'),
        {
          maxLength: 20,
        },
      )
      .map((parts) => parts.join('')),
    { seed: 42, numRuns: 150 },
  )
  .map((text) => [text, escapeShortcodes(text)] as const);

let site: string;
let out: string;
let build: ReturnType<typeof spawnSync>;
const page = (section: string, slug: string) => readFile(path.join(out, section, slug, 'index.html'), 'utf8');

describe.skipIf(!hugoFound)(`a real Hugo build of hostile feed text (${SKIPPED} when absent)`, () => {
  beforeAll(async () => {
    site = await tempDir('dms-hugo-');
    out = path.join(site, 'public');
    for (const [file, text] of Object.entries(SITE)) await put(path.join(site, file), text);
    for (const [slug, [feedItem]] of Object.entries(posts)) {
      await put(path.join(site, 'content/post', `${slug}.md`), renderPost(mapItem(feedItem, slug, context)));
    }
    for (const [i, [, escaped]] of randomTexts.entries()) {
      // Framed: Hugo skips an .html page with an empty body, and `|` cannot form a delimiter.
      await put(path.join(site, 'content/raw', `r${i}.html`), `---\ntitle: r${i}\n---\n|${escaped}|`);
    }
    build = spawnSync('hugo', ['--quiet', '--source', site, '--destination', out], {
      encoding: 'utf8',
      timeout: 60_000,
    });
  });
  afterAll(async () => {
    if (site) await rm(site, { recursive: true, force: true });
  });

  it('builds the site', () => {
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
  });

  it.each(Object.keys(posts))('shows the feed text of %s literally, running nothing', async (slug) => {
    const [feedItem, html] = posts[slug] as [FeedItem, string];
    expect(await page('post', slug)).toBe(`${feedItem.name}\n${html}`);
  });

  it('shows random delimiter soup exactly as the feed wrote it', async () => {
    for (const [i, [text]] of randomTexts.entries()) {
      // Text with its own `/*` may hold Hugo's literal form, whose markers Hugo drops.
      if (text.includes('/*')) continue;
      // The one entity the escape adds is for the browser to decode.
      expect((await page('raw', `r${i}`)).replaceAll('{&#123;', '{{'), JSON.stringify(text)).toBe(`|${text}|`);
    }
  });

  it('ran no shortcode on any page', async () => {
    const pages = [
      ...Object.keys(posts).map((slug) => page('post', slug)),
      ...randomTexts.map((_, i) => page('raw', `r${i}`)),
    ];
    for (const html of await Promise.all(pages)) expect(html).not.toContain(RAN);
  });
});

// ---------------------------------------------------------------------------------------------
// Names and tags from the feed: synced by the built CLI (profile hugo), then built by Hugo with its
// taxonomies on (a page per tag).

const SYNCED_SITE: Record<string, string> = {
  'hugo.toml': ['baseURL = "https://example.org/"', 'disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]', ''].join(
    '\n',
  ),
  'layouts/_default/single.html': 'single|{{ .Title }}',
  'layouts/_default/list.html': 'list|{{ .Kind }}|{{ .Title }}',
};

/** A feed item as Dropmark serves it; without a link, so its slug is its title's alone. */
const rawItem = (id: number, name: string, tags: string[] = []) => ({
  id,
  name,
  content: `Body of ${name}.`,
  url: `https://me.dropmark.com/616548/${id}`,
  updated_at: '2024-03-07 22:29:46 UTC',
  tags: tags.map((tag) => ({ name: tag })),
});

async function syncAndBuild(
  items: ReturnType<typeof rawItem>[],
): Promise<{ site: string; build: SpawnSyncReturns<string> }> {
  const server = await startServer(json({ items }));
  try {
    const site = await tempDir('dms-hugo-synced-');
    for (const [file, text] of Object.entries(SYNCED_SITE)) await put(path.join(site, file), text);
    const config = [
      'siteDir: .',
      'collections:',
      `  - endpoint: ${server.url}/616548.json`,
      '    profile: hugo',
      '    images: { mode: none }',
      'http: { retries: 1, retryDelayMs: 5, allowPrivateNetworks: true }',
      '',
    ];
    await writeFile(path.join(site, 'dropmark-sync.yaml'), config.join('\n'));
    const synced = await runCli(['sync', '--config', 'dropmark-sync.yaml'], { cwd: site });
    expect(synced.code, synced.stderr).toBe(0);
    const build = spawnSync('hugo', ['--quiet', '--source', site, '--destination', path.join(site, 'public')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { site, build };
  } finally {
    await server.close();
  }
}

describe.skipIf(!hugoFound)(`a real Hugo build of items named like Hugo's own files (${SKIPPED} when absent)`, () => {
  let site: string;
  let build: SpawnSyncReturns<string>;
  beforeAll(async () => {
    ({ site, build } = await syncAndBuild([
      rawItem(1, 'First post'),
      rawItem(2, 'Index'),
      rawItem(3, '_index'),
      rawItem(4, 'Last post'),
    ]));
  });
  afterAll(async () => {
    if (site) await rm(site, { recursive: true, force: true });
  });

  it('names them <slug>-<id>: no index.md makes the folder a leaf bundle', async () => {
    expect((await readdir(path.join(site, 'content/post'))).sort()).toEqual([
      'first-post.md',
      'index-2.md',
      'index-3.md',
      'last-post.md',
    ]);
  });

  it('builds every post as a page of its own, and the section list', async () => {
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    const built = (name: string) => readFile(path.join(site, 'public/post', name, 'index.html'), 'utf8');
    expect(await built('first-post')).toBe('single|First post');
    expect(await built('index-2')).toBe('single|Index');
    expect(await built('index-3')).toBe('single|_index');
    expect(await built('last-post')).toBe('single|Last post');
    expect(await readFile(path.join(site, 'public/post/index.html'), 'utf8')).toBe('list|section|Posts');
  });
});

describe.skipIf(!hugoFound)(`a real Hugo build of tags that are paths (${SKIPPED} when absent)`, () => {
  let site: string;
  let build: SpawnSyncReturns<string>;
  beforeAll(async () => {
    ({ site, build } = await syncAndBuild([
      rawItem(1, 'Some post', ['Health']),
      rawItem(2, 'Hostile tags', ['..', '../../post/some-post', '__proto__', '.', 'health']),
    ]));
  });
  afterAll(async () => {
    if (site) await rm(site, { recursive: true, force: true });
  });

  it('builds the site', () => {
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
  });

  it('keeps every post page a post page, and makes one page per tag, none outside /tags/', async () => {
    const built = (...parts: string[]) => readFile(path.join(site, 'public', ...parts, 'index.html'), 'utf8');
    expect(await built('post', 'some-post')).toBe('single|Some post');
    expect(await built('post', 'hostile-tags')).toBe('single|Hostile tags');
    expect((await readdir(path.join(site, 'public/tags'))).sort()).toEqual(['health', 'index.html', 'post-some-post']);
    expect(await built('tags', 'post-some-post')).toBe('list|term|post-some-post');
  });
});

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

/** Hugo with raw HTML on, as a site that embeds videos or tweets would have it. */
const UNSAFE_SITE: Record<string, string> = {
  'hugo.toml': [
    'baseURL = "https://example.org/"',
    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]',
    '[markup.goldmark.renderer]',
    'unsafe = true',
    '',
  ].join('\n'),
  'layouts/_default/single.html': '{{ .Title }}\n{{ .Content }}',
  'layouts/_default/list.html': 'list',
};

/** The hostile bodies, random ones (fixed seed), and harmless formatting first. */
const unsafeBodies = [
  'Kept: a <b>bold</b> word and a line<br>break.',
  ...[...HOSTILE, ...KRAMDOWN_HOSTILE].map(([, body]) => body),
  ...FOOTNOTE_HOSTILE.map(([, body]) => body),
  ...fc.sample(hostileText, { seed: 21, numRuns: 60 }),
];

describe.skipIf(!hugoFound)(
  `a real Hugo build with raw HTML on, of hostile HTML in item texts (${SKIPPED} when absent)`,
  () => {
    let unsafeSite: string;
    let unsafeOut: string;
    let unsafeBuild: ReturnType<typeof spawnSync>;

    beforeAll(async () => {
      unsafeSite = await tempDir('dms-hugo-unsafe-');
      unsafeOut = path.join(unsafeSite, 'public');
      for (const [file, text] of Object.entries(UNSAFE_SITE)) await put(path.join(unsafeSite, file), text);
      for (const [i, body] of unsafeBodies.entries()) {
        const post = mapItem(item(String(100 + i), `Hostile ${i}`, body), `h${i}`, context);
        await put(path.join(unsafeSite, 'content/post', `h${i}.md`), renderPost(post));
      }
      unsafeBuild = spawnSync('hugo', ['--quiet', '--source', unsafeSite, '--destination', unsafeOut], {
        encoding: 'utf8',
        timeout: 60_000,
      });
    });
    afterAll(async () => {
      if (unsafeSite) await rm(unsafeSite, { recursive: true, force: true });
    });

    it('builds the site', () => {
      expect(unsafeBuild.stderr).toBe('');
      expect(unsafeBuild.status).toBe(0);
    });

    it('has no script, event handler or script URL on any page', async () => {
      const pages = await Promise.all(
        unsafeBodies.map((_, i) => readFile(path.join(unsafeOut, 'post', `h${i}`, 'index.html'), 'utf8')),
      );
      expect(pages.flatMap((html, i) => liveMarkup(html).map((found) => `h${i}: ${found}`))).toEqual([]);
    });

    it('keeps harmless formatting', async () => {
      expect(await readFile(path.join(unsafeOut, 'post', 'h0', 'index.html'), 'utf8')).toBe(
        'Hostile 0\n<p>Kept: a <b>bold</b> word and a line<br>break.</p>\n',
      );
    });
  },
);
