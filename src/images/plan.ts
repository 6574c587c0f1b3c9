import type { ImageRecord } from './manifest.js';
import { serializeManifest, type ImageManifest } from './manifest.js';

export type ImageChange =
  | { kind: 'create' | 'update'; relPath: string; bytes: Buffer; size: number }
  | { kind: 'delete'; relPath: string; size: number };

export interface ImagePlanInput {
  /** The images folder, relative to the site dir. */
  relDir: string;
  downloaded: ReadonlyMap<string, { bytes: Buffer; record: ImageRecord }>;
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
  /** The manifest's new text, when it changes. */
  manifestText?: string;
}

/**
 * Pure: which image files to write and remove. A downloaded image whose bytes are already on
 * disk is not written again. Only images the manifest lists (the tool wrote them) are removed,
 * and only when no post points to them any more.
 */
export function planImages(input: ImagePlanInput): ImagePlan {
  const changes: ImageChange[] = [];
  const rel = (name: string) => `${input.relDir}/${name}`;
  for (const [name, { bytes, record }] of input.downloaded) {
    if (!input.referenced.has(name)) continue;
    const existing = input.present.get(name);
    if (existing === record.sha256) continue;
    changes.push({ kind: input.present.has(name) ? 'update' : 'create', relPath: rel(name), bytes, size: bytes.length });
  }
  const files: Record<string, ImageRecord> = {};
  for (const [name, record] of Object.entries(input.after.files)) {
    if (input.referenced.has(name) || !input.removeOrphans) files[name] = record;
  }
  if (input.removeOrphans) {
    const known = new Set([...Object.keys(input.before.files), ...Object.keys(input.after.files)]);
    for (const name of [...known].sort()) {
      if (input.referenced.has(name) || !input.present.has(name)) continue;
      const size = input.before.files[name]?.bytes ?? input.after.files[name]?.bytes ?? 0;
      changes.push({ kind: 'delete', relPath: rel(name), size });
    }
  }
  changes.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  const text = Object.keys(files).length === 0 && input.manifestBefore === undefined ? undefined : serializeManifest({ files });
  return { changes, ...(text !== undefined && text !== input.manifestBefore ? { manifestText: text } : {}) };
}
