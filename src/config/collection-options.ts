import type * as z from 'zod/mini';
import { ConfigError } from '../errors.js';
import { isCredentialParam, stripSecrets } from '../text/redact.js';
import { formatKeyPath, mirrorFolder, toConfigError } from './load.js';
import { configSchema, type CollectionConfig, type HttpConfig } from './schema.js';

/**
 * One collection's keys given in code instead of a config file (the options of a loader or of the
 * library API): checked by the config file's own schema, with its messages, the key paths shown
 * from the collection on (`images.mode`, `http.timeoutMs`).
 */

export interface CollectionOptions {
  collection: CollectionConfig;
  http: HttpConfig;
}

/**
 * Keys of a collection that mean something only where post files are written: a loader (which
 * writes none) refuses them, so that no setting is silently without effect.
 */
export const FILE_ONLY_KEYS: Readonly<Record<string, string>> = {
  contentDir: 'a loader writes no post files; the entries live in the build, so remove it',
  fileName: 'a loader writes no post files (each entry has the slug its file would have); remove it',
  format: 'a loader writes no front matter; the values are handed over as data, so remove it',
  deletions:
    "a loader's entries are always the feed's items (an item gone from the feed goes from the site); remove it",
  'images.manifest': "a loader keeps the record of its images in the build's cache; remove it",
  'files.manifest': "a loader keeps the record of its files in the build's cache; remove it",
};

type Raw = Record<string, unknown>;

const isMapping = (value: unknown): value is Raw =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * `raw`: the keys of one collection and `http`, as the config file would hold them; `defaults`:
 * values that stand where `raw` gives none (a loader's own folder for the images). `what` names
 * the options in messages ("dropmarkLoader's configuration"). Throws a ConfigError naming every problem.
 */
export async function checkCollectionOptions(
  raw: unknown,
  what: string,
  defaults: Raw = {},
): Promise<CollectionOptions> {
  if (!isMapping(raw)) throw new ConfigError(`${what} must be an object holding at least an endpoint (the feed's URL)`);
  refuseFileOnlyKeys(raw, what);
  const { http, ...keys } = raw;
  const parsed = configSchema.safeParse({ collections: [withDefaults(keys, defaults)], http: http ?? {} });
  if (!parsed.success) throw await toConfigError(parsed.error, undefined, { what, at: ['collections', 0] });
  const collection = parsed.data.collections[0] as CollectionConfig;
  refuseSecrets(collection.endpoint, what);
  if (collection.images.mode === 'remote')
    throw new ConfigError(
      `${what} is not valid:\nimages.mode: remote would point the built site at the feed's signed image URLs, ` +
        'which expire within the hour; use local (the default: mirrored into the site) or none',
      { keyPath: 'images.mode' },
    );
  checkFolders(collection, what);
  return { collection, http: parsed.data.http };
}

function refuseFileOnlyKeys(raw: Raw, what: string): void {
  const given = (key: string): boolean => {
    const [head, tail] = key.split('.') as [string, string | undefined];
    const value = raw[head];
    return tail === undefined ? value !== undefined : isMapping(value) && value[tail] !== undefined;
  };
  const refused = Object.keys(FILE_ONLY_KEYS).filter(given);
  if (refused.length === 0) return;
  const lines = refused.map((key) => `${key}: ${FILE_ONLY_KEYS[key]}`);
  throw new ConfigError(`${what} is not valid:\n${lines.join('\n')}`, { keyPath: refused[0] });
}

/**
 * Options given in code are committed with it: the collection's read key comes from the environment
 * (DROPMARK_API_KEY), and an endpoint holding a key or a password is refused before it is ever used.
 */
function refuseSecrets(endpoint: string, what: string): void {
  const url = new URL(endpoint);
  const secret = url.username !== '' || url.password !== '' || [...url.searchParams.keys()].some(isCredentialParam);
  if (!secret) return;
  throw new ConfigError(
    `${what} is not valid:\nendpoint: holds a key or a password, which would be committed with the code; ` +
      `use ${stripSecrets(endpoint)} and give the read key as DROPMARK_API_KEY in the environment`,
    { keyPath: 'endpoint' },
  );
}

/** The defaults under the keys given; `images` and `files` merged key by key. */
function withDefaults(keys: Raw, defaults: Raw): Raw {
  const out: Raw = { ...defaults, ...keys };
  for (const group of ['images', 'files']) {
    const mine = defaults[group];
    const theirs = keys[group];
    if (isMapping(mine) && (theirs === undefined || isMapping(theirs))) out[group] = { ...mine, ...theirs };
  }
  return out;
}

/** The folders downloads go to: each a folder of its own (the config file's rule), and not one for both. */
function checkFolders(collection: CollectionConfig, what: string): void {
  const local = (['images', 'files'] as const).filter((group) => collection[group].mode === 'local');
  for (const group of local) {
    try {
      mirrorFolder(collection[group].dir, `${group}.dir`, undefined);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ConfigError(`${what} is not valid:\n${error.message}`, { keyPath: error.keyPath });
    }
  }
  if (local.length === 2 && sameFolder(collection.images.dir, collection.files.dir))
    throw new ConfigError(
      `${what} is not valid:\n${formatKeyPath(['files', 'dir'])}: the same folder as images.dir ` +
        `(${collection.files.dir}); give the files a folder of their own`,
      { keyPath: 'files.dir' },
    );
}

function sameFolder(a: string, b: string): boolean {
  const norm = (p: string) =>
    p
      .split(/[\\/]+/)
      .filter((s) => s !== '' && s !== '.')
      .join('/');
  return norm(a) === norm(b);
}

type ConfigInput = z.input<typeof configSchema>;
type CollectionInput = ConfigInput['collections'][number];

/**
 * The options one collection takes in code: the config file's keys for a collection (docs/configuration.md)
 * and `http`, without those that only mean something where post files are written (FILE_ONLY_KEYS).
 */
export type CollectionOptionsInput = Omit<
  CollectionInput,
  'contentDir' | 'fileName' | 'format' | 'deletions' | 'images' | 'files'
> & {
  images?: Omit<NonNullable<CollectionInput['images']>, 'manifest'>;
  files?: Omit<NonNullable<CollectionInput['files']>, 'manifest'>;
  http?: ConfigInput['http'];
};
