import type { ImageRecord } from '../images/manifest.js';
import { serializeManifest, type ImageManifest } from '../images/manifest.js';

export type ImageChange =
  /** `staged`: where the downloaded bytes wait to be moved into place. */
  | { kind: 'create' | 'update'; relPath: string; staged: string; size: number }
  | { kind: 'delete'; relPath: string; size: number };

export interface ImagePlanInput {
  /** The images folder, relative to the site dir. */
  relDir: string;
  downloaded: ReadonlyMap<string, { staged: string; record: ImageRecord }>;
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
 * Pure: which image files to write and remove. A downloaded image whose bytes are already on
 * disk is not written again. Only images the manifest lists (the tool wrote them) are removed,
 * and only when no post points to them any more.
 */
export function planImages(input: ImagePlanInput): ImagePlan {
  const changes: ImageChange[] = [];
  const rel = (name: string) => `${input.relDir}/${name}`;
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
  const files: Record<string, ImageRecord> = {};
  for (const [name, record] of Object.entries(input.after.files)) {
    if (input.referenced.has(name) || !input.removeOrphans) files[name] = record;
  }
  if (input.removeOrphans) {
    const known = new Set([...Object.keys(input.before.files), ...Object.keys(input.after.files)]);
    // Stryker disable next-line MethodExpression: the changes are sorted by path below
    for (const name of [...known].sort()) {
      if (input.referenced.has(name) || !input.present.has(name)) continue;
      const size = input.before.files[name]?.bytes ?? input.after.files[name]?.bytes ?? 0;
      changes.push({ kind: 'delete', relPath: rel(name), size });
    }
  }
  changes.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  const text =
    Object.keys(files).length === 0 && input.manifestBefore === undefined ? undefined : serializeManifest({ files });
  return {
    changes,
    manifest: { files },
    ...(text !== undefined && text !== input.manifestBefore ? { manifestText: text } : {}),
  };
}

/**
 * Pure: the manifest after a run in which the changes at `notDone` paths were not made (a
 * failed write, a failed removal): it lists exactly the images on disk that are the tool's.
 * Undefined when the planned text stands, or when nothing is to be written.
 */
export function manifestAfterFailures(
  plan: ImagePlan,
  before: ImageManifest,
  manifestBefore: string | undefined,
  notDone: ReadonlySet<string>,
): string | undefined {
  const missed = plan.changes.filter((c) => notDone.has(c.relPath));
  if (missed.length === 0) return plan.manifestText;
  const files: Record<string, ImageRecord> = { ...plan.manifest.files };
  for (const change of missed) {
    const name = change.relPath.slice(change.relPath.lastIndexOf('/') + 1);
    // What is on disk is what was there before: the old record, or none.
    const old = before.files[name];
    if (old) files[name] = old;
    else delete files[name];
  }
  const text = serializeManifest({ files });
  return text === manifestBefore ? undefined : text;
}
