import type { ImageRecord } from '../images/manifest.js';
import { serializeManifest, type ImageManifest } from '../images/manifest.js';

export type ImageChange =
  /** `staged`: where the downloaded bytes wait to be moved into place. */
  | { kind: 'create' | 'update'; relPath: string; staged: string; size: number }
  /**
   * An image on disk given a new name (its post was renamed), never fetched again: a copy of
   * `from`, staged, is moved into place before any post points to it. `move`: `from` is then
   * removed, after the posts (no post needs it any more); `copy`: `from` stays (a post still
   * points to it, or deletions: keep).
   */
  | { kind: 'move' | 'copy'; relPath: string; from: string; staged: string; size: number; post?: string }
  | { kind: 'delete'; relPath: string; size: number };

export interface ImagePlanInput {
  /** The images folder, relative to the site dir. */
  relDir: string;
  downloaded: ReadonlyMap<string, { staged: string; record: ImageRecord }>;
  /** Images given a new name: new name -> the name on disk whose bytes it takes, and where the copy is staged. */
  /** Image name -> the name it had, its staged copy, and the post (relative path) that points at it once written. */
  moved?: ReadonlyMap<string, { from: string; staged: string; post?: string }>;
  /** The manifest before this run and the one the mirror ended with. */
  before: ImageManifest;
  after: ImageManifest;
  /** Files now in the folder: name -> sha256 of the bytes, where known (files downloaded again), else null. */
  present: ReadonlyMap<string, string | null>;
  /** Names some post's featuredImage points to after this run. */
  referenced: ReadonlySet<string>;
  /** With `deletions: keep`, no image is removed. */
  removeOrphans: boolean;
  manifestRelPath: string;
  manifestBefore: string | undefined;
}

export interface ImagePlan {
  changes: ImageChange[];
  /** The manifest once every change is made. */
  manifest: ImageManifest;
  /** The manifest's new text, when it changes. */
  manifestText?: string;
  /**
   * With moves: the manifest to write as the moved images are put in place, before any post or
   * old name changes: the one before this run plus the new names. A run killed before the final
   * manifest then still knows both names as the tool's: no image is lost, none is left behind.
   */
  interimManifestText?: string;
}

/**
 * Pure: the image names (under `urlPrefix`) some post points to after this run: every post
 * the run writes, and the posts it leaves alone (locked ones, and with `deletions: keep` the
 * kept posts of vanished items) keep the images they point to.
 */
export function referencedImages(urlPrefix: string, featuredImages: Iterable<unknown>): Set<string> {
  const prefix = `${urlPrefix.replace(/\/+$/, '')}/`;
  const referenced = new Set<string>();
  for (const value of featuredImages) {
    if (typeof value === 'string' && value.startsWith(prefix)) referenced.add(value.slice(prefix.length));
  }
  return referenced;
}

/**
 * Pure: which image files to write, move and remove. A downloaded image whose bytes are already
 * on disk is not written again. Only images the manifest lists (the tool wrote them) are removed,
 * and only when no post points to them any more.
 */
export function planImages(input: ImagePlanInput): ImagePlan {
  const rel = (name: string) => `${input.relDir}/${name}`;
  const changes: ImageChange[] = [...downloadChanges(input, rel)];
  const moves = moveChanges(input, rel);
  changes.push(...moves);
  const files: Record<string, ImageRecord> = {};
  for (const [name, record] of Object.entries(input.after.files)) {
    if (input.referenced.has(name) || !input.removeOrphans) files[name] = record;
  }
  if (input.removeOrphans) {
    const movedAway = new Set(moves.filter((m) => m.kind === 'move').map((m) => m.from));
    const known = new Set([...Object.keys(input.before.files), ...Object.keys(input.after.files)]);
    for (const name of [...known].sort()) {
      if (input.referenced.has(name) || !input.present.has(name) || movedAway.has(rel(name))) continue;
      const size = input.before.files[name]?.bytes ?? input.after.files[name]?.bytes ?? 0;
      changes.push({ kind: 'delete', relPath: rel(name), size });
    }
  }
  changes.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  const text =
    Object.keys(files).length === 0 && input.manifestBefore === undefined ? undefined : serializeManifest({ files });
  const interim = interimManifest(input, moves);
  return {
    changes,
    manifest: { files },
    ...(text !== undefined && text !== input.manifestBefore ? { manifestText: text } : {}),
    ...(interim !== undefined && interim !== input.manifestBefore ? { interimManifestText: interim } : {}),
  };
}

function downloadChanges(input: ImagePlanInput, rel: (name: string) => string): ImageChange[] {
  const changes: ImageChange[] = [];
  for (const [name, { staged, record }] of input.downloaded) {
    if (!input.referenced.has(name)) continue;
    const existing = input.present.get(name);
    if (existing === record.sha256) continue;
    changes.push({
      kind: input.present.has(name) ? 'update' : 'create',
      relPath: rel(name),
      staged,
      size: record.bytes,
    });
  }
  return changes;
}

/** A moved image's old name goes when no post points to it (the first move of it removes it; others copy). */
function moveChanges(input: ImagePlanInput, rel: (name: string) => string): Extract<ImageChange, { from: string }>[] {
  const changes: Extract<ImageChange, { from: string }>[] = [];
  const removed = new Set<string>();
  for (const [name, { from, staged, post }] of [...(input.moved ?? [])].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const record = input.after.files[name];
    if (!input.referenced.has(name) || record === undefined) continue;
    const removes = input.removeOrphans && !input.referenced.has(from) && !removed.has(from);
    if (removes) removed.add(from);
    const change = {
      kind: removes ? 'move' : 'copy',
      relPath: rel(name),
      from: rel(from),
      staged,
      size: record.bytes,
    } as const;
    changes.push(post === undefined ? change : { ...change, post });
  }
  return changes;
}

function interimManifest(
  input: ImagePlanInput,
  moves: readonly { kind: string; relPath: string }[],
): string | undefined {
  if (!moves.some((m) => m.kind === 'move')) return undefined;
  const files: Record<string, ImageRecord> = { ...input.before.files };
  for (const move of moves) {
    const name = move.relPath.slice(move.relPath.lastIndexOf('/') + 1);
    files[name] = input.after.files[name] as ImageRecord;
  }
  return serializeManifest({ files });
}

/**
 * Pure: the manifest after a run in which the changes at `notDone` paths were not made (a
 * failed write, a failed removal): it lists exactly the images on disk that are the tool's.
 * A move whose new name was not written did not remove its old one either.
 * Undefined when the planned text stands, or when nothing is to be written.
 */
export function manifestAfterFailures(
  plan: ImagePlan,
  before: ImageManifest,
  manifestBefore: string | undefined,
  notDone: ReadonlySet<string>,
): string | undefined {
  const missed = new Set<string>();
  for (const change of plan.changes) {
    if (notDone.has(change.relPath)) missed.add(change.relPath);
    // The old name stays while the new one, or the post that was to point at it, could not be written.
    const kept = (path: string | undefined) => path !== undefined && notDone.has(path);
    if (change.kind === 'move' && [change.relPath, change.from, change.post].some(kept)) missed.add(change.from);
  }
  if (missed.size === 0) return plan.manifestText;
  const files: Record<string, ImageRecord> = { ...plan.manifest.files };
  for (const relPath of missed) {
    const name = relPath.slice(relPath.lastIndexOf('/') + 1);
    // What is on disk is what was there before: the old record, or none.
    const old = before.files[name];
    if (old) files[name] = old;
    else delete files[name];
  }
  const text = serializeManifest({ files });
  return text === manifestBefore ? undefined : text;
}
