import type { Staging } from '../fs/staging.js';
import { SyncRefusedError } from '../errors.js';
import type { FeedItem, ParsedFeed } from '../feed/parse.js';
import { stackLayout, type StackLayout } from '../map/stacks.js';
import { plan, type Plan } from '../plan/post-plan.js';
import {
  isReference,
  managedKeys,
  rendersWithKramdown,
  runsShortcodes,
  type ProfileName,
} from '../frontmatter/profiles.js';
import type { MapContext } from '../map/item.js';
import { collectionFingerprint } from '../site/fingerprint.js';
import { partialFeedMessage, type CollectionSummary, type PartialFeed } from '../summary.js';
import { applyPass, dryRunOutcome } from './apply-stage.js';
import { announceFeed, definedValidators, remember, type FetchedCollection } from './feed-stage.js';
import { mirrorStage, planImageStage, type MirroredImages } from './image-stage.js';
import { fileTarget, imageTarget, localCopies } from './mirror-targets.js';
import type { CollectionPass } from './pass.js';
import { renderPosts, type RenderedPosts } from './render-posts.js';
import { indexSite, type SiteIndex } from './site-index.js';
import { readBodies, stateFileChanges, type RecordedBodies } from './state-files.js';
import { keptKeysMessage } from '../summary.js';
import { summarizePass } from './summarize-pass.js';
import type { CollectionContext } from './types.js';

type ChangedFeed = Extract<FetchedCollection, { kind: 'changed' }>;

/** The items that are posts, and (mode list) each stack's items, which its post lists. */
interface PostFeed {
  feed: ParsedFeed;
  children: ReadonlyMap<string, readonly FeedItem[]>;
}

/**
 * A feed that changed (parsed already): its posts (stacks) -> index the site -> mirror images -> render
 * posts -> plan posts and images -> state files -> apply (or not, in a dry run) -> summarize -> remember. Throws
 * what the collection's pass cannot survive; syncCollection turns it into the summary.
 */
export async function fullPass(collectionCtx: CollectionContext, fetched: ChangedFeed): Promise<CollectionSummary> {
  // Downloads are staged until the apply step moves them into place; the rest is removed here.
  const resources: { stagings: Staging[] } = { stagings: [] };
  try {
    const { feed } = fetched;
    announceFeed(collectionCtx, feed);
    const partial = collectionCtx.options.allowPartialFeed ? undefined : partialFeed(feed);
    const ctx = partial ? deletingNothing(collectionCtx, partial) : collectionCtx;
    const layout = stackLayout(feed.items, ctx.collection.stacks);
    const stacks = postsOf(feed, layout, partial !== undefined);
    const recorded = await readBodies(ctx);
    const index = await indexSite(ctx, stacks.feed, recorded.hashes);
    // The whole layout: a list-mode stack's items have no post, but its post shows their images and files.
    const images = await mirrorStage(ctx, imageTarget(ctx), { stacks: layout, index }, resources);
    const files = await mirrorStage(ctx, fileTarget(ctx), { stacks: layout, index }, resources);
    const pass = await planPass(ctx, { feed, stacks, index, recorded }, { images, files });
    const summary = summarizePass(ctx, pass, ctx.options.dryRun ? dryRunOutcome(pass) : await applyPass(ctx, pass));
    if (partial) summary.partialFeed = partial;
    if (ctx.options.dryRun) return summary;
    // A partial answer is no state to build on: the next poll reads the feed again, and deletes once it is whole.
    const complete = (summary.result === 'ok' || summary.result === 'degraded') && !partial;
    if (complete) await rememberPass(ctx, fetched, pass, summary);
    return summary;
  } finally {
    for (const staging of resources.stagings)
      await staging
        .close()
        .catch((error: unknown) => collectionCtx.log.warn({ err: error }, 'could not remove staged downloads'));
  }
}

/** The counts of a feed that lists fewer items than its collection holds (`items_total_count`), else undefined. */
export function partialFeed(feed: ParsedFeed): PartialFeed | undefined {
  const listed = feed.items.length;
  return feed.totalCount !== undefined && feed.totalCount > listed ? { listed, total: feed.totalCount } : undefined;
}

/**
 * The pass of a partial feed runs as with `deletions: keep`: posts and images of the items it does
 * not list stay (the missing ones may still be in Dropmark), what it lists is written.
 */
function deletingNothing(ctx: CollectionContext, partial: PartialFeed): CollectionContext {
  ctx.log.warn({ endpoint: ctx.feedUrl, ...partial }, partialFeedMessage(partial));
  return { ...ctx, collection: { ...ctx.collection, deletions: 'keep' } };
}

/**
 * The feed as its posts (map/stacks.ts): in mode list a stack's items are in its post and have no
 * file of their own (an earlier one goes as a vanished item's does); in mode flatten a stack has none.
 * `feed` stays the whole feed: what it counts and hashes is Dropmark's.
 */
function postsOf(feed: ParsedFeed, layout: StackLayout, partial: boolean): PostFeed {
  if (!partial) return { feed: { ...feed, items: layout.posts }, children: layout.children };
  // Which items a stack holds cannot be told from a partial answer: stacks, and items whose stack it does not list,
  // keep their files as they are (a partial pass deletes nothing) until the feed is whole again.
  const listed = new Set(feed.items.map((i) => i.id));
  const held = (i: FeedItem) => i.kind === 'stack' || (i.parentId !== null && !listed.has(i.parentId));
  return { feed: { ...feed, items: layout.posts.filter((i) => !held(i)) }, children: new Map() };
}

