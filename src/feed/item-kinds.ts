/**
 * The kinds of Dropmark item (dropmark-feed.md): a bookmarked link, an uploaded file (an image,
 * a video, an audio file or any other file), a text note, and a stack that groups other items
 * (they carry its id in `parent_id`).
 */
export const ITEM_KINDS = ['link', 'image', 'video', 'audio', 'text', 'other', 'stack'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** The kinds whose item is a file uploaded to Dropmark, kept on its CDN. */
const UPLOADS: ReadonlySet<ItemKind> = new Set(['image', 'video', 'audio', 'other']);

/** A `type` the feed gives as one of ITEM_KINDS, or undefined (an item without one, or a kind unknown today). */
export function itemKind(type: string | null): ItemKind | undefined {
  const folded = type?.trim().toLowerCase();
  return (ITEM_KINDS as readonly string[]).includes(folded ?? '') ? (folded as ItemKind) : undefined;
}

export function isUpload(item: { kind: ItemKind }): boolean {
  return UPLOADS.has(item.kind);
}

/**
 * The uploaded file's own URL (on Dropmark's CDN, signed): `content` when it is a URL, else `link`.
 * Undefined for an item that is not an upload, or one that names no http(s) URL.
 */
export function uploadUrl(item: { kind: ItemKind; content: string | null; link: string | null }): string | undefined {
  if (!isUpload(item)) return undefined;
  for (const text of [item.content, item.link]) {
    const candidate = text?.trim();
    if (candidate && /^https?:\/\/\S+$/i.test(candidate)) return candidate;
  }
  return undefined;
}
