import type { CollectionConfig } from '../config/schema.js';
import type { FeedItem } from '../feed/parse.js';
import { itemTitle } from './item-name.js';

/** How a stack is written: `list`, one post listing its items; `flatten`, a post per item, tagged with the stack. */
export type StackMode = CollectionConfig['stacks'];

export interface StackLayout {
  /** The items that are posts, in feed order. */
  posts: FeedItem[];
  /** Mode list: each stack's id -> the items it holds, in feed order (they are not posts of their own). */
  children: Map<string, FeedItem[]>;
}

/**
 * Pure: which items are posts. An item whose `parent_id` names a stack of the feed is in that
 * stack: listed in the stack's post (mode list), or a post of its own with the stack's name among
 * its tags, the stack itself being no post (mode flatten). An item whose parent is not in the
 * feed, or is no stack, is a post like any other.
 */
export function stackLayout(items: readonly FeedItem[], mode: StackMode): StackLayout {
  const stacks = new Map(items.filter((i) => i.kind === 'stack').map((i) => [i.id, i]));
  // Dropmark does not nest stacks: a stack that names a parent (another stack, or a loop of them) stays a stack of
  // its own, so no item is listed nowhere.
  const stackOf = (item: FeedItem) =>
    item.kind !== 'stack' && item.parentId !== null ? stacks.get(item.parentId) : undefined;
  const children = new Map<string, FeedItem[]>();
  const posts: FeedItem[] = [];
  for (const item of items) {
    const stack = stackOf(item);
    if (stack === undefined) {
      if (mode === 'list' || item.kind !== 'stack') posts.push(item);
    } else if (mode === 'list') {
      children.set(stack.id, [...(children.get(stack.id) ?? []), item]);
    } else {
      posts.push(withTag(item, itemTitle(stack)));
    }
  }
  return { posts, children };
}

function withTag(item: FeedItem, tag: string): FeedItem {
  if (tag === '' || item.tags.includes(tag)) return item;
  return { ...item, tags: [...item.tags, tag] };
}
