/** Longest slug kept, so `<slug>-<id>.md` stays far below the 255-byte file name limit. */
export const MAX_SLUG_LENGTH = 180;

/**
 * Lower-cases, turns `&` into `and`, every run of characters outside `[a-z0-9]` into one
 * `-`, and trims `-` at both ends (`Q&A: Hazel` -> `qanda-hazel`, `People’s` -> `people-s`).
 */
export function slugify(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // A short slug comes through the cut unchanged; the test only spares the work.
  if (slug.length <= MAX_SLUG_LENGTH) return slug;
  return slug.slice(0, MAX_SLUG_LENGTH).replace(/-+$/, '');
}

/** The host of a link, lower case, without a leading `www.`; "" when the link is not an http(s) URL. */
export function linkBrand(link: string | null): string {
  if (!link) return '';
  try {
    const url = new URL(link.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return '';
    return url.hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** The brand part of a slug: the link brand without its last label (`academic.oup.com` -> `academic.oup`). */
export function slugBrand(brand: string): string {
  const dot = brand.lastIndexOf('.');
  return dot === -1 ? '' : brand.slice(0, dot);
}

/** `slugify(brand + "-" + title)`; falls back to `item-<id>` when nothing is left. */
export function baseSlug(brand: string, title: string, id: string): string {
  return slugify(`${slugBrand(brand)}-${title}`) || `item-${id}`;
}
