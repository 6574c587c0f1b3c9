import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';

/** What Jekyll must not publish: the tool's config and its records (endpoint, image source URLs). */
export const JEKYLL_EXCLUDES = ['dropmark-sync.yaml', 'data/dropmark-sync'] as const;

export type ExcludeEdit = { text: string } | { unchanged: true } | { problem: string };

const bare = (entry: unknown) =>
  String(entry)
    .trim()
    .replace(/^\.?\/+|\/+$/g, '');

/**
 * `_config.yml` with the tool's files added to `exclude`, through the YAML document so every
 * other key, comment and style stays. Jekyll 4 adds its own default excludes to the list, so
 * adding to it (or starting it) hides nothing else. Without a `timezone`, Jekyll shows dates
 * (and dates post URLs) in the building machine's zone, so a post dated 02:15 UTC would show
 * the day before on a machine in New York: `timezone: UTC` is added, the zone the posts are
 * written in. A file that does not parse, or whose `exclude` is not a list, is not touched: the
 * problem says what to add by hand.
 */
export function editJekyllConfig(text: string): ExcludeEdit {
  const byHand = `add ${JEKYLL_EXCLUDES.join(' and ')} to its exclude list by hand (and timezone: UTC)`;
  const doc = parseDocument(text);
  // The parser's message ends with an excerpt of the file: its first line says what and where.
  const error = doc.errors[0]?.message.split('\n')[0];
  if (error !== undefined) return { problem: `it is not valid YAML (${error}); ${byHand}` };
  if (doc.contents !== null && !isMap(doc.contents)) return { problem: `it is not a mapping of settings; ${byHand}` };
  const before = doc.toJS() as Record<string, unknown> | null;
  const current = doc.get('exclude', true);
  if (current === undefined || (isScalar(current) && current.value === null)) {
    const list = doc.createNode([...JEKYLL_EXCLUDES]);
    list.flow = true;
    doc.set('exclude', list);
  } else if (isSeq(current)) {
    const have = new Set(current.items.map((item) => bare(isScalar(item) ? item.value : item)));
    const missing = JEKYLL_EXCLUDES.filter((entry) => !have.has(entry));
    for (const entry of missing) current.add(doc.createNode(entry));
  } else {
    return { problem: `its exclude is not a list; ${byHand}` };
  }
  if (!doc.has('timezone')) doc.set('timezone', 'UTC');
  if (isDeepStrictEqual(doc.toJS(), before)) return { unchanged: true };
  const edited = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return readsAsMeant(before, edited) ? { text: edited } : { problem: `it could not be edited safely; ${byHand}` };
}

/** The edited file must hold every setting it held, and the excludes. */
function readsAsMeant(before: Record<string, unknown> | null, edited: string): boolean {
  const after = parseDocument(edited);
  if (after.errors.length > 0) return false;
  const { exclude, timezone, ...rest } = (after.toJS() ?? {}) as Record<string, unknown>;
  const { exclude: earlier, timezone: zone, ...restBefore } = before ?? {};
  if (zone !== undefined && timezone !== zone) return false;
  const list = Array.isArray(exclude) ? exclude.map(bare) : [];
  const kept = Array.isArray(earlier) ? earlier.every((e) => list.includes(bare(e))) : true;
  return isDeepStrictEqual(rest, restBefore) && kept && JEKYLL_EXCLUDES.every((e) => list.includes(e));
}
