import { DropmarkSyncError } from '../errors.js';
import type { FeedItem, ParsedFeed } from '../feed/parse.js';
import { toRfc3339Utc } from '../map/dates.js';
import { mapItem, profileMapContext, type ItemAssets, type MapContext } from '../map/item.js';
import { collectionTerms } from '../map/terms.js';
import { slugOfName } from '../map/unique-slugs.js';
import type { Post, PreviousPost } from '../map/post.js';
import type { WantedFile } from '../plan/post-plan.js';
import { NOT_WRITTEN, renderPost } from '../render/post.js';
import { bodiesUnderSameFrontMatter, unreadableFrontMatter } from '../frontmatter/read-front-matter.js';
import type { ExistingFile } from '../site/read.js';
import { textHashOf } from '../text/text-hash.js';
import { bodyHash } from '../state/bodies.js';
import type { ItemFailure } from '../summary.js';
import { isGuardedKey, isReference, managedKeys, slugRuleOf, type FileLayout } from '../frontmatter/profiles.js';
import { fileDate, type IndexedFiles } from './index-files.js';
import { localCopies } from '../images/local-copies.js';
import type { PassRead } from './read-stage.js';
import type { MirroredFolder, PlanSettings, PostFeed } from './stage-results.js';

export interface PostInputs {
  feed: ParsedFeed;
  /** The site index (the record of keys is the state files' business, not the rendering's). */
  index: IndexedFiles;
  map: MapContext;
  /** Mode local: each item's image path after mirroring. */
  featuredImage: ReadonlyMap<string, string> | undefined;
  /** Each upload's file path after mirroring (files.dir), when it was mirrored. */
  localFiles?: ReadonlyMap<string, string> | undefined;
  /** Stacks written as one post (stacks: list): stack id -> its items in their order (map/stacks.ts). */
  stacks?: ReadonlyMap<string, readonly FeedItem[]> | undefined;
  /** Each item's body hash as written last time. */
  recordedBodies: ReadonlyMap<string, string>;
  contentDir: string;
  deletions: 'delete' | 'keep';
}

export interface RenderedPosts {
  wanted: WantedFile[];
  /** Item id -> keys a person holds in its file that the tool's shape writes (or wrote) too: kept as they are. */
  personal: Map<string, string[]>;
  /** Files where such keys are found for the first time: the tool's values for them are not written there. */
  keptKeys: { file: string; keys: string[] }[];
  /** Each item's body hash as the feed gives it now (failed items keep the recorded one). */
  bodies: Map<string, string>;
  /** Items that failed: their files stay as they are. */
  keepIds: Set<string>;
  failures: ItemFailure[];
  /** For the log: values left out of items (an unsafe link) and tags left out or changed (map/terms.ts). */
  warnings: { itemId: string; message: string }[];
  /**
   * Items whose files were held compact (site/read.ts) and that the rendering would change, move, or cannot render
   * without the file's text (a body a person edited, keys of a person's): rendered by renderPending once the pass has
   * read their files whole (sync/file-texts.ts). Empty when every post is settled.
   */
  pending: PendingPost[];
}

/**
 * An item left pending, and where its post, failure, warnings and kept keys go in the lists (their lengths when it
 * was left): renderPending puts them there, so the lists are in the feed's order, as a rendering of whole files has
 * them (the summary and the log tell them in that order).
 */
export interface PendingPost {
  item: FeedItem;
  at: ListMarks;
  /**
   * The item's post as the first rendering mapped it, when it got that far: the second renders it as it is, since it
   * is mapped from the same values (the file's fields are its text's), and mapping (a body's clean-up above all) is
   * the costliest step of a post.
   */
  post?: Post;
}

/** renderOne's answer for an item whose file is held compact and whose post needs the file's text. */
type Pending = { pending: true; post?: Post };

type ListMarks = Record<'wanted' | 'failures' | 'warnings' | 'keptKeys', number>;

const marksOf = (out: RenderedPosts): ListMarks => ({
  wanted: out.wanted.length,
  failures: out.failures.length,
  warnings: out.warnings.length,
  keptKeys: out.keptKeys.length,
});

/**
 * Pure: every item of the feed as the file the tool would write. An item that fails (its
 * owned file unreadable, its values not renderable) keeps its file as it is and its recorded
 * body hash, and is named in `failures`. Tags are settled for the whole collection first
 * (map/terms.ts): one spelling per tag needs every item. An item whose file is held compact and
 * whose post is not that file as it is stays `pending`, and so do the records of the files not
 * rendered: renderPending completes the rendering.
 */
