// What the feed's hash takes of a CDN URL. Apart from signed-url.ts, which finds signed URLs in text and reads
// them as Markdown would (a Markdown decoder): a poll that only hashes the feed loads none of that.

/**
 * The parameters CloudFront signs Dropmark's CDN URLs with, exactly as it writes them. Narrower than SIGNATURE_PARAMS
 * (which also finds a signature a person wrote, in any case) and with `Expires`: the feed's hash is kept byte for
 * byte, or every collection's next sync after an upgrade would fetch everything again.
 */
const CDN_SIGNATURE_PARAMS: ReadonlySet<string> = new Set(['Expires', 'Signature', 'Key-Pair-Id', 'Policy']);

/**
 * The URL of a file on Dropmark's CDN with its signature parameters' values emptied, every other byte as it was (so
 * no two links merge): what the feed's hash (state/feed-cache.ts) takes of it, as Dropmark stamps new signatures each
 * time it renders the feed.
 */
export function withoutSignatureValues(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return url;
  const fragment = url.indexOf('#', query);
  const end = fragment === -1 ? url.length : fragment;
  let out = url.slice(0, query + 1);
  // Walked with indexOf, not split: this runs for every thumbnail of a feed on every poll.
  for (let start = query + 1; start <= end; ) {
    const amp = url.indexOf('&', start);
    const stop = amp === -1 || amp > end ? end : amp;
    const equals = url.indexOf('=', start);
    const name = url.slice(start, equals !== -1 && equals < stop ? equals : stop);
    out += CDN_SIGNATURE_PARAMS.has(name) ? `${name}=` : url.slice(start, stop);
    if (stop < end) out += '&';
    start = stop + 1;
  }
  return out + url.slice(end);
}
