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