export function renderPosts(input: PostInputs): RenderedPosts {
  const terms = collectionTerms(input.feed.items, !isReference(input.index.layout.shape.profile));
  const out: RenderedPosts = {
    wanted: [],
    personal: new Map(),
    keptKeys: [],
    bodies: new Map(),
    keepIds: new Set(),
    failures: [],
    warnings: [...terms.warnings],
    pending: [],
  };
  for (const item of terms.items) renderItem(input, item, out);
  return out.pending.length > 0 ? out : settled(input, out);
}

/**
 * Pure: the pending posts of a first rendering (`first.pending`), now that the index holds their files whole, and
 * the posts rendered then: the whole rendering, as renderPosts gives it when it holds every file whole.
 */
export function renderPending(input: PostInputs, first: RenderedPosts): RenderedPosts {
  const out: RenderedPosts = {
    wanted: [],
    personal: new Map(first.personal),
    keptKeys: [],
    bodies: new Map(first.bodies),
    keepIds: new Set(first.keepIds),
    failures: [],
    warnings: [],
    pending: [],
  };
  // Each pending item where it was left (PendingPost), after what the first rendering gave before it.
  let done = marksOf(out);
  for (const { item, at, post } of first.pending) {
    copyBetween(first, out, done, at);
    renderItem(input, item, out, post);
    done = at;
  }
  copyBetween(first, out, done, marksOf(first));
  if (out.pending.length > 0)
    throw new Error('a post is still pending after its file was read whole (a bug of the tool)');
  return settled(input, out);
}

/** The entries of the first rendering's lists from `from` up to `to`, onto `out`'s (one by one: a list may be long). */
function copyBetween(first: RenderedPosts, out: RenderedPosts, from: ListMarks, to: ListMarks): void {
  for (let i = from.wanted; i < to.wanted; i++) out.wanted.push(first.wanted[i] as WantedFile);
  for (let i = from.failures; i < to.failures; i++) out.failures.push(first.failures[i] as ItemFailure);
  for (let i = from.warnings; i < to.warnings; i++)
    out.warnings.push(first.warnings[i] as RenderedPosts['warnings'][0]);
  for (let i = from.keptKeys; i < to.keptKeys; i++)
    out.keptKeys.push(first.keptKeys[i] as RenderedPosts['keptKeys'][0]);
}

/** An item as its post, or as a failure, or pending (with its post when it was mapped), into `out`. */
function renderItem(input: PostInputs, item: FeedItem, out: RenderedPosts, mapped?: Post): void {
  const fail = (reason: string, file?: string) => {
    out.keepIds.add(item.id);
    const recorded = input.recordedBodies.get(item.id);
    if (recorded !== undefined) out.bodies.set(item.id, recorded);
    out.failures.push({ itemId: item.id, ...(file ? { file } : {}), reason });
  };
  const failBroken = (broken: { relPath: string; reason: string }) =>
    fail(
      `${broken.relPath}: ${broken.reason}; repair or delete the file, and the next sync updates it`,
      broken.relPath,
    );
  const broken = input.index.brokenById.get(item.id);
  if (broken) return failBroken(broken);
  try {
    const rendered = renderOne(input, item, out, mapped);
    if ('pending' in rendered)
      out.pending.push({ item, at: marksOf(out), ...(rendered.post && { post: rendered.post }) });
    else if ('unreadable' in rendered) failBroken(rendered.unreadable);
    else out.wanted.push(rendered);
  } catch (error) {
    if (!(error instanceof DropmarkSyncError)) throw error;
    fail(error.message);
  }
}

/** The records of the files not rendered this time (failed, locked, kept after their item went). */
function settled(input: PostInputs, out: RenderedPosts): RenderedPosts {
  // Files not rendered this time keep what the record said.
  const rendered = new Set(out.wanted.map((w) => w.id));
  for (const [id, keys] of input.index.layout.personalById)
    if (!rendered.has(id) && input.index.existingById.has(id)) out.personal.set(id, [...keys]);
  // Kept files of vanished items keep their records, so a returning item is still told from a hand edit (and, while
  // a copy claims the item, the tool's file from the copy).
  const claimed = new Set(input.index.duplicates.map((d) => d.itemId));
  for (const [id, hash] of input.recordedBodies) {
    const kept = input.deletions === 'keep' ? input.index.existingById.has(id) : claimed.has(id);
    if (!out.bodies.has(id) && kept) out.bodies.set(id, hash);
  }
  return out;
}

