import * as z from 'zod/mini';
import { configSchema } from './schema.js';

/** The known key a config's unknown key most likely meant (at most a third of its letters off, case aside). */
export function nearestKnownKey(typo: string, at: readonly PropertyKey[]): string | undefined {
  return nearestKey(typo, knownKeys(at));
}

// Made once: this module is loaded only for a config with an unknown key, and may be asked for several.
const CONFIG_JSON_SCHEMA = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;

/** The keys the schema knows at a key path (array indexes step into the items). */
function knownKeys(at: readonly PropertyKey[]): string[] {
  let node = CONFIG_JSON_SCHEMA;
  for (const segment of at) {
    const next = typeof segment === 'number' ? node.items : node.properties?.[String(segment)];
    if (!next) return [];
    node = next;
  }
  return Object.keys(node.properties ?? {});
}

interface JsonSchemaNode {
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
}

/** The known key a typo most likely meant: at most a third of its letters off, case aside. */
function nearestKey(typo: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(typo.toLowerCase(), key.toLowerCase());
    if (distance <= Math.max(1, Math.floor(key.length / 3)) && (!best || distance < best.distance))
      best = { key, distance };
  }
  return best?.key;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        (row[j] ?? 0) + 1,
        (next[j - 1] ?? 0) + 1,
        (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length] ?? 0;
}
