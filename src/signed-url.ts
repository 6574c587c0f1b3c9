import { decodeString } from 'micromark-util-decode-string';

/**
 * A signed URL grants access to a private object for a while (Dropmark's CDN signs every file and
 * thumbnail URL to expire about an hour after the feed is rendered). Written into a site it is a
 * dead link within the hour and a credential while it lives: the tool mirrors such a URL or leaves
 * it out, and `validate` flags one a person wrote.
 */

/**
 * Query parameters that make a URL a signed one, as names lowercased with everything but letters
 * and digits dropped: CloudFront (`Signature`, `Key-Pair-Id`), S3 (`X-Amz-Signature`, and
 * `Signature` in its older form), Google Cloud Storage (`X-Goog-Signature`), Azure (`sig`).
 */
const SIGNATURE_PARAMS: ReadonlySet<string> = new Set([
  'signature',
  'keypairid',
  'xamzsignature',
  'xgoogsignature',
  'sig',
]);

/** Whether the text is a URL whose query carries a signature (see SIGNATURE_PARAMS). */
export function isSignedUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  for (const name of url.searchParams.keys()) {
    if (SIGNATURE_PARAMS.has(name.toLowerCase().replace(/[^a-z0-9]/g, ''))) return true;
  }
  return false;
}

/**
 * Runs of text that look like an http(s) URL: up to a space, `<`, `>`, a double quote, a backtick or a
 * private-use character (sanitize-body.ts marks places with them). Trailing punctuation (a
 * sentence's full stop, a closing bracket) is not part of one, as GFM's autolinks read it.
 */
const URL_RUN = /https?:\/\/[^\s<>"`\uE000-\uF8FF]+/gi;
const TRAILING = /[.,:;!?'"()[\]{}*_~]+$/;

/**
 * The signed URLs in a text, as written there. Markdown and HTML may write `&` as `&amp;` or a
 * character as `\&`: a run is checked as written and as Markdown decodes it.
 */
export function signedUrlsIn(text: string): string[] {
  if (!/https?:\/\//i.test(text)) return [];
  const found: string[] = [];
  for (const [run] of text.matchAll(URL_RUN)) {
    const url = run.replace(TRAILING, '');
    if (isSignedUrl(url) || isSignedUrl(decodeString(url))) found.push(url);
  }
  return found;
}

/** The text with every signed URL in it taken out. */
export function withoutSignedUrls(text: string): string {
  let out = text;
  for (const url of signedUrlsIn(text)) out = out.split(url).join('');
  return out;
}