function renderOne(
  input: PostInputs,
  item: FeedItem,
  out: RenderedPosts,
  mapped?: Post,
): WantedFile | { unreadable: { relPath: string; reason: string } } | Pending {
  const name = input.index.slugs.get(item.id) as string;
  const { layout } = input.index;
  const slug = slugOfName(item, name, layout.shape.fileName, slugRuleOf(layout.shape));
  const existing = input.index.existingById.get(item.id);
  const onDisk = existing?.text;
  if (existing !== undefined && onDisk === undefined) return renderCompact(input, item, { name, slug }, out);
  const feedPost =
    mapped ?? mapItem(item, slug, input.map, previousValues(existing, item, layout), assetsOf(input, item));
  const feedBodyHash = bodyHash(feedPost.body);
  // A copy with the body kept: a post the first rendering mapped is the caller's, not changed here.
  const post = { ...feedPost, body: keptBody(existing?.body, feedPost.body, input.recordedBodies.get(item.id)) };
  const own = existing ? personalKeys(existing, layout) : [];
  const text =
    existing && own.length > 0
      ? renderPost(post, withKeys(existing, own), onDisk, { ...layout, personal: new Set(own) })
      : renderPost(post, existing?.extraKeys, onDisk, layout);
  // A file of only the tool's keys was read on the fast path, which reads no values it does not need: before it is
  // changed, it must parse as a whole, or a `tags: [unclosed` a person left would be written over, where the same
  // break beside a hand-added key fails the item. One rule: a broken owned file is left alone and its item fails.
  // (Parsed only when it would change: a no-op pass still parses nothing. Nor when its front matter block is the one
  // rendered, which the read-back check has just read: only its body changes.)
  const unchanged = onDisk !== undefined && text === onDisk;
  const readable = unchanged || (onDisk !== undefined && bodiesUnderSameFrontMatter(onDisk, text) !== undefined);
  const unreadable = onDisk !== undefined && !readable ? unreadableFrontMatter(onDisk) : undefined;
  if (existing && unreadable !== undefined) return { unreadable: { relPath: existing.relPath, reason: unreadable } };
  out.bodies.set(item.id, feedBodyHash);
  for (const message of post.warnings ?? []) out.warnings.push({ itemId: item.id, message });
  if (existing && own.length > 0) notePersonal(out, item.id, existing, own, layout);
  return {
    id: item.id,
    relPath: `${input.contentDir}/${name}.md`,
    // An unchanged post is the file's own text: the rendered copy is garbage at once, so a pass over a large site
    // holds each unchanged text once, not twice (a 100k-post site's texts are ~250 MB).
    text: unchanged ? onDisk : text,
    title: post.fields.title,
    link: post.fields.link,
    editUrl: post.fields['dropmark.editURL'],
  };
}

/**
 * An item whose file is held compact (site/read.ts: only the tool's keys, its text's hash): settled when its post is
 * that file as it is, at the same path; pending (its file to be read whole) when it would change or move, when a
 * killed run's rename left a second file, or when the file may hold a person's keys.
 */
function renderCompact(
  input: PostInputs,
  item: FeedItem,
  { name, slug }: { name: string; slug: string },
  out: RenderedPosts,
): WantedFile | Pending {
  const file = input.index.existingById.get(item.id) as ExistingFile;
  const { layout } = input.index;
  const relPath = `${input.contentDir}/${name}.md`;
  if (relPath !== file.relPath || input.index.leftovers.has(item.id) || mayHoldPersonalKeys(file, layout))
    return { pending: true };
  const post = mapItem(item, slug, input.map, previousValues(file, item, layout), assetsOf(input, item));
  // The feed's body: were the file's another (a person's edit), the text would differ, and the item be pending. No
  // read-back check here: a post that is its file as it is is not written, and a pending one is rendered (and checked)
  // again with the whole file, which decides whether the item fails, as a pass over whole files does.
  const text = renderPost(post, undefined, NOT_WRITTEN, layout);
  if (textHashOf(text) !== file.textHash) return { pending: true, post };
  out.bodies.set(item.id, bodyHash(post.body));
  for (const message of post.warnings ?? []) out.warnings.push({ itemId: item.id, message });
  const fields = { title: post.fields.title, link: post.fields.link, editUrl: post.fields['dropmark.editURL'] };
  return { id: item.id, relPath, unchanged: true, ...fields };
}

/** What was mirrored of an item, and of each item of its stack. */
function assetsOf(input: PostInputs, item: FeedItem): ItemAssets {
  const of = (id: string) => ({ image: input.featuredImage?.get(id), file: input.localFiles?.get(id) });
  const children = input.stacks?.get(item.id);
  if (item.kind !== 'stack' || children === undefined) return of(item.id);
  return { ...of(item.id), stackItems: children.map((child) => ({ item: child, ...of(child.id) })) };
}

