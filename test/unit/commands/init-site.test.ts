import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { detectSite } from '../../../src/commands/init-site.js';
import { configText } from '../../../src/commands/init-templates.js';

async function site(files: string[]): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'dms-init-site-'));
  for (const f of files) {
    await mkdir(path.dirname(path.join(root, f)), { recursive: true });
    await writeFile(path.join(root, f), '');
  }
  return root;
}

describe('init finds the generator and picks its profile and folders', () => {
  it.each([
    [['_config.yml', 'Gemfile'], 'jekyll', '_config.yml', '_posts', 'assets/img/posts', '/assets/img/posts'],
    [['eleventy.config.js'], 'eleventy', 'eleventy.config.js', 'posts', 'img/posts', '/img/posts'],
    [['.eleventy.js'], 'eleventy', '.eleventy.js', 'posts', 'img/posts', '/img/posts'],
    [['astro.config.mjs'], 'astro', 'astro.config.mjs', 'src/content/blog', 'public/img/blog', '/img/blog'],
    [['hugo.toml'], 'hugo', 'hugo.toml', 'content/post', 'static/img/post', '/img/post'],
    [['README.md'], 'unknown', '', 'content/post', 'static/img/content/post', '/img/content/post'],
  ])('%j -> %s', async (files, generator, evidence, contentDir, imagesDir, urlPrefix) => {
    const found = await detectSite(await site(files));
    expect(found).toEqual({ generator, evidence, contentDir, imagesDir, urlPrefix });
    const profile = generator === 'unknown' ? 'bookmark' : generator;
    expect(configText(found, 'https://a.dropmark.com/1.json')).toMatch(
      new RegExp(
        `\n    profile: ${profile} +# the front matter: bookmark \\| hugo \\| jekyll \\| eleventy \\| astro\n`,
      ),
    );
  });
});
