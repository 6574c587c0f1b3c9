import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeCdn } from './cdn.js';
import { jpeg, PNG } from './images.js';

/** The real generators: where each is, whether it is there, how a site is built, and what the pages show. */

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ELEVENTY = path.join(ROOT, 'node_modules', '@11ty', 'eleventy', 'cmd.cjs');
export const ASTRO = path.join(ROOT, 'node_modules', 'astro', 'astro.js');
/** The site's own packages (Astro imports `astro/loaders` from the site): a link to this repository's. */
export const NODE_MODULES = path.join(ROOT, 'node_modules');

const found = (command: string, ...args: string[]) => spawnSync(command, args, { encoding: 'utf8' }).status === 0;
export const INSTALLED = {
  hugo: found('hugo', 'version'),
  jekyll: found('jekyll', '--version'),
  eleventy: existsSync(ELEVENTY),
  astro: existsSync(ASTRO),
} as const;
export type Generator = keyof typeof INSTALLED;

/** Where each generator writes the built site. */
export const OUT = { hugo: 'public', jekyll: '_site', eleventy: '_site', astro: 'dist' } as const;

/** A build of `site` by the real generator, in time zone `tz` (the machine's zone must not move a post's day). */
export function build(generator: Generator, site: string, tz = 'UTC'): SpawnSyncReturns<string> {
  const options = {
    cwd: site,
    encoding: 'utf8' as const,
    timeout: 120_000,
    env: { ...process.env, TZ: tz, ASTRO_TELEMETRY_DISABLED: '1' },
  };
  const out = path.join(site, OUT[generator]);
  switch (generator) {
    case 'hugo':
      return spawnSync('hugo', ['--quiet', '--source', site, '--destination', out], options);
    case 'jekyll':
      return spawnSync('jekyll', ['build', '--quiet', '--source', site, '--destination', out], options);
    case 'eleventy':
      return spawnSync(process.execPath, [ELEVENTY, '--quiet', '--input=.', '--output=_site'], options);
    case 'astro':
      return spawnSync(process.execPath, [ASTRO, 'build', '--silent'], options);
  }
}

export interface Built {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A build by the real generator (as build() runs it), in a child process that
 * does not block this one: the loader's requests are answered by the loopback server here.
 */
export function buildAsync(generator: 'astro' | 'eleventy', site: string, tz = 'UTC'): Promise<Built> {
  const args =
    generator === 'astro' ? [ASTRO, 'build', '--silent'] : [ELEVENTY, '--quiet', '--input=.', '--output=_site'];
  const child = spawn(process.execPath, args, {
    cwd: site,
    env: { ...process.env, TZ: tz, ASTRO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

type FeedItem = Record<string, unknown> & { thumbnail?: unknown };

/** The feed's thumbnails, moved to the loopback CDN (an SVG becomes a PNG: svg is refused by default). */
export function localThumbnails<T extends FeedItem>(items: T[], cdn: FakeCdn): T[] {
  return items.map((item) => {
    if (typeof item.thumbnail !== 'string') return { ...item, thumbnails: null };
    const name = (new URL(item.thumbnail).pathname.split('/').pop() as string).replace(/\.svg$/i, '.png');
    const cdnPath = `/cdn/${String(item['id'])}/${name}`;
    const isPng = /\.png$/i.test(name);
    cdn.put(cdnPath, isPng ? PNG : jpeg(String(item['id'])), isPng ? 'image/png' : 'image/jpeg');
    return { ...item, thumbnail: cdn.sign(cdnPath), thumbnails: null };
  });
}

export async function filesUnder(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** HTML text as a reader sees it: each entity decoded once. */
export function decode(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      return String.fromCodePoint(
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1)),
      );
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

export interface BuiltPage {
  file: string;
  html: string;
  title: string;
  link: string;
  /** The text of the first <time>, trimmed. */
  date: string;
  images: string[];
  tags: string[];
}

/** Every built page made by the post layout (the one with an <article>). */
export async function builtPages(out: string): Promise<BuiltPage[]> {
  const pages: BuiltPage[] = [];
  // A failed build may leave no output: the build's own test says why.
  if (!existsSync(out)) return pages;
  for (const file of await filesUnder(out, '.html')) {
    const html = await readFile(file, 'utf8');
    const article = /<article>([\s\S]*)<\/article>/.exec(html)?.[1];
    if (article === undefined) continue;
    pages.push({
      file,
      html,
      title: decode(/<h1>([^<]*)<\/h1>/.exec(article)?.[1] ?? ''),
      link: decode(/<a href="([^"]*)">/.exec(article)?.[1] ?? ''),
      date: decode(/<time[^>]*>([^<]*)<\/time>/.exec(article)?.[1] ?? '').trim(),
      images: [...article.matchAll(/<img src="([^"]*)"/g)].map((m) => decode(m[1] as string)),
      tags: [...article.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => decode(m[1] as string)),
    });
  }
  return pages;
}

/** A post's day as every layout shows it, in UTC: 2019-05-01T02:15:47Z -> 1 May 2019. */
export function shownDay(date: string): string {
  return new Date(date).toLocaleDateString('en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}

/**
 * The site's node_modules: a link to each package of this repository's, and dropmark-sync itself
 * as npm installs it: its package.json and built files in a folder of their own (a link to this
 * repository would be taken for the site's own source by Vite, and run otherwise).
 */
export async function installModules(site: string): Promise<void> {
  const modules = path.join(site, 'node_modules');
  await mkdir(modules);
  for (const entry of await readdir(NODE_MODULES)) {
    if (entry.startsWith('.')) continue;
    await symlink(path.join(NODE_MODULES, entry), path.join(modules, entry));
  }
  const installed = path.join(modules, 'dropmark-sync');
  await mkdir(installed);
  await cp(path.join(ROOT, 'package.json'), path.join(installed, 'package.json'));
  await cp(path.join(ROOT, 'dist'), path.join(installed, 'dist'), { recursive: true });
}
