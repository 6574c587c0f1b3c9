import type { ImageManifest } from '../images/manifest.js';
import { manifestAfterFailures, type ImagePlan } from '../plan/image-plan.js';
import type { WantedFile } from '../plan/post-plan.js';
import type { TextFileChange } from '../summary.js';
import { serializeBodies } from '../state/bodies.js';
import { nextFrontMatterRecord, type FrontMatterRecord } from '../frontmatter/key-record.js';

/** The committed body hashes beside the content, as they are before the pass. */
export interface RecordedBodies {
  file: string;
  text: string | undefined;
  hashes: Map<string, string>;
}

export interface StateInputs {
  wanted: readonly WantedFile[];
  /** Each item's body hash as the feed gives it now. */
  bodies: ReadonlyMap<string, string>;
  recorded: RecordedBodies;
  imagePlan: ImagePlan;
  manifestBefore: ImageManifest;
  manifestPath: string;
  manifestBeforeText: string | undefined;
  /** The interim manifest, once the apply step wrote it (images moved): the final one is then always written. */
  manifestOnDisk?: string | undefined;
  /** The interim record, once the apply step wrote it (frontmatter/key-record.ts): the final one is compared to it. */
  recordOnDisk?: string | undefined;
  /** The record of the keys and file names written last, those of now, and whether every owned file gets them now. */
  record: { file: string; before: string | undefined; current: FrontMatterRecord; everyFile: boolean };
  /** The uploaded files' manifest (files.mode local), kept by the same rules as the images'. */
  fileManifest?: ManifestState | undefined;
}

/** One manifest of downloads: the plan, the manifest before the run (parsed, and its text), and where it is. */
export interface ManifestState {
  plan: ImagePlan;
  before: ImageManifest;
  path: string;
  beforeText: string | undefined;
  /** The interim manifest, once the apply step wrote it (files moved): the final one is then always written. */
  onDisk?: string | undefined;
}

/**
 * Pure: the state files (body hashes, image manifest) that describe the site once the planned
 * changes not in `notDone` are made: a file that could not be written keeps its old record, so
 * the next run tries it again as an upstream change.
 */
export function stateFileChanges(input: StateInputs, notDone: ReadonlySet<string> = new Set()): TextFileChange[] {
  const bodies = new Map(input.bodies);
  for (const want of input.wanted) {
    if (!notDone.has(want.relPath)) continue;
    const old = input.recorded.hashes.get(want.id);
    if (old === undefined) bodies.delete(want.id);
    else bodies.set(want.id, old);
  }
  const files: TextFileChange[] = [];
  const images: ManifestState = {
    plan: input.imagePlan,
    before: input.manifestBefore,
    path: input.manifestPath,
    beforeText: input.manifestBeforeText,
    onDisk: input.manifestOnDisk,
  };
  for (const manifest of input.fileManifest ? [images, input.fileManifest] : [images]) {
    const change = manifestChange(manifest, notDone);
    if (change) files.push(change);
  }
  const { record } = input;
  const everyFile = record.everyFile && !input.wanted.some((w) => notDone.has(w.relPath));
  const recordText = nextFrontMatterRecord(record.before, record.current, everyFile);
  const recordOnDisk = input.recordOnDisk ?? record.before;
  if (recordText !== undefined && recordText !== recordOnDisk)
    files.push({ relPath: record.file, before: recordOnDisk, after: recordText });
  const bodiesText = serializeBodies(bodies);
  if (bodiesText !== (input.recorded.text ?? '{}\n')) {
    files.push({ relPath: input.recorded.file, before: input.recorded.text, after: bodiesText });
  }
  return files;
}

/** The manifest's change once the planned changes not in `notDone` are made, or undefined when it stays. */
function manifestChange(manifest: ManifestState, notDone: ReadonlySet<string>): TextFileChange | undefined {
  const onDisk = manifest.onDisk ?? manifest.beforeText;
  // Undefined: the manifest before the run stands (which, after an interim one, must be written back).
  const text =
    manifestAfterFailures(manifest.plan, manifest.before, manifest.beforeText, notDone) ??
    (manifest.onDisk === undefined ? undefined : manifest.beforeText);
  return text !== undefined && text !== onDisk ? { relPath: manifest.path, before: onDisk, after: text } : undefined;
}
