import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openNoFollow } from '../fs/no-follow.js';
import type { Staging } from '../fs/staging.js';
import { describeError } from '../errors.js';
import { safeName, type ImageRecord } from '../images/manifest.js';
import type { MirrorResult } from '../images/mirror-plan.js';
import type { Logger } from '../log.js';
import { readSiteText } from './read.js';

export interface ImageDirSnapshot {
  /** Regular files the tool could have written (symlinks and other names left out). */
  names: Set<string>;
  /** Names the tool could have written, taken by something else (a symlink, a folder): never written to. */
  blocked: Set<string>;
  manifestText: string | undefined;
}

/** What is in the images (or files) folder now, and the manifest's text; `safe`: the names the tool may write there. */
export async function readImageDir(
  siteDir: string,
  relDir: string,
  manifestRelPath: string,
  safe: (name: string) => boolean = safeName,
): Promise<ImageDirSnapshot> {
  const { names, blocked } = await listImageDir(siteDir, relDir, safe);
  return { names, blocked, manifestText: await readSiteText(siteDir, manifestRelPath) };
}

/** The names in the folder the tool could have written (`safe`): regular files, and the rest (never written to). */
export async function listImageDir(
  siteDir: string,
  relDir: string,
  safe: (name: string) => boolean,
): Promise<Pick<ImageDirSnapshot, 'names' | 'blocked'>> {
  const names = new Set<string>();
  const blocked = new Set<string>();
  try {
    for (const entry of await readdir(path.join(siteDir, relDir), { withFileTypes: true })) {
      if (!safe(entry.name)) continue;
      (entry.isFile() ? names : blocked).add(entry.name);
    }
  } catch (error) {
    // No folder yet: nothing in it.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { names, blocked };
}

/** sha256 of files in the images folder, for the few that were downloaded again; streamed, so memory stays flat. */
export async function hashImages(
  siteDir: string,
  relDir: string,
  names: Iterable<string>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of names) {
    try {
      const handle = await openNoFollow(path.join(siteDir, relDir, name));
      const hash = createHash('sha256');
      await pipeline(handle.createReadStream(), hash);
      out.set(name, hash.digest('hex'));
    } catch {
      // Unreadable or gone: no hash, so the downloaded copy is written over it.
    }
  }
  return out;
}

/**
 * Copies an image of the folder into the staging area (never through a symlink): the new name
 * of an image whose post was renamed. Staged, like a download, so that every copy is read
 * before the apply step writes anything (two posts may swap names). Resolves to the staged path.
 */
async function stageImageCopy(siteDir: string, relDir: string, name: string, sink: Staging): Promise<string> {
  // The stream closes the handle when it ends or fails.
  const source = (await openNoFollow(path.join(siteDir, relDir, name))).createReadStream();
  let staged: { path: string; stream: NodeJS.WritableStream } | undefined;
  try {
    staged = sink.create();
    await pipeline(source, staged.stream);
    return staged.path;
  } catch (error) {
    source.destroy();
    if (staged) await sink.discard(staged.path);
    throw error;
  }
}

/** A folder of downloads as a renamed post's copies need it. */
interface CopyTarget {
  /** The folder, relative to siteDir, with `/`. */
  relDir: string;
  /** The URL prefix the posts link to the folder's files through. */
  urlPrefix: string;
  what: string;
}

/**
 * Copies each image a renamed post takes along to its new name, staged. An image that cannot be
 * copied stays where it is, and its post keeps pointing to it there; the new name keeps its
 * record of `earlier` (the manifest before the run), if it had one.
 */
export async function stageRenamedCopies(
  siteDir: string,
  target: CopyTarget,
  step: { mirrored: MirrorResult; staging: Staging; log: Logger; earlier?: Readonly<Record<string, ImageRecord>> },
): Promise<Map<string, { from: string; staged: string; itemId: string }>> {
  const { mirrored, log } = step;
  const moves = new Map<string, { from: string; staged: string; itemId: string }>();
  const prefix = target.urlPrefix.replace(/\/+$/, '');
  for (const [name, { from, itemId }] of mirrored.moved) {
    try {
      moves.set(name, { from, itemId, staged: await stageImageCopy(siteDir, target.relDir, from, step.staging) });
    } catch (error) {
      log.warn(
        { file: `${target.relDir}/${from}`, reason: describeError(error) },
        `could not copy the ${target.what} to ${name} (its post was renamed); the post keeps it under its old name`,
      );
      mirrored.featuredImage.set(itemId, `${prefix}/${from}`);
      const earlier = step.earlier?.[name];
      if (earlier) mirrored.manifest.files[name] = earlier;
      else delete mirrored.manifest.files[name];
    }
  }
  return moves;
}
