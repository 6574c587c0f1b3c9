import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type * as z from 'zod/mini';
import { ConfigError, describeError } from '../errors.js';
import { nameKey } from '../frontmatter/file-names.js';
import { bodiesPath, stateName } from '../fs/name-parts.js';
import { configSchema, type Config } from './schema.js';

/** Where a config file is looked for, in order, when neither --config nor $DROPMARK_SYNC_CONFIG names one. */
const CONFIG_CANDIDATES = ['dropmark-sync.yaml', 'config/dropmark-sync.yaml'] as const;

/** What the command line may override; every field is optional. */
export interface ConfigOverrides {
  configFile?: string | undefined;
  endpoint?: string | undefined;
  siteDir?: string | undefined;
}

export interface LoadConfigOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  overrides?: ConfigOverrides;
  readText?: (file: string) => Promise<string>;
  /** Says how a command takes its config when none is found (each command names only its own options). */
  missingHint?: string;
}

export interface LoadedConfig {
  config: Config;
  /** The file the config came from, or undefined when only --endpoint was given and no file exists. */
  file: string | undefined;
}

/**
 * Reads, validates and completes the config before any network or disk work. The file is
 * --config, else $DROPMARK_SYNC_CONFIG, else the first of CONFIG_CANDIDATES that exists.
 * Relative paths in the file resolve against the file's own folder (the same config works
 * from anywhere); paths given on the command line, against `cwd`.
 * @throws {ConfigError} no config file, one that cannot be read, or a value that is wrong
 *   (`keyPath` names the first, `file` the file).
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const { cwd, env, overrides = {} } = options;
  const readText = options.readText ?? ((f: string) => readFile(f, 'utf8'));
  const found = await findConfig(options, readText);
  let raw: unknown = {};
  if (found) raw = parseYaml(found.text, found.file);
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`config file ${found?.file} must hold a mapping of keys (siteDir, collections, ...)`, {
      keyPath: '',
      file: found?.file,
    });
  }
  const merged = applyOverrides(raw as Record<string, unknown>, { ...overrides, siteDir: undefined });
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) throw await toConfigError(parsed.error, found?.file);

  const config = parsed.data;
  if ('schedule' in merged) await checkCron(config.schedule, found?.file);
  const base = found ? path.dirname(found.file) : cwd;
  config.siteDir =
    overrides.siteDir !== undefined
      ? path.resolve(cwd, overrides.siteDir)
      : path.resolve(base, expandHome(config.siteDir, env));
  config.cacheDir = path.resolve(base, expandHome(config.cacheDir, env));
  separateFileDirs(config, merged['collections']);
  for (const c of config.collections) {
    c.images.manifest ??= defaultManifest(c.images.dir);
    c.files.manifest ??= defaultManifest(c.files.dir, 'files');
  }
  checkDistinctContentDirs(config, found?.file);
  return { config, file: found?.file };
}

/**
 * node-cron's parse of the expression: loaded only for a config that sets `schedule` (the
 * default is valid), so `status` and a poll from cron do not pay for the scheduler's package.
 */
async function checkCron(expression: string, file: string | undefined): Promise<void> {
  const { validate } = (await import('node-cron')).default;
  if (validate(expression)) return;
  throw invalidConfig(file, ['schedule: is not a valid cron expression (example: "*/30 * * * *")'], 'schedule');
}

/** `~/site` is the home folder's `site`, as a shell would read it (a folder named `~` is never meant). */
function expandHome(p: string, env: LoadConfigOptions['env']): string {
  const home = env['HOME'];
  if (home && (p === '~' || p.startsWith('~/'))) return path.join(home, p.slice(1));
  return p;
}

