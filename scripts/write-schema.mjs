// npm run schema: writes the config's JSON Schema from the zod schema. It is compiled with the
// benchmarks (tsconfig.bench.json): the package's dist/ holds only what the package loads.
import { writeFileSync, mkdirSync } from 'node:fs';
import { configJsonSchema, SCHEMA_FILE } from '../dist-bench/src/config/json-schema.js';

mkdirSync('schema', { recursive: true });
writeFileSync(SCHEMA_FILE, configJsonSchema());
process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
