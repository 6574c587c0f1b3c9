import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { detectSite } from '../../../src/commands/init-site.js';
import { configText } from '../../../src/commands/init-templates.js';
import { readSitePackage } from '../../../src/commands/site-package.js';

/** What init does: the site's package.json read once, then the site detected. */
const detect = async (root: string) => detectSite(root, await readSitePackage(root));

const DEPS: Record<string, string> = { eleventy: '@11ty/eleventy', astro: 'astro' };

async function site(files: string[]): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'dms-init-site-'));
  for (const f of files) {
    // "package.json:<dependency>": a package.json that depends on it.
    const [file, dependency] = f.split(':') as [string, string | undefined];
    const text = dependency === undefined ? '' : JSON.stringify({ devDependencies: { [DEPS[dependency] ?? '']: '*' } });
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  return root;
}

describe('init finds the generator and picks its profile and folders', () => {
  it.each([
    [['_config.yml', 'Gemfile'], 'jekyll', '_config.yml', '_posts', 'assets/img/posts', '/assets/img/posts'],
    [['eleventy.config.js'], 'eleventy', 'eleventy.config.js', 'posts', 'img/posts', '/img/posts'],
    [['.eleventy.js'], 'eleventy', '.eleventy.js', 'posts', 'img/posts', '/img/posts'],
    [['package.json:eleventy'], 'eleventy', 'package.json', 'posts', 'img/posts', '/img/posts'],
    [['hugo.toml'], 'hugo', 'hugo.toml', 'content/post', 'static/img/post', '/img/post'],
    [['README.md'], 'unknown', '', 'content/post', 'static/img/content/post', '/img/content/post'],
  ])('%j -> %s', async (files, generator, evidence, contentDir, imagesDir, urlPrefix) => {
    const found = await detect(await site(files));
    expect(found).toMatchObject({ generator, evidence, contentDir, imagesDir, urlPrefix });
    const profile = generator === 'unknown' ? 'bookmark' : generator;
    expect(configText(found, 'https://a.dropmark.com/1.json')).toMatch(
      new RegExp(
        `\n    profile: ${profile} +# the front matter: bookmark \\| hugo \\| jekyll \\| eleventy \\| astro\n`,
      ),
    );
  });
});

describe('init puts uploaded files in a folder the generator publishes at the URL the posts link to', () => {
  it.each([
    [['_config.yml'], 'assets/files', '/assets/files'],
    [['eleventy.config.js'], 'files', '/files'],
    [['package.json:astro'], 'public/files', '/files'],
    [['hugo.toml'], 'static/files', '/files'],
    [['README.md'], 'static/files', '/files'],
  ])('%j -> files.dir %s, files.urlPrefix %s', async (files, dir, urlPrefix) => {
    const text = configText(await detect(await site(files)), 'https://a.dropmark.com/1.json');
    expect(text).toContain(`\n    files:  `);
    expect(text).toContain(`\n      mode: local `);
    expect(text).toContain(`\n      dir: ${dir}\n      urlPrefix: ${urlPrefix} `);
  });

  it("Hugo: under the site's staticDir", async () => {
    const root = await site([]);
    await writeFile(path.join(root, 'hugo.toml'), 'staticDir = "assets"\n');
    expect(await detect(root)).toMatchObject({ filesDir: 'assets/files', filesUrlPrefix: '/files' });
  });
});

describe('init reads how an Astro site takes its images, and which folder an Eleventy site copies', () => {
  const write = async (root: string, file: string, text: string) => {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  };

  it.each([
    ['none (init writes one that reads image())', undefined, 'src/assets/blog', '../../assets/blog', 'image'],
    [
      'heroImage: image().optional()',
      'heroImage: image().optional(),',
      'src/assets/blog',
      '../../assets/blog',
      'image',
    ],
    [
      'heroImage: z.optional(image())',
      'heroImage: z.optional(image()),',
      'src/assets/blog',
      '../../assets/blog',
      'image',
    ],
    ['heroImage: z.string().optional()', 'heroImage: z.string().optional(),', 'public/img/blog', '/img/blog', 'string'],
  ])('content config %s -> images in %s', async (_, line, imagesDir, urlPrefix, astroImages) => {
    const root = await site(['package.json:astro']);
    if (line !== undefined) await write(root, 'src/content.config.ts', `schema: z.object({ ${line} })\n`);
    expect(await detect(root)).toMatchObject({ generator: 'astro', imagesDir, urlPrefix, astroImages });
  });

  it.each([
    ["eleventyConfig.addPassthroughCopy('assets');", 'assets/img/posts', 'assets/files'],
    ['eleventyConfig.addPassthroughCopy("./src/img/");', 'src/img/posts', 'src/img/files'],
    ["eleventyConfig.addPassthroughCopy('robots.txt');", 'img/posts', 'files'],
    ["eleventyConfig.addPassthroughCopy({ 'src/static': '/' });", 'img/posts', 'files'],
  ])('%s -> images in %s, files in %s', async (line, imagesDir, filesDir) => {
    const root = await site([]);
    await write(root, 'eleventy.config.js', `export default function (eleventyConfig) {\n  ${line}\n}\n`);
    expect(await detect(root)).toMatchObject({
      generator: 'eleventy',
      imagesDir,
      urlPrefix: `/${imagesDir}`,
      filesDir,
      filesUrlPrefix: `/${filesDir}`,
    });
  });
});
