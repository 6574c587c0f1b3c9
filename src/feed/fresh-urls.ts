import type { Logger } from '../log.js';
import { fetchFeed, type FetchDeps, type HttpOptions } from './client.js';
import type { FeedItem } from './parse.js';

/** The feed to fetch again: as configured (`endpoint`, never shown) and as shown (`feedUrl`). */
interface FeedToRefetch {
  endpoint: string;
  feedUrl: string;
  http: HttpOptions;
  fetchDeps: FetchDeps;
}

/**
 * The feed fetched once more when the signed download URLs expired: item id -> its fresh URL
 * (`urlOf`). A 304 gives none, and the downloads that expired stay missing this time.
 */
export async function freshUrls(
  feed: FeedToRefetch,
  download: { what: string; urlOf: (item: FeedItem) => string | null },
  log: Logger,
): Promise<Map<string, string | null>> {
  log.info({ endpoint: feed.feedUrl }, `${download.what} URLs expired; fetching the feed again for fresh ones`);
  const again = await fetchFeed(feed.endpoint, feed.http, feed.fetchDeps);
  if (again.notModified) return new Map();
  return new Map(again.feed.items.map((i) => [i.id, download.urlOf(i)]));
}
