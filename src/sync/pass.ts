import type { ParsedFeed } from '../feed/parse.js';
import type { ImagePlan } from '../plan/image-plan.js';
import type { Plan } from '../plan/post-plan.js';
import type { TextFileChange } from '../summary.js';
import type { MirroredImages } from './image-stage.js';
import type { RenderedPosts } from './render-posts.js';
import type { SiteIndex } from './site-index.js';
import type { RecordedBodies, StateInputs } from './state-files.js';

/** Everything one full pass of a collection worked out before it writes: what the stages hand on. */
export interface CollectionPass {
  feed: ParsedFeed;
  index: SiteIndex;
  images: MirroredImages | undefined;
  /** The uploaded files (files.mode local), mirrored like the images. */
  files: MirroredImages | undefined;
  recorded: RecordedBodies;
  posts: RenderedPosts;
  postPlan: Plan;
  imagePlan: ImagePlan;
  filePlan: ImagePlan;
  stateInputs: StateInputs;
  /** The state files as they would be if every planned change were made. */
  stateFiles: TextFileChange[];
}