/**
 * Keys a person holds in an owned file though the tool's shape writes them (or wrote them
 * last): a key of the shape the tool had not written before (a profile or mapping change brought
 * it), or one the record already says is the person's in this file. The file is parsed only when
 * there can be such keys: in a pass whose shape is the one written last, only for recorded files.
 */
export function personalKeys(file: ExistingFile, layout: FileLayout): string[] {
  if (!mayHoldPersonalKeys(file, layout)) return [];
  const held = layout.personalById.get(file.id ?? '') ?? new Set<string>();
  const fresh = [...layout.managed].filter((k) => !layout.written.has(k));
  const data = file.data ?? {};
  // A file from which every key only the earlier shape wrote is gone was rewritten in this shape by
  // the tool: a run killed before it wrote the record (state files come last) left it so. A person
  // adds a key or two to a file; they do not take the earlier shape's keys out.
  const current = new Set(managedKeys(layout.shape));
  const earlierOnly = [...layout.written].filter((k) => !current.has(k));
  const converted = earlierOnly.length > 0 && earlierOnly.every((k) => !Object.hasOwn(data, k));
  const candidates = converted ? [...held] : [...new Set([...fresh, ...held])];
  return candidates.filter((k) => !isGuardedKey(k) && Object.hasOwn(data, k)).sort();
}

/** Whether a file may hold a person's values of the shape's keys: its record names some, or the shape has new keys. */
function mayHoldPersonalKeys(file: ExistingFile, layout: FileLayout): boolean {
  if ((layout.personalById.get(file.id ?? '')?.size ?? 0) > 0) return true;
  for (const key of layout.managed) if (!layout.written.has(key)) return true;
  return false;
}

/** The file's own keys, with the person's values of `keys` among them. */
function withKeys(file: ExistingFile, keys: readonly string[]): Record<string, unknown> {
  // No prototype: a person's `__proto__` key stays a key.
  const kept = Object.assign(Object.create(null) as Record<string, unknown>, file.extraKeys);
  for (const key of keys) kept[key] = file.data?.[key];
  return kept;
}

/** Remembered for the record; told (the first time) where the shape writes the key now and its value is not written. */
function notePersonal(out: RenderedPosts, id: string, file: ExistingFile, keys: string[], layout: FileLayout): void {
  out.personal.set(id, keys);
  const current = new Set(managedKeys(layout.shape));
  const held = layout.personalById.get(id);
  const news = keys.filter((k) => current.has(k) && !held?.has(k));
  if (news.length > 0) out.keptKeys.push({ file: file.relPath, keys: news });
}

/**
 * The hand-edit rule: when the file's body differs from the feed's, and the feed's body is
 * the one written last time (its hash is the recorded one), a person edited the file, and
 * their body stays. Otherwise the feed's body is written.
 */
export function keptBody(fileBody: string | undefined, feedBody: string, recordedHash: string | undefined): string {
  if (fileBody !== undefined && fileBody !== feedBody && recordedHash === bodyHash(feedBody)) return fileBody;
  return feedBody;
}

function previousValues(file: ExistingFile | undefined, item: FeedItem, layout: FileLayout): PreviousPost | undefined {
  if (!file) return undefined;
  const previous: PreviousPost = {};
  if (file.socialScoreSimulated && file.socialScore !== undefined) previous.socialScore = file.socialScore;
  // The file's date counts only for an item the feed gives none: read (under a renamed key) only then.
  const dated = toRfc3339Utc(item.updatedAt) ?? toRfc3339Utc(item.createdAt);
  // Only a well-formed date is taken over: it is written unquoted.
  const date = dated === undefined ? toRfc3339Utc(fileDate(file, layout)) : undefined;
  if (date !== undefined) previous.date = date;
  return previous;
}

/**
 * Pure: every post as the file the tool would write, with the local copies the downloads gave it; with `first`, the
 * posts it left pending (renderPending), their files now held whole in `read`.
 */
export function renderStage(
  settings: PlanSettings,
  { feed, stacks, read }: { feed: ParsedFeed; stacks: PostFeed; read: PassRead },
  { images, files }: { images: MirroredFolder | undefined; files: MirroredFolder | undefined },
  first?: RenderedPosts,
): RenderedPosts {
  const input: PostInputs = {
    feed: stacks.feed,
    stacks: stacks.children,
    index: read.index,
    map: profileMapContext(read.index.layout.shape.profile, settings),
    featuredImage: images?.mirrored.featuredImage,
    localFiles: localCopies(feed.items, images?.mirrored, files?.mirrored),
    recordedBodies: read.recorded.hashes,
    contentDir: settings.contentDir,
    deletions: settings.deletions,
  };
  return first ? renderPending(input, first) : renderPosts(input);
}
