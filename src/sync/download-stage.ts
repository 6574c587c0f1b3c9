import { describeError } from '../errors.js';
import { freshUrls } from '../feed/fresh-urls.js';
import { stageInSite, type Staging } from '../fs/staging.js';
import { earliestRetry, nextBackoff, type ImageBackoff } from '../images/backoff.js';
import { downloadMirror, type MirrorDeps } from '../images/mirror.js';
import type { MirrorResult } from '../images/mirror-plan.js';
import type { Logger } from '../log.js';
import { hashImages, stageRenamedCopies } from '../site/image-dir.js';
import { saveImageFailures } from '../state/image-failures.js';
import type { MirrorTarget } from './mirror-targets.js';
import type { DownloadPlan, MirroredFolder } from './stage-results.js';
import type { FeedSource } from './types.js';

/** What the download stage needs besides the plans: the site, the feed to refetch, the clock, the log. */
interface DownloadSettings {
  siteDir: string;
  /** The content folder, relative to siteDir, with `/`: where the posts that moved images point from. */
  contentDir: string;
  /** Item id -> the file name (without `.md`) its post gets (site-index.ts). */
  slugs: ReadonlyMap<string, string>;
  /** The feed, fetched once more when the download URLs' signatures expired. */
  source: FeedSource;
  now: () => Date;
  log: Logger;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

type Folders<T> = { images: T | undefined; files: T | undefined };

/**
 * The download stage, the pass's only network and staging work after the feed: each folder's
 * due downloads streamed into its staging (the apply step moves them into place), the images a
 * renamed post takes along copied there, the files the downloads would replace hashed, and the
 * failed downloads' records saved. `resources` collects the stagings, which the pass closes.
 */
export async function downloadStage(
  plans: Folders<DownloadPlan>,
  settings: DownloadSettings,
  resources: { stagings: Staging[] },
): Promise<Folders<MirroredFolder>> {
  const images = plans.images ? await downloadFolder(plans.images, settings, resources) : undefined;
  const files = plans.files ? await downloadFolder(plans.files, settings, resources) : undefined;
  return { images, files };
}

/** A dry run fetches and stages nothing: each folder is what its plan settled. */
export function dryRunDownloads(
  plans: Folders<DownloadPlan>,
  settings: Pick<DownloadSettings, 'contentDir' | 'slugs'> & { now: Date },
): Folders<MirroredFolder> {
  const planned = (wanted: DownloadPlan): MirroredFolder => {
    const mirrored = wanted.plan.settled;
    const moves = new Map<string, { from: string; staged: string; post: string }>();
    for (const [name, { from, itemId }] of mirrored.moved)
      moves.set(name, { from, staged: '', post: postOf(settings, itemId) });
    const after = backoffAfter(wanted, mirrored, settings.now);
    return { folder: wanted.folder, mirrored, moves, replaced: new Map(), retryAt: earliestRetry(after) };
  };
  return { images: plans.images && planned(plans.images), files: plans.files && planned(plans.files) };
}

async function downloadFolder(
  wanted: DownloadPlan,
  settings: DownloadSettings,
  resources: { stagings: Staging[] },
): Promise<MirroredFolder> {
  const { folder } = wanted;
  const { target } = folder;
  const staging = await stageInSite(settings.siteDir, target.relDir);
  resources.stagings.push(staging);
  const mirrored = await downloadMirror(
    wanted.plan,
    wanted.input,
    target.download,
    mirrorDeps(settings, target, staging),
  );
  const copies = await stageRenamedCopies(settings.siteDir, target, {
    mirrored,
    staging,
    log: settings.log,
    earlier: folder.manifestBefore.files,
  });
  const moves = new Map(
    [...copies].map(([name, { from, staged, itemId }]) => [name, { from, staged, post: postOf(settings, itemId) }]),
  );
  // Only images downloaded again over an existing file are hashed: the rest need no reading.
  const again = [...mirrored.downloaded.keys()].filter((n) => folder.dirState.names.has(n));
  const replaced = await hashImages(settings.siteDir, target.relDir, again);
  const after = backoffAfter(wanted, mirrored, settings.now());
  await saveBackoff(settings.log, target.failuresFile, folder.failures, after);
  return { folder, mirrored, moves, replaced, retryAt: earliestRetry(after) };
}

function mirrorDeps(settings: DownloadSettings, target: MirrorTarget, sink: Staging): MirrorDeps {
  const { source, log } = settings;
  const { fetchDeps } = source;
  return {
    dispatcher: fetchDeps.guardedDispatcher,
    logger: log,
    sink,
    now: fetchDeps.now,
    signal: fetchDeps.signal,
    onProgress: settings.onProgress,
    refetchUrls: () => freshUrls(source, target, log),
  };
}

/** The post that will point at a moved image's new name: while its write fails, the old name stays. */
function postOf(settings: Pick<DownloadSettings, 'contentDir' | 'slugs'>, itemId: string): string {
  return `${settings.contentDir}/${settings.slugs.get(itemId) ?? ''}.md`;
}

/** The failed downloads' records after this run: pure. */
function backoffAfter(wanted: DownloadPlan, mirrored: MirrorResult, now: Date): ImageBackoff {
  return nextBackoff(
    wanted.backoff,
    {
      failed: mirrored.failedRequests,
      succeeded: mirrored.succeeded,
      inFeed: mirrored.identities,
      config: wanted.rules,
    },
    now,
  );
}

async function saveBackoff(log: Logger, file: string, before: ImageBackoff, after: ImageBackoff): Promise<void> {
  if (before.size === 0 && after.size === 0) return;
  try {
    await saveImageFailures(file, after);
  } catch (error) {
    // Without it the next run tries the missing images again: a request each, nothing worse.
    log.warn({ file, reason: describeError(error) }, 'could not save the failure records of downloads');
  }
}
