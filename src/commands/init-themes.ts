import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import type { SiteLayout } from './init-site.js';

/**
 * Whether a Hugo or Jekyll site already renders its posts with a layout that is not at the
 * place init writes one: a theme's, or the site's own default. A layout written at the post's
 * own place would take precedence over it, so init then writes none.
 */

/** Where the post's link is, for a theme's layout to show it. */
export const LINK_PARAM = { hugo: '.Params.link', jekyll: 'page.link' } as const;

/** What renders the posts instead: a file, or a theme init cannot see (a gem, a module, a missing submodule). */
export type OtherLayout = { file: string } | { theme: string };

/**
 * A single layout under `layouts` for posts in `section`: the section's, the default, or (read
 * by Hugo 0.146+) `layouts/single.html`.
 */
async function hugoSingle(layouts: string, section: string): Promise<string | undefined> {
  for (const dir of [section, '_default', '.']) {
    const names = await readdir(path.join(layouts, dir)).catch(() => [] as string[]);
    const single = names.sort().find((n) => n.startsWith('single.') && n.endsWith('.html'));
    if (single !== undefined) return path.posix.join(dir, single);
  }
  return undefined;
}

/** A config file's settings, parsed by its extension; none when it does not parse (init then writes its layout). */
export async function readSettings(file: string): Promise<Record<string, unknown>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  try {
    const ext = path.extname(file);
    const value: unknown = ext === '.toml' ? parseToml(text) : ext === '.json' ? JSON.parse(text) : parseYaml(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    // An unreadable config names no theme: the layout init writes is the safe side, and the
    // generator's own build will say what is wrong with the file.
    return {};
  }
}

const names = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');

/** The themes a Hugo config names (`theme`, one or a list; module imports), in the root file and config/_default/. */
async function hugoThemes(root: string, evidence: string): Promise<{ themes: string[]; themesDir: string }> {
  const extra = await readdir(path.join(root, 'config/_default')).catch(() => [] as string[]);
  const files = [
    evidence,
    ...extra.filter((f) => /^(hugo|config)\.(toml|ya?ml|json)$/.test(f)).map((f) => `config/_default/${f}`),
  ];
  const themes: string[] = [];
  let themesDir = 'themes';
  for (const file of files) {
    const settings = await readSettings(path.join(root, file));
    themes.push(...names(settings['theme']));
    const imports = (settings['module'] as { imports?: unknown } | undefined)?.imports;
    if (Array.isArray(imports)) themes.push(...names(imports.map((i) => (i as { path?: unknown } | null)?.path)));
    themesDir = names(settings['themesDir'])[0] ?? themesDir;
  }
  return { themes, themesDir };
}

/**
 * Hugo: the site's own default single layout, else the first named theme that has one (or
 * that init cannot look into: a module, a submodule not checked out). A theme folder that is
 * there without any single layout renders nothing for a post, so it does not count.
 */
export async function hugoOtherLayout(root: string, site: SiteLayout): Promise<OtherLayout | undefined> {
  const section = path.posix.basename(site.contentDir);
  const own = await hugoSingle(path.join(root, 'layouts'), section);
  if (own !== undefined) return { file: `layouts/${own}` };
  const { themes, themesDir } = await hugoThemes(root, site.evidence);
  for (const theme of themes) {
    const dir = path.posix.join(themesDir, theme);
    if (!existsSync(path.join(root, dir))) return { theme };
    const single = await hugoSingle(path.join(root, dir, 'layouts'), section);
    if (single !== undefined) return { file: `${dir}/layouts/${single}` };
  }
  return undefined;
}

/** Jekyll: a `theme` (a gem, such as minima) or `remote_theme` in the config provides the `post` layout. */
export async function jekyllOtherLayout(root: string, site: SiteLayout): Promise<OtherLayout | undefined> {
  const settings = await readSettings(path.join(root, site.evidence));
  const theme = names(settings['theme'])[0] ?? names(settings['remote_theme'])[0];
  return theme === undefined ? undefined : { theme };
}
