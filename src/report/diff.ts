import { createTwoFilesPatch } from 'diff';
import type { CollectionSummary, ImageChangeRecord, TextFileChange } from '../summary.js';
import { visibleControls } from '../text/terminal.js';

/** A collection's dry-run diff, from the data its summary carries (nothing without `textChanges`). */
export function collectionDiff(c: CollectionSummary): string {
  return c.textChanges ? renderDiff(c.textChanges, c.images, c.wouldDownload, c.wouldRefuse) : '';
}

/**
 * The unified diff of a dry run: every text file that would be created, changed or removed
 * (`/dev/null` on the missing side, as git writes it), then one line per image with its size,
 * and one per image a real run would download.
 * Control and bidi characters from the feed are shown escaped, in file names as in lines.
 */
export function renderDiff(
  files: readonly TextFileChange[],
  images: readonly ImageChangeRecord[],
  downloads: readonly { relPath: string; from: string; replaces: boolean }[] = [],
  refusals: readonly { relPath: string; from: string; reason: string }[] = [],
): string {
  let out = '';
  for (const f of files) {
    const patch = createTwoFilesPatch(
      f.before === undefined ? '/dev/null' : `a/${f.relPath}`,
      f.after === undefined ? '/dev/null' : `b/${f.relPath}`,
      f.before ?? '',
      f.after ?? '',
      undefined,
      undefined,
      { context: 3 },
    );
    // jsdiff starts with an "Index:"-less "===" line; keep only the git-style part.
    out += patch.replace(/^=+\n/, '');
  }
  for (const image of images) out += `${imageLine(image)}\n`;
  // A dry run requests no image: its size and type are unknown, its source is what a person can check.
  for (const d of downloads) out += `${d.replaces ? '~' : '+'} ${d.relPath} (would download ${d.from})\n`;
  // What the config refuses is decided from the URL, as the real run decides it: no file, and why.
  for (const r of refusals) out += `! ${r.relPath} (would refuse ${r.from}: ${r.reason})\n`;
  return visibleControls(out);
}

function imageLine(image: ImageChangeRecord): string {
  const size = formatSize(image.size);
  switch (image.kind) {
    case 'create':
      return `+ ${image.relPath} (new image, ${size})`;
    case 'update':
      return `~ ${image.relPath} (image replaced, ${size})`;
    case 'delete':
      return `- ${image.relPath} (image removed, ${size})`;
    // Never fetched again: the bytes on disk, under the renamed post's name.
    case 'move':
      return `~ ${image.relPath} (image moved from ${image.from}, ${size})`;
    case 'copy':
      return `+ ${image.relPath} (image copied from ${image.from}, ${size})`;
  }
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Colours for a terminal: additions green, removals red, hunk headers cyan. */
export function colorizeDiff(diff: string): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return `\x1b[1m${line}\x1b[0m`;
      if (line.startsWith('+')) return `\x1b[32m${line}\x1b[0m`;
      if (line.startsWith('-')) return `\x1b[31m${line}\x1b[0m`;
      if (line.startsWith('@@')) return `\x1b[36m${line}\x1b[0m`;
      if (line.startsWith('~')) return `\x1b[33m${line}\x1b[0m`;
      return line;
    })
    .join('\n');
}
