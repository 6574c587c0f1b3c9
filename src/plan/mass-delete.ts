/**
 * Pure: the guard against a mass removal, one rule for a sync's files and a loader's entries.
 * Removing `removed` of the `owned` ones is `empty` when the feed lists no item (`listed`),
 * `most` when it is more than half of them, and undefined when it may go ahead. The callers
 * refuse the first two unless told otherwise (--allow-mass-delete, its environment variable).
 */
export function massRemoval(removed: number, owned: number, listed: number): 'empty' | 'most' | undefined {
  if (removed === 0) return undefined;
  if (listed === 0) return 'empty';
  return removed * 2 > owned ? 'most' : undefined;
}
