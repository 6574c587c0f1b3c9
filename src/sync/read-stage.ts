import { mapInTurns } from '../fs/in-turns.js';
import type { ParsedFeed } from '../feed/parse.js';
import { bodiesPath } from '../fs/name-parts.js';
import type { ImageBackoff } from '../images/backoff.js';
import { parseManifest, type ImageManifest } from '../images/manifest.js';
import type { Logger } from '../log.js';
import { readImageDir, type ImageDirSnapshot } from '../site/image-dir.js';
import { findStrayTemps, readAgain, readSiteText, type ExistingFile } from '../site/read.js';
import { parseBodies } from '../state/bodies.js';
import { loadImageFailures } from '../state/image-failures.js';
import type { MirrorTarget } from './mirror-targets.js';
import type { SiteIndex } from './index-files.js';
import { indexSite, type ContentFolder } from './site-index.js';
import type { RecordedBodies } from './state-files.js';
import { withWholeFiles } from './file-texts.js';

/** What a full pass reads before it decides anything: the site as it is, and the failed downloads' records. */
export interface PassRead {
  /** The committed body hashes beside the content. */
  recorded: RecordedBodies;
  index: SiteIndex;
  /** The download folders in mode local (images; uploaded files), as they are. */
  images: FolderRead | undefined;
  files: FolderRead | undefined;
}

/** One download folder as the pass found it. */
export interface FolderRead {
  target: MirrorTarget;
  dirState: ImageDirSnapshot;
  manifestBefore: ImageManifest;
  /** Temp files of an interrupted run in the folder, found before this run stages its own. */
  strays: string[];
  /** The records of failed downloads as saved (state/image-failures.ts), whatever config made them. */
  failures: ImageBackoff;
}

/**
 * The read stage: the body hashes, the content folder indexed against the feed (its posts),
 * then each download folder with its manifest and its failed downloads' records. Reads only.
 */
export async function readStage(
  folder: ContentFolder,
  feed: ParsedFeed,
  targets: { images: MirrorTarget | undefined; files: MirrorTarget | undefined },
  read: { now: Date; log: Logger },
): Promise<PassRead> {
  const recorded = await readBodies(folder.siteDir, folder.contentDir);
  const index = await indexSite(folder, feed, { ...read, recorded: recorded.hashes });
  const images = targets.images ? await readFolder(folder.siteDir, targets.images, read.log) : undefined;
  const files = targets.files ? await readFolder(folder.siteDir, targets.files, read.log) : undefined;
  return { recorded, index, images, files };
}

/** The committed body hashes beside the content folder (`contentDir` as configured). */
export async function readBodies(siteDir: string, contentDir: string): Promise<RecordedBodies> {
  const file = bodiesPath(contentDir);
  const text = await readSiteText(siteDir, file);
  return { file, text, hashes: parseBodies(text) };
}

async function readFolder(siteDir: string, target: MirrorTarget, log: Logger): Promise<FolderRead> {
  const dirState = await readImageDir(siteDir, target.relDir, target.manifestPath, target.safeName);
  const manifestBefore = parseManifest(dirState.manifestText, target.safeName);
  const strays = await findStrayTemps(siteDir, [target.relDir]);
  const failures = await loadImageFailures(target.failuresFile, log);
  return { target, dirState, manifestBefore, strays, failures };
}

/**
 * The files of the compact read that the pass needs whole after its first rendering (file-texts.ts, textsNeeded),
 * read again (site/read.ts, readAgain: a file changed since refuses the pass) and put in place.
 */
export async function readWholeFiles(
  siteDir: string,
  read: PassRead,
  compact: readonly ExistingFile[],
): Promise<PassRead> {
  if (compact.length === 0) return read;
  // Synchronous reads, one after another, as the folder's first read (site/read.ts says why).
  const whole = await mapInTurns(compact, (file) => readAgain(siteDir, file, read.index.layout.managed));
  return { ...read, index: withWholeFiles(read.index, whole) };
}
