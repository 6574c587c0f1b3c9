import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, SCHEMA_FILE } from '../../../src/config/json-schema.js';
import { mappingProblems } from '../../../src/frontmatter/profiles.js';

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

describe('the JSON Schema of frontMatter: what an editor can be told before a sync', () => {
  const frontMatter = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')).properties.collections.items.properties.frontMatter
    .properties;
  const keys = [
    frontMatter.add.propertyNames,
    frontMatter.rename.propertyNames,
    frontMatter.rename.additionalProperties,
    frontMatter.drop.items,
  ];

  it.each([
    ['dropmark.locked', false],
    ['Dropmark.Locked', false],
    ['dropmark.editURL', false],
    ['', false],
    ['  ', false],
    ['layout', true],
    ['dropmarked', true],
    ['my.dropmark.key', true],
  ])('%j is a key the schema allows: %s, as the config check says', (key, allowed) => {
    for (const schema of keys) expect(new RegExp(schema.pattern).test(key)).toBe(allowed);
    // The same answer as the check that gives the message (a key added in the bookmark profile).
    expect(mappingProblems('bookmark', { rename: {}, drop: [], add: { [key]: 1 } }).length === 0).toBe(allowed);
  });
});
