import type { WantedFile } from '../plan/post-plan.js';
import type { ExistingFile } from '../site/read.js';
import type { SiteIndex } from './index-files.js';

// A pass reads the content folder compact (site/read.ts): a file of only the tool's keys is held as its fields and its
// text's hash, since a large site's texts are most of a pass's memory and most files stay as they are. After the first
// rendering (render-posts.ts), these pure steps say which files the pass needs whole after all, and put them in place
// once read-stage.ts has read them again.

/**
 * Pure: the files held compact whose texts the pass needs: all of them but the files the first rendering found to be
 * their posts as they are. What is left: the files of pending posts (they change or move), of items no longer in the
 * feed (removed or kept), of failed items, and the files claiming an item that is not theirs.
 */
export function textsNeeded(index: SiteIndex, first: { wanted: readonly WantedFile[] }): ExistingFile[] {
  const settled = new Set(first.wanted.filter((w) => 'unchanged' in w).map((w) => w.relPath));
  return index.site.files.filter((f) => f.text === undefined && !settled.has(f.relPath));
}

/** Pure: the index with these files, read whole, in place of their compact ones. */
export function withWholeFiles(index: SiteIndex, whole: readonly ExistingFile[]): SiteIndex {
  if (whole.length === 0) return index;
  const byPath = new Map(whole.map((f) => [f.relPath, f]));
  const swap = (f: ExistingFile) => byPath.get(f.relPath) ?? f;
  return {
    ...index,
    site: { ...index.site, files: index.site.files.map(swap) },
    existingById: new Map([...index.existingById].map(([id, f]) => [id, swap(f)])),
    leftovers: new Map([...index.leftovers].map(([id, f]) => [id, swap(f)])),
  };
}
