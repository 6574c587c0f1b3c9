import { spawnSync } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { docBlocks } from '../support/doc-examples.js';

/**
 * The library API as a TypeScript project uses it (issue 27): the package's `exports` and shipped
 * types, compiled under `strict` by the repository's tsc. Run `npm run build` first.
 */

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const CONSUMER = `
import {
  checkCollectionOptions,
  ConfigError,
  DropmarkSyncError,
  FeedError,
  mapFeed,
  parseFeed,
  type MappedFeed,
  type MappedPost,
} from 'dropmark-sync';
import { dropmarkLoader, type DropmarkLoaderOptions } from 'dropmark-sync/astro';
import dropmark, { type EleventyConfigApi, type EleventyPost } from 'dropmark-sync/eleventy';

export async function posts(json: string): Promise<MappedPost[]> {
  const { collection } = await checkCollectionOptions({ endpoint: 'https://me.dropmark.com/1.json' }, 'mine');
  const feed = parseFeed(json, 'https://me.dropmark.com/1.json');
  const mapped: MappedFeed = mapFeed(feed, collection, { now: new Date(0) });
  const first = mapped.posts[0];
  const title: unknown = first?.data['title'];
  const slug: string | undefined = first?.slug;
  void [title, slug, mapped.partial?.total, mapped.failures[0]?.itemId];
  return mapped.posts;
}

export function why(error: unknown): string | undefined {
  if (error instanceof ConfigError) return error.keyPath;
  if (error instanceof FeedError) return error.url;
  return error instanceof DropmarkSyncError ? error.message : undefined;
}

const options: DropmarkLoaderOptions = {
  endpoint: 'https://me.dropmark.com/1.json',
  profile: 'astro',
  images: { mode: 'local', dir: 'public/img/links', urlPrefix: '/img/links' },
  frontMatter: { add: { layout: 'link' } },
  http: { timeoutMs: 5000 },
};
export const loaderName: string = dropmarkLoader(options).name;

// @ts-expect-error a key of the config file that a loader refuses: it writes no post files
dropmarkLoader({ endpoint: 'https://me.dropmark.com/1.json', contentDir: 'src/content/links' });
// @ts-expect-error a value the config file does not take
dropmarkLoader({ endpoint: 'https://me.dropmark.com/1.json', images: { mode: 'everywhere' } });

export function plugin(eleventyConfig: EleventyConfigApi): Promise<void> {
  return dropmark(eleventyConfig, { endpoint: 'https://me.dropmark.com/1.json', dataKey: 'links' });
}
export const none: EleventyPost | undefined = undefined;
`;

describe('the library API in a TypeScript project compiled under strict', () => {
  let project: string;
  beforeAll(async () => {
    project = await tempDir('dms-consumer-');
    await mkdir(path.join(project, 'node_modules'));
    await symlink(ROOT, path.join(project, 'node_modules', 'dropmark-sync'));
    await symlink(path.join(ROOT, 'node_modules', '@types'), path.join(project, 'node_modules', '@types'));
    await writeFile(path.join(project, 'package.json'), '{ "name": "consumer", "type": "module" }\n');
    await writeFile(path.join(project, 'consumer.ts'), CONSUMER);
    // The library API's example in docs/loaders.md, as a person copies it.
    await writeFile(path.join(project, 'docs-example.ts'), `${docBlocks('loaders.md', 'ts').at(-1)}\nexport {};\n`);
  });
  afterAll(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('compiles: the exports, their types, the errors as classes; a wrong option is a type error', () => {
    // skipLibCheck, as Astro's own tsconfig has it: the checks are of this code's use of the package.
    const args = ['--strict', '--noEmit', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    const result = spawnSync(
      process.execPath,
      [TSC, ...args, '--target', 'es2023', '--types', 'node', 'consumer.ts', 'docs-example.ts'],
      {
        cwd: project,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
