import { stateName } from './names.js';
import { createHash } from 'node:crypto';

/**
 * The hash of each post's body as the feed last gave it, kept in the site beside the
 * content (it changes only when a body changes upstream). With it, a body a person edited
 * is told apart from a body Dropmark changed: the edit stays until the upstream body really
 * changes. Without it (first run, lost file), the feed's body wins, as it always did.
 */
export function bodiesPath(contentDir: string): string {
  return `data/dropmark-sync/bodies-${stateName(contentDir)}.json`;
}

export function bodyHash(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 16);
}

export function parseBodies(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!text) return out;
  try {
    const data = JSON.parse(text) as unknown;
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      for (const [id, hash] of Object.entries(data)) {
        if (/^\d+$/.test(id) && typeof hash === 'string') out.set(id, hash);
      }
    }
  } catch {
    // unreadable: as if lost
  }
  return out;
}

/** One line per item, in numeric id order, so a diff shows just the items whose bodies changed. */
export function serializeBodies(bodies: ReadonlyMap<string, string>): string {
  const ids = [...bodies.keys()].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  if (ids.length === 0) return '{}\n';
  return `{\n${ids.map((id) => `  ${JSON.stringify(id)}: ${JSON.stringify(bodies.get(id))}`).join(',\n')}\n}\n`;
}
