import path from 'node:path';
import * as z from 'zod/mini';
import { readNoFollow } from '../fs/no-follow.js';
import { jsonText } from '../text/json-text.js';
import '../text/zod-english.js';

const dependencies = z.optional(z.record(z.string(), z.string()));
const packageSchema = z.object({ type: z.optional(z.string()), dependencies, devDependencies: dependencies });

/** What `init` reads of a site's package.json: how Node reads its `.js` files, and what it installs. */
export type SitePackage = z.infer<typeof packageSchema>;

/**
 * The site's package.json, read once per `init` (detection, the local install and the Eleventy
 * config's module kind all ask it). A site may be a stranger's clone: never read through a link or
 * waited on. None, or one that is not a package.json, is undefined: it names and installs nothing.
 */
export async function readSitePackage(root: string): Promise<SitePackage | undefined> {
  const text = await readNoFollow(path.join(root, 'package.json')).then(
    (read) => read.text,
    () => undefined,
  );
  const parsed = z.pipe(jsonText, packageSchema).safeParse(text ?? '');
  return parsed.success ? parsed.data : undefined;
}

/** The names under its dependencies and devDependencies. */
export function packageNames(pkg: SitePackage | undefined): Set<string> {
  return new Set([...Object.keys(pkg?.dependencies ?? {}), ...Object.keys(pkg?.devDependencies ?? {})]);
}
