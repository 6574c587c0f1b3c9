import { uploadUrl } from '../feed/item-kinds.js';
import type { FeedItem } from '../feed/parse.js';
import type { MirrorResult } from './mirror-plan.js';

/**
 * Pure: item id -> the local copy of its upload, which its post links to: the mirrored file,
 * or for an uploaded image its mirrored original (the same path as its image). An upload with
 * no local copy (mirroring off, refused, failed) is not in it.
 */
export function localCopies(
  items: readonly FeedItem[],
  images: Pick<MirrorResult, 'featuredImage'> | undefined,
  files: Pick<MirrorResult, 'featuredImage'> | undefined,
): Map<string, string> {
  const copies = new Map<string, string>();
  for (const item of items) {
    if (uploadUrl(item) === undefined) continue;
    const local = (item.kind === 'image' ? images : files)?.featuredImage.get(item.id);
    if (local) copies.set(item.id, local);
  }
  return copies;
}
