import type { CollectionConfig } from '../config/schema.js';
import type { FeedItem, ParsedFeed } from '../feed/parse.js';
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

/** The counts of a feed that lists fewer items than its collection holds (`items_total_count`), else undefined. */
export function partialFeed(feed: ParsedFeed): { listed: number; total: number } | undefined {
  const listed = feed.items.length;
  return feed.totalCount !== undefined && feed.totalCount > listed ? { listed, total: feed.totalCount } : undefined;
}

/**
 * Of a partial feed, the posts it lists whole. Which items a stack holds cannot be told from a partial answer:
 * stacks, and items whose stack it does not list, wait (their files stay as they are) until the feed is whole.
 */
export function wholeStackPosts(feed: ParsedFeed, layout: StackLayout): FeedItem[] {
  const listed = new Set(feed.items.map((i) => i.id));
  const held = (i: FeedItem) => i.kind === 'stack' || (i.parentId !== null && !listed.has(i.parentId));
  return layout.posts.filter((i) => !held(i));
}
