import type { FolderRead } from './read-stage.js';
import { currentRecords } from '../images/backoff.js';
import { planMirror, type MirrorInput } from '../images/mirror-plan.js';
import { refusalFingerprint } from '../images/refusal.js';
import type { StackLayout } from '../map/stacks.js';
import type { SiteIndex } from './index-files.js';
import { mirrorRequests } from './mirror-requests.js';
import type { DownloadPlan } from './stage-results.js';

// The first pure stage of a full pass: what to download, before the download stage.

/** Pure: a download folder's plan: the pass's requests (mirror-targets.ts), settled or due under the backoff. */
export function planDownloads(
  folder: FolderRead | undefined,
  { layout, index }: { layout: StackLayout; index: SiteIndex },
  how: { retryImages: boolean; dryRun: boolean; concurrency: number; now: Date },
): DownloadPlan | undefined {
  if (folder === undefined) return undefined;
  const { target, dirState } = folder;
  // A refusal by another config than today's waits for nothing: allowedHosts fixed is tried at once.
  const rules = refusalFingerprint(target.download);
  const backoff = currentRecords(folder.failures, rules);
  const input: MirrorInput = {
    requests: mirrorRequests(layout, index, target.urlOf, target.fallbackOf),
    manifest: folder.manifestBefore,
    present: dirState.names,
    blocked: dirState.blocked,
    urlPrefix: target.urlPrefix,
    concurrency: how.concurrency,
    backoff,
    ignoreBackoff: how.retryImages,
    dryRun: how.dryRun,
    what: target.what,
    ...(target.guessExtension ? { guessExtension: target.guessExtension } : {}),
  };
  return { folder, input, plan: planMirror(input, target.download, how.now.getTime()), backoff, rules };
}
