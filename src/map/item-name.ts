import type { FeedItem } from '../feed/parse.js';
import { isUpload, uploadUrl } from '../feed/item-kinds.js';
import type { SlugRule } from '../frontmatter/profiles.js';
import { isSignedUrl } from '../text/signed-link.js';
import { withoutSignedUrls } from '../text/signed-url.js';
import { baseSlug, linkBrand } from './slugify.js';

/** A trailing ` | Site Name` (from the first ` | ` on) removed, then trimmed. */
export function cleanTitle(name: string | null): string {
  if (!name) return '';
  const bar = name.indexOf(' | ');
  return (bar === -1 ? name : name.slice(0, bar)).trim();
}

/** The post's title: the item's name cleaned (cleanTitle), without any signed URL (signed-url.ts). */
export function itemTitle(item: Pick<FeedItem, 'name'>): string {
  const title = cleanTitle(item.name);
  const unsigned = withoutSignedUrls(title);
  return unsigned === title ? title : unsigned.replace(/\s{2,}/g, ' ').trim();
}

/**
 * The slug an item's file name starts from (slugify.ts, baseSlug). A link's: its link's brand
 * and its title. An upload's: its title alone, the host of the CDN that keeps its file being
 * nobody's brand; a title that is just a file name (`team-photo.jpg`) or none at all gives the
 * file's name without its extension (`team-photo`).
 */
export function itemSlug(item: FeedItem, rule: SlugRule = 'ascii'): string {
  if (!isUpload(item)) {
    const brand = item.link !== null && isSignedUrl(item.link) ? '' : linkBrand(item.link);
    return baseSlug(brand, itemTitle(item), item.id, rule);
  }
  const title = itemTitle(item);
  const name = title === '' || FILE_NAME.test(title) ? withoutExtension(title || fileNameOf(uploadUrl(item))) : title;
  return baseSlug('', name, item.id, rule);
}

/** A title that is a file name: no space, no slash, and an extension of letters and digits (one letter at least). */
const FILE_NAME = /^[^\s/\\]+\.(?=[a-z0-9]{0,7}[a-z])[a-z0-9]{1,8}$/i;

function withoutExtension(fileName: string): string {
  return fileName.replace(/\.[^.]*$/, '');
}

/** The last segment of a URL's path, decoded; "" when there is none. */
function fileNameOf(url: string | undefined): string {
  if (url === undefined) return '';
  try {
    const segment = new URL(url).pathname.split('/').pop() ?? '';
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}
