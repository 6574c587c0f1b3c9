import path from 'node:path';

/**
 * A site folder as a file-name part for the state files kept beside the content
 * (`bodies-<name>.json`, `images-<name>.json`). It must be injective: two folders that share a
 * state file would overwrite each other's records on every run. Lower-case letters and digits
 * stand for themselves, `/` becomes `-`, and every other byte is written `_XX` (hex), so
 * `content/post` stays `content-post` while `content_post` is `content_5fpost`. Spellings of
 * one folder (`./a/b/`, `a//b`) give one name.
 */
export function stateName(relDir: string): string {
  const normalized = path.posix.normalize(relDir.split('\\').join('/')).replace(/^(\.\/)+|\/+$/g, '');
  let out = '';
  for (const byte of Buffer.from(normalized, 'utf8')) {
    const c = String.fromCharCode(byte);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
    else if (c === '/') out += '-';
    else out += `_${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/**
 * The hash of each post's body as the feed last gave it, kept in the site beside the
 * content (it changes only when a body changes upstream). With it, a body a person edited
 * is told apart from a body Dropmark changed: the edit stays until the upstream body really
 * changes. Without it (first run, lost file), the feed's body wins, as it always did.
 */
export function bodiesPath(contentDir: string): string {
  return `data/dropmark-sync/bodies-${stateName(contentDir)}.json`;
}