async function findConfig(
  options: LoadConfigOptions,
  readText: (file: string) => Promise<string>,
): Promise<{ file: string; text: string } | undefined> {
  const { cwd, env, overrides = {} } = options;
  const explicit = overrides.configFile ?? (env['DROPMARK_SYNC_CONFIG'] || undefined);
  const candidates = explicit !== undefined ? [explicit] : CONFIG_CANDIDATES;
  for (const candidate of candidates) {
    const file = path.resolve(cwd, candidate);
    try {
      return { file, text: await readText(file) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && explicit === undefined) continue;
      const why = code === 'ENOENT' ? 'it does not exist' : describeError(error);
      throw new ConfigError(`cannot read config file ${file}: ${why}`, { file });
    }
  }
  // No file: --endpoint alone is a complete enough config.
  if (overrides.endpoint !== undefined) return undefined;
  const looked = candidates.map((c) => path.resolve(cwd, c)).join(', ');
  throw new ConfigError(
    `no config file found (looked for ${looked}). ` +
      `Run "dropmark-sync init" to write one, or ${options.missingHint ?? 'pass --config FILE'}`,
  );
}

function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const where = first.linePos?.[0] ? ` (line ${first.linePos[0].line}, column ${first.linePos[0].col})` : '';
    throw new ConfigError(`config file ${file} is not valid YAML${where}: ${first.message.split('\n')[0]}`, { file });
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // The yaml package refuses a document whose aliases would expand without bound (an "alias bomb").
    throw new ConfigError(
      `config file ${file} could not be read: ${describeError(error)}. ` +
        'Write the values out instead of using many YAML aliases',
      { file },
    );
  }
}

function applyOverrides(raw: Record<string, unknown>, overrides: ConfigOverrides): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  if (overrides.siteDir !== undefined) out['siteDir'] = overrides.siteDir;
  if (overrides.endpoint !== undefined) {
    // --endpoint syncs that one feed, with the first collection's other settings.
    const collections = Array.isArray(raw['collections']) ? raw['collections'] : [];
    const first = collections[0];
    const base = first && typeof first === 'object' && !Array.isArray(first) ? first : {};
    out['collections'] = [{ ...base, endpoint: overrides.endpoint }];
  }
  return out;
}

/**
 * `collections.0.images.mode` -> `collections[0].images.mode`. A key that is not a plain name
 * (a dot, a space, empty) is quoted: `frontMatter.add."dropmark.locked"`, `frontMatter.add.""`.
 */
export function formatKeyPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') {
      out += `[${s}]`;
      continue;
    }
    const name = String(s);
    const text = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? name : JSON.stringify(name);
    out += out === '' ? text : `.${text}`;
  }
  return out;
}

/**
 * The schema's issues as one ConfigError, a line each. `within`: the keys were checked as part of a larger
 * config (a loader's options, as `collections[0]`): paths are shown from `at` on, and the error names `what`.
 */
export async function toConfigError(
  error: z.core.$ZodError,
  file: string | undefined,
  within?: { what: string; at: readonly PropertyKey[] },
): Promise<ConfigError> {
  const shown = (segments: readonly PropertyKey[]) => formatKeyPath(within ? fromBase(segments, within.at) : segments);
  // The did-you-mean hints walk the config's JSON Schema: loaded only for a config with an unknown key.
  const hints = error.issues.some((issue) => issue.code === 'unrecognized_keys')
    ? await import('./key-hints.js')
    : undefined;
  const lines = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys
        .map((k) => {
          const at = shown([...issue.path, k]);
          const near = hints?.nearestKnownKey(k, issue.path);
          const hint = near ? `; did you mean ${near}?` : '; check its spelling against docs/configuration.md';
          return `${at}: unknown key${hint}`;
        })
        .join('\n');
    }
    const at = shown(issue.path) || '(top level)';
    return `${at}: ${issue.message}`;
  });
  const firstIssue = error.issues[0];
  const firstPath =
    firstIssue === undefined
      ? undefined
      : shown(
          firstIssue.code === 'unrecognized_keys' ? [...firstIssue.path, firstIssue.keys[0] ?? ''] : firstIssue.path,
        );
  return invalidConfig(file, lines, firstPath, within?.what);
}

/** A key path from `base` on, when it starts there. */
function fromBase(segments: readonly PropertyKey[], base: readonly PropertyKey[]): readonly PropertyKey[] {
  return base.every((b, i) => segments[i] === b) ? segments.slice(base.length) : segments;
}

