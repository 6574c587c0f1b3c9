/**
 * The origin drew socialScore at random on every run, which rewrote every file. Here it is
 * a pure function of the item id (FNV-1a, 32 bit), so the same item always scores the same.
 */
export function simulatedSocialScore(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 50;
}
