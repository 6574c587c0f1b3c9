import { SyncRefusedError } from '../errors.js';
import { managedKeys } from '../frontmatter/profiles.js';
import { planImages, referencedImages, type ImagePlan } from '../plan/image-plan.js';
import { plan, type Plan } from '../plan/post-plan.js';
import type { MirroredFolder, PassPlan, PlanSettings } from './stage-results.js';
import type { PassRead } from './read-stage.js';
import type { RenderedPosts } from './render-posts.js';
import type { SiteIndex } from './index-files.js';
import { stateFileChanges, type StateInputs } from './state-files.js';

// The plan stage of a full pass, pure: every change the apply step makes, after the downloads and the rendering (a
// post names its image, whose extension the downloaded bytes decide; a failed download keeps the previous image).

/**
 * Pure: from the read site, the downloads and the rendered posts to everything the apply step
 * makes: the posts' plan, the downloads' moves and removals, the state files. Throws
 * SyncRefusedError for a plan that must not be applied (a mass deletion).
 */
export function planStage(
  settings: PlanSettings,
  { read, posts, postCount }: { read: PassRead; posts: RenderedPosts; postCount: number },
  { images, files }: { images: MirroredFolder | undefined; files: MirroredFolder | undefined },
): PassPlan {
  const { index } = read;
  const postPlan = planPosts(settings, posts, index, postCount);
  const imagePlan = planDownloadFiles(images, index, settings.deletions, posts.keepIds);
  const filePlan = planDownloadFiles(files, index, settings.deletions, posts.keepIds);
  const stateInputs: StateInputs = {
    wanted: posts.wanted,
    bodies: posts.bodies,
    recorded: read.recorded,
    imagePlan,
    manifestBefore: images?.folder.manifestBefore ?? { files: {} },
    manifestPath: settings.manifestPath,
    manifestBeforeText: images?.folder.dirState.manifestText,
    ...(files ? { fileManifest: fileManifestState(files, filePlan) } : {}),
    record: {
      file: index.keysRecord.file,
      before: index.keysRecord.text,
      current: {
        fileName: index.layout.shape.fileName,
        keys: managedKeys(index.layout.shape),
        kept: Object.fromEntries(posts.personal),
      },
      // Files left as they are (failed, locked, kept after their item went) still carry the earlier keys.
      everyFile: everyOwnedFileRewritten(index, posts, postPlan),
    },
  };
  const strays = [...index.site.strayTempFiles, ...(images?.folder.strays ?? []), ...(files?.folder.strays ?? [])];
  const stateFiles = stateFileChanges(stateInputs);
  return { postPlan, imagePlan, filePlan, stateInputs, stateFiles, strays, journal: index.renames };
}

function fileManifestState(files: MirroredFolder, filePlan: ImagePlan): NonNullable<StateInputs['fileManifest']> {
  return {
    plan: filePlan,
    before: files.folder.manifestBefore,
    path: files.folder.target.manifestPath,
    beforeText: files.folder.dirState.manifestText,
  };
}

/** The posts' plan; a plan that must not be applied (a mass deletion) refuses the whole collection. */
function planPosts(settings: PlanSettings, posts: RenderedPosts, index: SiteIndex, feedItemCount: number): Plan {
  const planned = plan(posts.wanted, index.site.files, {
    deletions: settings.deletions,
    allowMassDelete: settings.allowMassDelete,
    feedItemCount,
    keepIds: posts.keepIds,
    copies: new Set(index.duplicates.map((d) => d.file)),
    leftovers: new Map([...index.leftovers].map(([id, f]) => [id, f.relPath])),
  });
  if (planned.refusal)
    throw new SyncRefusedError(`${settings.feedUrl}: refused: ${planned.refusal}. Nothing was changed`);
  return planned;
}

/**
 * Pure: which downloaded files to move into place and remove, and the manifest after; nothing
 * outside mode local. `failedIds`: items whose posts stay as they are this run (they keep their images).
 */
export function planDownloadFiles(
  folder: MirroredFolder | undefined,
  index: Pick<SiteIndex, 'site' | 'feedIds'>,
  deletions: 'delete' | 'keep',
  failedIds: ReadonlySet<string>,
): ImagePlan {
  if (!folder) return { changes: [], manifest: { files: {} } };
  const { mirrored } = folder;
  const { target, dirState, manifestBefore } = folder.folder;
  const keep = deletions === 'keep';
  const untouched = index.site.files.filter(
    (f) => f.locked || (f.id !== undefined && (failedIds.has(f.id) || (keep && !index.feedIds.has(f.id)))),
  );
  const referenced = referencedImages(target.urlPrefix, [
    ...mirrored.featuredImage.values(),
    // Whatever key the profile (or an earlier one) keeps the image under: every top-level value.
    ...untouched.flatMap((f) => Object.values(f.data ?? {})),
  ]);
  return planImages({
    relDir: target.relDir,
    downloaded: mirrored.downloaded,
    moved: folder.moves,
    before: manifestBefore,
    after: mirrored.manifest,
    present: new Map([...dirState.names].map((n) => [n, folder.replaced.get(n) ?? null])),
    referenced,
    removeOrphans: deletions === 'delete',
    manifestRelPath: target.manifestPath,
    manifestBefore: dirState.manifestText,
  });
}

/**
 * Whether this pass gives every owned file the current keys: none failed, locked, or kept after its item went, and no
 * copy of one (left as it is, it may be the item's only file one day).
 */
function everyOwnedFileRewritten(index: SiteIndex, posts: RenderedPosts, postPlan: Plan): boolean {
  if (posts.keepIds.size > 0 || postPlan.skipped.length > 0 || index.duplicates.length > 0) return false;
  const wanted = new Set(posts.wanted.map((w) => w.id));
  return [...index.existingById.keys()].every((id) => wanted.has(id));
}
