import * as z from 'zod/mini';
import { configSchema } from './schema.js';

/** Where the package ships the config's JSON Schema, for editors (`# yaml-language-server: $schema=...`). */
export const SCHEMA_FILE = 'schema/dropmark-sync.schema.json';

/**
 * The config file's JSON Schema, generated from the zod schema so the two cannot drift apart
 * (a test compares it with the shipped file). The input side: defaults are optional keys.
 */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'dropmark-sync configuration' }, null, 2)}\n`;
}
