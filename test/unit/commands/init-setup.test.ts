import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSiteSetup } from '../../../src/commands/init-setup.js';
import { detectSite } from '../../../src/commands/init-site.js';
import { readSitePackage } from '../../../src/commands/site-package.js';

/** What init does: the site's package.json read once, then the site detected. */
const detect = async (root: string) => detectSite(root, await readSitePackage(root));

async function site(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'dms-init-setup-'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  return root;
}

async function plan(files: Record<string, string>) {
  const root = await site(files);
  const setup = await planSiteSetup(root, await detect(root));
  return { written: setup.files.map((f) => f.file), kept: setup.kept };
}

const note = (which: string, layout: string, link: string) =>
  `${which}, which shows the posts (no ${layout} written); a post's link is in ${link}, for it to show ` +
  '(see docs/profiles.md)';
const hugoNote = (which: string) => note(which, 'layouts/post/single.html', '.Params.link');
const SINGLE = '<main>{{ .Content }}</main>\n';

describe("init writes Hugo's section layout only where nothing else would render the posts", () => {
  it.each([
    ['no theme, no layout', { 'hugo.toml': 'title = "x"\n' }],
    [
      'a themes/ folder whose theme the config does not name',
      { 'hugo.toml': '', 'themes/a/layouts/_default/single.html': SINGLE },
    ],
    [
      'a named theme that has no single layout',
      { 'hugo.toml': 'theme = "a"\n', 'themes/a/layouts/_default/baseof.html': SINGLE },
    ],
    ['a config that does not parse', { 'hugo.toml': 'theme = "a\n' }],
  ])('%s: writes layouts/post/single.html', async (_, files) => {
    expect(await plan(files)).toEqual({ written: ['layouts/post/single.html'], kept: [] });
  });

  it.each([
    [
      'theme = "plain" with _default/single.html',
      { 'hugo.toml': 'theme = "plain"\n', 'themes/plain/layouts/_default/single.html': SINGLE },
      'themes/plain/layouts/_default/single.html',
    ],
    [
      "a YAML list: the first theme with a single layout, the section's",
      {
        'hugo.yaml': 'theme:\n  - base\n  - plain\n',
        'themes/base/layouts/_default/baseof.html': SINGLE,
        'themes/plain/layouts/post/single.html': SINGLE,
      },
      'themes/plain/layouts/post/single.html',
    ],
    [
      'themesDir set',
      { 'config.toml': 'themesDir = "vendor"\ntheme = "plain"\n', 'vendor/plain/layouts/_default/single.html': SINGLE },
      'vendor/plain/layouts/_default/single.html',
    ],
    [
      'the theme named in config/_default/hugo.toml',
      {
        'hugo.toml': '',
        'config/_default/hugo.toml': 'theme = "plain"\n',
        'themes/plain/layouts/_default/single.html': SINGLE,
      },
      'themes/plain/layouts/_default/single.html',
    ],
    [
      "the site's own layouts/_default/single.html",
      { 'hugo.toml': '', 'layouts/_default/single.html': SINGLE },
      'layouts/_default/single.html',
    ],
    [
      'a named theme that is not there (a submodule not checked out)',
      { 'hugo.toml': 'theme = "ananke"\n' },
      'the post layout of theme ananke',
    ],
    [
      'a theme as a Hugo module',
      { 'hugo.toml': '[module]\n[[module.imports]]\npath = "github.com/theNewDynamic/gohugo-theme-ananke"\n' },
      'the post layout of theme github.com/theNewDynamic/gohugo-theme-ananke',
    ],
  ])('%s: keeps it', async (_, files, which) => {
    expect(await plan(files)).toEqual({ written: [], kept: [hugoNote(which)] });
  });
});

describe("init writes Jekyll's post layout only when no theme provides one", () => {
  it.each([
    ['theme: minima', 'theme: minima\n', 'minima'],
    ['remote_theme', 'remote_theme: pages-themes/minimal@v0.2.0\n', 'pages-themes/minimal@v0.2.0'],
  ])('%s: keeps the theme', async (_, config, theme) => {
    const { written, kept } = await plan({ '_config.yml': config });
    expect(written).toEqual([]);
    expect(kept).toEqual([note(`the post layout of theme ${theme}`, '_layouts/post.html', 'page.link')]);
  });

  it.each([
    ['no theme', 'title: x\n'],
    ['a config that does not parse', 'theme: [minima\n'],
  ])('%s: writes _layouts/post.html', async (_, config) => {
    expect(await plan({ '_config.yml': config })).toEqual({ written: ['_layouts/post.html'], kept: [] });
  });
});

describe('init has Eleventy copy the uploaded files', () => {
  it('writes a config that copies the images and the files', async () => {
    const root = await site({ 'package.json': JSON.stringify({ devDependencies: { '@11ty/eleventy': '*' } }) });
    const setup = await planSiteSetup(root, await detect(root));
    expect(setup.files.find((f) => f.file === 'eleventy.config.mjs')?.text).toBe(
      '// Written by "dropmark-sync init": Eleventy copies the synced images and files only when told to.\n' +
        'export default function (eleventyConfig) {\n' +
        '  eleventyConfig.addPassthroughCopy("img/posts");\n' +
        '  eleventyConfig.addPassthroughCopy("files");\n' +
        '}\n',
    );
  });

  it('tells the line to add to a config that copies neither', async () => {
    const root = await site({ 'eleventy.config.js': 'export default function () {}\n' });
    const setup = await planSiteSetup(root, await detect(root));
    expect(setup.byHand).toEqual([
      'eleventy.config.js: add eleventyConfig.addPassthroughCopy("img/posts"); Eleventy copies no image unless told to',
      'eleventy.config.js: add eleventyConfig.addPassthroughCopy("files"); ' +
        'Eleventy copies no uploaded file unless told to',
    ]);
  });
});
