import { stripSecrets } from '../text/redact.js';

/** What a collection's feed address looks like, as init and the docs give it. */
export const FEED_SHAPE = 'https://USER.dropmark.com/ID.json';

/** Subdomains of dropmark.com that are Dropmark's own, never a user's collections. */
const NOT_A_USER = new Set(['www', 'app', 'api']);

/**
 * Pure: why `url` does not look like a Dropmark collection feed (`https://USER.dropmark.com/ID.json`,
 * ID the collection's number), or undefined when it does. Only a doubt: the config is written
 * all the same (a proxy, a mirror or a test server may stand in for Dropmark), so a paste of the
 * collection's page, or of an item's, is caught before the first sync fails on it.
 */
export function endpointDoubt(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  const host = parsed.hostname.toLowerCase();
  const user = host.endsWith('.dropmark.com') ? host.slice(0, -'.dropmark.com'.length) : undefined;
  if (parsed.protocol !== 'https:') return 'is not an https address';
  if (user === undefined || user.includes('.') || NOT_A_USER.has(user))
    return "is not on a user's dropmark.com address";
  if (!/^\/\d+\.json$/.test(parsed.pathname)) return 'is not a collection number followed by .json';
  return undefined;
}

/**
 * The warning init prints for a doubtful endpoint, its credentials left out; `fix` says where the
 * endpoint was written as given.
 */
export function endpointWarning(
  url: string,
  fix = 'The config is written with it as given; change collections[0].endpoint if it is wrong',
): string | undefined {
  const doubt = endpointDoubt(url);
  if (doubt === undefined) return undefined;
  return (
    `dropmark-sync init: warning: ${stripSecrets(url)} ${doubt}, so it may not be a Dropmark collection feed. ` +
    `A feed URL looks like ${FEED_SHAPE}: the collection's address with ".json" after its number ` +
    `(https://shah.dropmark.com/616548.json). ${fix}\n`
  );
}
