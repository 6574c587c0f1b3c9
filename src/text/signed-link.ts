// Whether one URL is signed, apart from signed-url.ts (which finds signed URLs in text, read as Markdown would, with a
// Markdown decoder): the feed's hash asks it on every poll and loads none of that.

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
