import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, SCHEMA_FILE } from '../../../src/config/json-schema.js';

describe('the shipped JSON Schema of the config', () => {
  it('is the one the zod schema generates (run "npm run schema" after changing the config schema)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(configJsonSchema());
  });

  it('describes the keys a person writes, refuses unknown ones, and requires an endpoint', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'siteDir',
        'cacheDir',
        'schedule',
        'timezone',
        'collections',
        'http',
        'deadlineMs',
        'lockStaleMs',
      ]),
    );
    expect(schema.properties.collections.items.required).toEqual(['endpoint']);
    expect(schema.properties.collections.items.properties.images.properties.svg.enum).toEqual(['refuse', 'sanitize']);
  });
});
