import type { FeedItem } from '../feed/parse.js';
import type { ImageRequest } from '../images/mirror-plan.js';
import type { StackLayout } from '../map/stacks.js';
import type { SiteIndex } from './index-files.js';

// What the pass asks its download targets (mirror-targets.ts) for: pure.

/**
 * Pure: what the target mirrors for the feed. A post's download is named after its file; an
 * item listed in a stack's post (stacks: list) has no file of its own, and its download is
 * named after the stack's file and its own id (`<stack name>-<id>`). Items whose file the pass
 * leaves alone (locked, broken) are left out; the items of a locked stack are not (its post shows them).
 */
export function mirrorRequests(
  layout: StackLayout,
  index: Pick<SiteIndex, 'slugs' | 'existingById' | 'lockedIds' | 'brokenById'>,
  urlOf: (item: FeedItem) => string | null,
  fallbackOf: (item: FeedItem) => string | null = () => null,
): ImageRequest[] {
  const request = (item: FeedItem, slug: string, previous: string | undefined): ImageRequest => {
    const fallback = fallbackOf(item);
    return { itemId: item.id, slug, previous, url: urlOf(item), ...(fallback ? { fallback } : {}) };
  };
  const leftAlone = (id: string) => index.lockedIds.has(id) || index.brokenById.has(id);
  const requests: ImageRequest[] = [];
  for (const item of layout.posts) {
    const slug = index.slugs.get(item.id);
    if (slug === undefined || leftAlone(item.id)) continue;
    requests.push(request(item, slug, index.existingById.get(item.id)?.name));
  }
  // A locked stack's post still shows its items' images: they are asked for (no request for what is on disk), or
  // they would be removed as no post's.
  for (const [stackId, children] of layout.children) {
    const slug = index.slugs.get(stackId);
    if (slug === undefined) continue;
    const previous = index.existingById.get(stackId)?.name;
    for (const child of children) {
      if (leftAlone(child.id)) continue;
      requests.push(
        request(child, `${slug}-${child.id}`, previous === undefined ? undefined : `${previous}-${child.id}`),
      );
    }
  }
  return requests;
}
