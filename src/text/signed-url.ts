import { decodeString } from 'micromark-util-decode-string';

/**
 * A signed URL grants access to a private object for a while (Dropmark's CDN signs every file and
 * thumbnail URL to expire about an hour after the feed is rendered). Written into a site it is a
 * dead link within the hour and a credential while it lives: the tool mirrors such a URL or leaves
 * it out, and `validate` flags one a person wrote.
 */

/** Query parameters that sign a URL, as names lowercased with everything but letters and digits dropped. */
const SIGNATURE_PARAMS: ReadonlySet<string> = new Set([
  'signature',
  'keypairid',
  'policy',
  'xamzsignature',
  'xgoogsignature',
  'sig',
]);

/** Where Dropmark keeps files and thumbnails: any signature parameter there is a signature. */
const DROPMARK_HOST = /(?:^|\.)(?:dropmarkusercontent\.com|dropmark\.com)$/i;

/**
 * The forms of a presigned cloud URL, whatever its host, by the folded names of its query: CloudFront
 * (`Key-Pair-Id` with `Signature` or `Policy`), S3 (`X-Amz-Signature`, or `Signature` with
 * `AWSAccessKeyId`), Google Cloud Storage (`X-Goog-Signature`), Azure (`sig` with `sv` and `se`). A
 * bookmark of an ordinary page whose query merely has a `sig` or a `signature` is none of them.
 */
function presigned(names: ReadonlySet<string>): boolean {
  return (
    (names.has('keypairid') && (names.has('signature') || names.has('policy'))) ||
    names.has('xamzsignature') ||
    (names.has('signature') && names.has('awsaccesskeyid')) ||
    names.has('xgoogsignature') ||
    (names.has('sig') && names.has('sv') && names.has('se'))
  );
}

/**
 * Whether the text is a signed URL: on Dropmark's own hosts any signature parameter (SIGNATURE_PARAMS),
 * elsewhere a presigned cloud URL's full form (presigned).
 */
export function isSignedUrl(text: string, depth = 0): boolean {
  // Signed means signature parameters in the query: a text without a `?` has none (most links), and needs no parse.
  if (!text.includes('?')) return false;
  let url: URL;
  try {
    // A protocol-relative URL (`//host/x`) is as good as an absolute one in a browser.
    url = new URL(text, 'https://relative.invalid/');
  } catch {
    return false;
  }
  const names = new Set([...url.searchParams.keys()].map((name) => name.toLowerCase().replace(/[^a-z0-9]/g, '')));
  const signed = DROPMARK_HOST.test(url.hostname.replace(/\.$/, ''))
    ? [...names].some((n) => SIGNATURE_PARAMS.has(n))
    : presigned(names);
  // A signed URL percent-encoded in another's query (a redirect wrapper) reaches the file all the same.
  return (
    signed || (depth < 2 && [...url.searchParams.values()].some((v) => /\/\//.test(v) && isSignedUrl(v, depth + 1)))
  );
}

/**
 * Runs of text that look like an http(s) URL: up to a space, `<`, `>`, a double quote, a backtick or a
 * private-use character (sanitize-body.ts marks places with them). Trailing punctuation (a
 * sentence's full stop, a closing bracket) is not part of one, as GFM's autolinks read it.
 */
const URL_RUN = /(?:(?:https?:)?\/\/|\bwww\.)[^\s<>"`\uE000-\uF8FF]+/gi;
const TRAILING = /[.,:;!?'"()[\]{}*_~]+$/;

/**
 * The signed URLs in a text, as written there. Markdown and HTML may write `&` as `&amp;` or a
 * character as `\&`: a run is checked as written and as Markdown decodes it.
 */
export function signedUrlsIn(text: string): string[] {
  if (!text.includes('//') && !hasWww(text)) return [];
  const found: string[] = [];
  for (const [run] of text.matchAll(URL_RUN)) {
    const url = run.replace(TRAILING, '');
    // GFM links `www.host/x` as `http://www.host/x`.
    const absolute = /^www\./i.test(url) ? `https://${url}` : url;
    if (isSignedUrl(absolute) || isSignedUrl(decodeString(absolute))) found.push(url);
  }
  return found;
}

/**
 * Whether `www.` is in the text, in any case: what URL_RUN needs besides `//`. Walked from dot to dot, as a
 * case-insensitive regex reads every character of a long body (this runs on every text of every item).
 */
function hasWww(text: string): boolean {
  for (let dot = text.indexOf('.', 3); dot !== -1; dot = text.indexOf('.', dot + 1)) {
    if (isW(text, dot - 1) && isW(text, dot - 2) && isW(text, dot - 3)) return true;
  }
  return false;
}

/** `| 32` folds an ASCII letter to lower case; only W and w fold to w. */
function isW(text: string, at: number): boolean {
  return (text.charCodeAt(at) | 32) === 0x77;
}

/** The text with every signed URL in it taken out. */
export function withoutSignedUrls(text: string): string {
  let out = text;
  for (const url of signedUrlsIn(text)) out = out.split(url).join('');
  return out;
}