/** From the indexed site and the mirrored images to everything the apply step needs: posts, plans, state files. */
async function planPass(
  ctx: CollectionContext,
  { feed, stacks, index, recorded }: { feed: ParsedFeed; stacks: PostFeed; index: SiteIndex; recorded: RecordedBodies },
  { images, files }: { images: MirroredImages | undefined; files: MirroredImages | undefined },
): Promise<CollectionPass> {
  const posts = renderPosts({
    feed: stacks.feed,
    stacks: stacks.children,
    index,
    map: mapContext(ctx, index.layout.shape.profile),
    featuredImage: images?.mirrored.featuredImage,
    localFiles: localCopies(feed.items, images?.mirrored, files?.mirrored),
    recordedBodies: recorded.hashes,
    contentDir: ctx.contentDir,
    deletions: ctx.collection.deletions,
  });
  for (const w of posts.warnings) ctx.log.warn({ itemId: w.itemId }, w.message);
  for (const f of posts.failures) ctx.log.debug({ itemId: f.itemId, ...(f.file ? { file: f.file } : {}) }, f.reason);
  for (const k of posts.keptKeys) ctx.log.warn({ file: k.file, keys: k.keys }, keptKeysMessage(k));
  const postPlan = planPosts(ctx, posts, index, stacks.feed.items.length);
  const imagePlan = await planImageStage(ctx, images, index, posts.keepIds);
  const filePlan = await planImageStage(ctx, files, index, posts.keepIds);
  const stateInputs = {
    wanted: posts.wanted,
    bodies: posts.bodies,
    recorded,
    imagePlan,
    manifestBefore: images?.manifestBefore ?? { files: {} },
    manifestPath: ctx.manifestPath,
    manifestBeforeText: images?.dirState.manifestText,
    ...(files
      ? {
          fileManifest: {
            plan: filePlan,
            before: files.manifestBefore,
            path: ctx.fileManifestPath,
            beforeText: files.dirState.manifestText,
          },
        }
      : {}),
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
  const stateFiles = stateFileChanges(stateInputs);
  return { feed, index, images, files, recorded, posts, postPlan, imagePlan, filePlan, stateInputs, stateFiles };
}

/** How items are mapped for the collection's profile: its generator's Markdown, templates and keys. */
function mapContext(ctx: CollectionContext, profile: ProfileName): MapContext {
  return {
    feedUrl: ctx.feedUrl,
    imageMode: ctx.collection.images.mode,
    now: ctx.deps.now(),
    kramdown: rendersWithKramdown(profile),
    shortcodes: runsShortcodes(profile),
    generatorProfile: !isReference(profile),
  };
}

/** The posts' plan; a plan that must not be applied (a mass deletion) refuses the whole collection. */
function planPosts(ctx: CollectionContext, posts: RenderedPosts, index: SiteIndex, feedItemCount: number): Plan {
  const planned = plan(posts.wanted, index.site.files, {
    deletions: ctx.collection.deletions,
    allowMassDelete: ctx.options.allowMassDelete ?? false,
    feedItemCount,
    keepIds: posts.keepIds,
    copies: new Set(index.duplicates.map((d) => d.file)),
    leftovers: new Map([...index.leftovers].map(([id, f]) => [id, f.relPath])),
  });
  if (planned.refusal) throw new SyncRefusedError(`${ctx.feedUrl}: refused: ${planned.refusal}. Nothing was changed`);
  for (const u of planned.unreadable ?? []) ctx.log.warn({ file: u.relPath }, `${u.relPath}: ${u.reason}; left alone`);
  return planned;
}

/** Only a complete pass may let the next poll skip work (a degraded one until its images are due again). */
async function rememberPass(
  ctx: CollectionContext,
  fetched: ChangedFeed,
  pass: CollectionPass,
  summary: CollectionSummary,
): Promise<void> {
  const wantedIds = new Set(pass.posts.wanted.map((w) => w.id));
  const missing = summary.imageFailures.map(({ itemId, title, reason }) => ({
    itemId: itemId ?? '',
    ...(title ? { title } : {}),
    reason,
  }));
  await remember(ctx, {
    key: ctx.key,
    ...definedValidators(fetched.validators),
    feedHash: fetched.hash,
    siteFingerprint: await collectionFingerprint(ctx.config.siteDir, ctx.collection, {
      env: ctx.deps.env,
      logger: ctx.log,
    }),
    // What a full pass of the same feed on this site would count: locked files it would change stay skipped.
    files: pass.posts.wanted.length - pass.postPlan.skipped.filter((f) => wantedIds.has(f.id)).length,
    skipped: pass.postPlan.skipped.length,
    ...(missing.length > 0 ? { imagesMissing: missing } : {}),
    ...(missing.length > 0 && retryAt(pass) ? { retryImagesAt: retryAt(pass) } : {}),
    ...(summary.duplicates ? { duplicates: summary.duplicates } : {}),
    savedAt: ctx.deps.now().toISOString(),
  });
}

/** When the first missing image or file may be tried again. */
function retryAt(pass: CollectionPass): string | undefined {
  const times = [pass.images?.retryAt, pass.files?.retryAt].filter((t): t is string => t !== undefined);
  return times.sort()[0];
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
