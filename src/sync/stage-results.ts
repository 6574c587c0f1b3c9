import type { FeedItem, ParsedFeed } from '../feed/parse.js';
import type { ImageBackoff } from '../images/backoff.js';
import type { MirrorInput, MirrorPlan, MirrorResult } from '../images/mirror-plan.js';
import type { ImageMode } from '../map/item.js';
import type { ImagePlan } from '../plan/image-plan.js';
import type { Plan } from '../plan/post-plan.js';
import type { TextFileChange } from '../summary.js';
import type { FolderRead } from './read-stage.js';
import type { StateInputs } from './state-files.js';

// What the stages of one full pass take and hand on (full-pass.ts): read (read-stage.ts: PassRead) ->
// plan downloads (download-plan.ts: DownloadPlan) -> download (download-stage.ts: MirroredFolder) ->
// render (render-posts.ts: RenderedPosts) -> plan (plan-stage.ts: PassPlan) -> apply (apply-stage.ts) -> summarize.

/** The items that are posts, and (mode list) each stack's items, which its post lists. */
export interface PostFeed {
  feed: ParsedFeed;
  children: ReadonlyMap<string, readonly FeedItem[]>;
}

/** What the pure stages read of the collection's settings. */
export interface PlanSettings {
  /** The feed URL without key or password. */
  feedUrl: string;
  /** The content folder, relative to siteDir, with `/`. */
  contentDir: string;
  imageMode: ImageMode;
  /** The images' manifest (images.manifest), relative to siteDir: a state file whatever the images mode. */
  manifestPath: string;
  deletions: 'delete' | 'keep';
  allowMassDelete: boolean;
  /** The sync's clock. */
  now: Date;
}

/** One download folder's plan: the mirror's input, what it settles without a request, and what is due. */
export interface DownloadPlan {
  folder: FolderRead;
  input: MirrorInput;
  plan: MirrorPlan;
  /** The failed downloads' records that count under today's config (the others wait for nothing). */
  backoff: ImageBackoff;
  /** Today's config rules for downloads, as the records note them (images/refusal.ts). */
  rules: string;
}

/** One download folder once its downloads are staged (a dry run's: the plan alone, nothing fetched). */
export interface MirroredFolder {
  folder: FolderRead;
  mirrored: MirrorResult;
  /** Images taken to a renamed post's new name: new name -> the old one, its staged copy, and that post. */
  moves: Map<string, { from: string; staged: string; post: string }>;
  /** sha256 of each file on disk that a download would replace (the others need no reading). */
  replaced: ReadonlyMap<string, string>;
  /** When the first missing download may be tried again. */
  retryAt: string | undefined;
}

/** Everything the apply step makes, as the plan stage worked it out. */
export interface PassPlan {
  postPlan: Plan;
  imagePlan: ImagePlan;
  /** The uploaded files (files.mode local), planned like the images. */
  filePlan: ImagePlan;
  stateInputs: StateInputs;
  /** The state files as they would be if every planned change were made. */
  stateFiles: TextFileChange[];
  /** Temp files of an interrupted run that the read stage found (content and download folders). */
  strays: string[];
  /** The journal of renames as the read stage found it (state/renames.ts). */
  journal: { file: string; text: string | undefined };
}
