// npm run schema: writes the config's JSON Schema from the zod schema (after a build).
import { writeFileSync, mkdirSync } from 'node:fs';
import { configJsonSchema, SCHEMA_FILE } from '../dist/config/json-schema.js';

mkdirSync('schema', { recursive: true });
writeFileSync(SCHEMA_FILE, configJsonSchema());
process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