/** The one form of a config that does not pass its checks: every problem on a line of its own. */
function invalidConfig(
  file: string | undefined,
  lines: readonly string[],
  firstPath: string | undefined,
  what?: string,
): ConfigError {
  const source = what ?? (file ? `config file ${file}` : 'configuration');
  return new ConfigError(`${source} is not valid:\n${lines.join('\n')}`, { keyPath: firstPath, file });
}

/**
 * With several collections, the default files folder is one per collection (files.dir was
 * added after configs with several collections were written: a shared default would make
 * them invalid): `static/files/<contentDir as a slug>`, served under `/files/<the same>`.
 * A folder or prefix the config sets stays as it is.
 */
function separateFileDirs(config: Config, rawCollections: unknown): void {
  if (config.collections.length < 2 || !Array.isArray(rawCollections)) return;
  config.collections.forEach((c, i) => {
    const raw = rawCollections[i] as { files?: { dir?: unknown; urlPrefix?: unknown } } | undefined;
    // Folder and prefix go together: one set alone stays as it is (two collections sharing a folder are refused).
    if (raw?.files?.dir !== undefined || raw?.files?.urlPrefix !== undefined) return;
    const own = stateName(c.contentDir);
    c.files.dir = `${c.files.dir}/${own}`;
    c.files.urlPrefix = `${c.files.urlPrefix.replace(/\/+$/, '')}/${own}`;
  });
}

const STATE_DIR = ['data', 'dropmark-sync'];

/**
 * A folder downloads are mirrored into is a folder of the site's own: not the site's root (whose
 * every other file would be a stranger in it), not a hidden folder (`.git`), and not the tool's
 * state folder, whose files would be taken for downloads and the other way round.
 */
export function mirrorFolder(dir: string, key: string, file: string | undefined): void {
  const parts = dir.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  const overlapsState = parts.every((p, i) => i >= STATE_DIR.length || STATE_DIR[i] === p);
  const why =
    parts.length === 0
      ? 'is the site folder itself'
      : parts.some((p) => p.startsWith('.'))
        ? 'is or lies in a hidden folder (such as .git)'
        : overlapsState
          ? `holds or lies in the tool's state folder ${STATE_DIR.join('/')}`
          : undefined;
  if (why !== undefined)
    throw new ConfigError(`${key}: "${dir}" ${why}; give downloads a folder of their own, such as static/files`, {
      keyPath: key,
      file,
    });
}

function defaultManifest(dir: string, what: 'images' | 'files' = 'images'): string {
  return `data/dropmark-sync/${what}-${stateName(dir)}.json`;
}

function checkDistinctContentDirs(config: Config, file: string | undefined): void {
  // Each collection owns its content folder, and in mode local its images folder (and manifest):
  // sharing one would let a collection delete the other's files. Paths that differ only in case
  // (or in Unicode normalization) are one folder on macOS and Windows, and in a clone there.
  const owners = new Map<string, { key: string; abs: string }>();
  const claim = (dir: string, key: string) => {
    const abs = path.resolve(config.siteDir, dir);
    const other = owners.get(nameKey(abs));
    if (other !== undefined) {
      const why =
        other.abs === abs
          ? `the same path as ${other.key} (${dir})`
          : `the same folder as ${other.key} on macOS and Windows (${dir}: the paths differ only in case ` +
            'or Unicode form)';
      throw new ConfigError(`${key}: ${why}; give each collection its own folders and state files`, {
        keyPath: key,
        file,
      });
    }
    owners.set(nameKey(abs), { key, abs });
  };
  config.collections.forEach((c, i) => {
    claim(c.contentDir, `collections[${i}].contentDir`);
    claim(bodiesPath(c.contentDir), `collections[${i}].contentDir (its state file ${bodiesPath(c.contentDir)})`);
    if (c.images.mode === 'local') {
      mirrorFolder(c.images.dir, `collections[${i}].images.dir`, file);
      claim(c.images.dir, `collections[${i}].images.dir`);
      claim(c.images.manifest as string, `collections[${i}].images.manifest`);
    }
    if (c.files.mode === 'local') {
      mirrorFolder(c.files.dir, `collections[${i}].files.dir`, file);
      claim(c.files.dir, `collections[${i}].files.dir`);
      claim(c.files.manifest as string, `collections[${i}].files.manifest`);
    }
  });
}
