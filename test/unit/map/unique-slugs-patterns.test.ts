import { describe, expect, it } from 'vitest';
import { assignSlugs, slugOfName } from '../../../src/map/unique-slugs.js';
import { feedItem } from '../../support/builders.js';

// assignSlugs and slugOfName under a file-name pattern other than "{slug}.md".

const item = feedItem;
const one = item('1', 'One');
const dateOf = () => '2024-03-07';

describe('assignSlugs with {date}-{slug}.md', () => {
  const slugOf = (existing: string, mode: 'keep' | 'follow-title' = 'keep', renaming = false) =>
    assignSlugs([one], {
      existingById: new Map([['1', existing]]),
      taken: new Set(),
      mode,
      fileName: { pattern: '{date}-{slug}.md', renaming, dateOf },
    }).get('1');

  it('keep mode: a name the pattern could have made stays, whatever its date and slug', () => {
    expect(slugOf('2020-01-01-my-own-name')).toBe('2020-01-01-my-own-name');
  });

  it('keep mode: a name the pattern could not have made (no date) is renamed to the pattern', () => {
    expect(slugOf('example-one')).toBe('2024-03-07-example-one');
  });

  it('a changed pattern (renaming) renames a name that only fits the pattern', () => {
    expect(slugOf('2020-01-01-my-own-name', 'keep', true)).toBe('2024-03-07-example-one');
  });

  it("the item's own name stays while the pattern is renaming", () => {
    expect(slugOf('2024-03-07-example-one', 'keep', true)).toBe('2024-03-07-example-one');
  });
});

describe('the {date} is worked out only for a pattern that holds it', () => {
  it('{slug}.md and {id}.md never ask for a date', () => {
    const never = () => {
      throw new Error('dateOf asked');
    };
    for (const pattern of ['{slug}.md', '{id}.md']) {
      const slugs = assignSlugs([one], {
        existingById: new Map(),
        taken: new Set(),
        fileName: { pattern, dateOf: never },
      });
      expect(slugs.get('1')).toBe(pattern === '{id}.md' ? '1' : 'example-one');
    }
  });
});

describe("slugOfName: a file name's {slug} part", () => {
  it.each([
    ['2024-03-07-my-own-name', '{date}-{slug}.md', 'my-own-name'],
    ['my-own-name', '{slug}.md', 'my-own-name'],
    // no {slug} in the pattern, or a name it could not have made (a locked file keeps any name):
    // the item's own slug
    ['1', '{id}.md', 'example-one'],
    ['a-locked-name', '{date}-{slug}.md', 'example-one'],
  ])('%j under %s is %j', (name, pattern, slug) => expect(slugOfName(one, name, pattern)).toBe(slug));

  it('the pattern is {slug}.md when none is given', () => {
    expect(slugOfName(one, 'my-own-name')).toBe('my-own-name');
  });
});
