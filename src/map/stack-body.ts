import type { List, ListItem, PhrasingContent } from 'mdast';
import { toMarkdown } from 'mdast-util-to-markdown';

/** One item of a stack as its post lists it. */
export interface StackEntry {
  title: string;
  /** Where the title links to: an http(s) URL or a path of the site. */
  link: string;
  /** The item's image, a path of the site, or "" for none. */
  image: string;
}

/**
 * The Markdown list of a stack's items, in their order: each its title linked, and its image
 * after it; "" for a stack without items. Written from a Markdown tree by a serializer, so a
 * title is text whatever it holds (`*`, `[`, `<`), never markup; the body it goes into is
 * sanitized as any other (item.ts).
 */
export function stackList(entries: readonly StackEntry[]): string {
  if (entries.length === 0) return '';
  const list: List = { type: 'list', ordered: false, spread: false, children: entries.map(entryItem) };
  return toMarkdown(list, { bullet: '-', listItemIndent: 'one' });
}

function entryItem(entry: StackEntry): ListItem {
  const phrasing: PhrasingContent[] = [
    { type: 'link', url: entry.link, children: [{ type: 'text', value: entry.title }] },
  ];
  if (entry.image !== '') {
    // After a space, not a line break: kramdown (Jekyll) reads CommonMark's `\` break as a backslash.
    phrasing.push({ type: 'text', value: ' ' }, { type: 'image', url: entry.image, alt: entry.title });
  }
  return { type: 'listItem', spread: false, children: [{ type: 'paragraph', children: phrasing }] };
}
