import { bodyHash } from '../state/bodies.js';
import type { ExistingFile } from './read.js';

/** A file that claims an item (its `dropmark.editURL`) whose file is another one: a copy, left alone. */
export interface Duplicate {
  /** The copy, relative to siteDir. */
  file: string;
  itemId: string;
  /** The item's file: the one the tool wrote and keeps updating. */
  toolFile: string;
  /** The item is no longer in the feed: both files stay while both claim it. */
  itemGone?: boolean;
}

/** What tells the tool's file from a copy, besides the files themselves. */
export interface ClaimHints {
  /** Whether a file has the name the item's title gives it now (a sync knows it from the feed). */
  fitsName?: (file: ExistingFile) => boolean;
  /** The hash of the item's body as the tool last wrote it (state/bodies.ts). */
  recordedHash?: string | undefined;
}

/**
 * Of several files that claim one item, the one the tool wrote. No state records the file of
 * an item (the body hashes are keyed by item id, and a file is found by the id in it), so each
 * step keeps the files that look like what the tool wrote, and is passed over when none does:
 * 1. the file whose body hashes to the recorded one (the tool's body; a copy is usually edited);
 * 2. the file at the name the item's title gives it (the name the tool made; a copy has another,
 *    unless a person named it after a new title while the tool's file kept the old name);
 * 3. the first by name, so that every run picks the same one (`validate`, which has no feed,
 *    names no file as the tool's when step 1 leaves more than one).
 */
export function toolFileOf(files: readonly ExistingFile[], hints: ClaimHints): ExistingFile {
  return likelyToolFiles(files, hints)[0] as ExistingFile;
}

/** The files that pass steps 1 and 2 of `toolFileOf`, in name order: more than one when the hints cannot tell. */
export function likelyToolFiles(files: readonly ExistingFile[], hints: ClaimHints): ExistingFile[] {
  let left = [...files].sort((a, b) => byName(a.name, b.name));
  const narrow = (keep: (file: ExistingFile) => boolean) => {
    const kept = left.filter(keep);
    if (kept.length > 0) left = kept;
  };
  const { fitsName, recordedHash } = hints;
  if (recordedHash !== undefined) narrow((f) => f.body !== undefined && bodyHash(f.body) === recordedHash);
  if (fitsName) narrow(fitsName);
  return left;
}

/**
 * Pure: the files the tool owns by item id, one each (the tool's file of an item several files
 * claim, by `toolFileOf`), and the other claimants as duplicates, in name order.
 */
export function splitClaims(
  files: readonly ExistingFile[],
  hintsFor: (id: string) => ClaimHints,
): { byId: Map<string, ExistingFile>; duplicates: Duplicate[] } {
  const groups = new Map<string, ExistingFile[]>();
  for (const file of files) if (file.id !== undefined) groups.set(file.id, [...(groups.get(file.id) ?? []), file]);
  const byId = new Map<string, ExistingFile>();
  const duplicates: Duplicate[] = [];
  for (const [id, group] of groups) {
    const tool = group.length === 1 ? (group[0] as ExistingFile) : toolFileOf(group, hintsFor(id));
    byId.set(id, tool);
    for (const file of group)
      if (file !== tool) duplicates.push({ file: file.relPath, itemId: id, toolFile: tool.relPath });
  }
  duplicates.sort((a, b) => byName(a.file, b.file));
  return { byId, duplicates };
}

/** What to do about a copy that is meant to stay. */
export const COPY_HINT = 'Remove its dropmark.editURL line if it is a copy meant to stay';

/** One line naming a duplicate and what the sync did with it, for the summary. */
export function duplicateText(d: Duplicate): string {
  const gone = d.itemGone ? ', an item no longer in the feed; both left alone' : '; left alone';
  return `${d.file} claims item ${d.itemId} like ${d.toolFile}${gone}. ${COPY_HINT}`;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
