import { describe, expect, it } from 'vitest';
import { MANAGED_KEYS } from '../../../src/frontmatter/post-keys.js';
import { parseFrontMatter, quickFrontMatter } from '../../../src/frontmatter/read-front-matter.js';
import { expectedFiles } from '../../support/fixtures.js';

describe("quickFrontMatter (the fast path for the tool's own files)", () => {
  it('reads the 41 real files exactly as the YAML parser does', () => {
    for (const [name, text] of expectedFiles()) {
      const full = parseFrontMatter(text);
      expect(quickFrontMatter(text, MANAGED_KEYS), name).toEqual({
        editUrl: full?.data['dropmark.editURL'],
        socialScore: full?.data['socialScore'],
        socialScoreSimulated: true,
        date: full?.data['date'],
        body: full?.body,
      });
    }
  });

  const base = expectedFiles().values().next().value as string;
  it.each([
    ['a key a person added', base.replace('archetype: bookmark\n', 'archetype: bookmark\ndraft: true\n')],
    ['a locked file', base.replace('archetype: bookmark\n', 'archetype: bookmark\ndropmark.locked: true\n')],
    ['a comment', base.replace('archetype: bookmark\n', '# note\narchetype: bookmark\n')],
    ['a quoted edit URL', base.replace(/^dropmark\.editURL: (.*)$/m, "dropmark.editURL: '$1'")],
    ['JavaScript front matter', base.replace(/^---\n/, '---js\n')],
    ['no closing delimiter', base.replace(/\n---\n/, '\n')],
    ['a quoted date', base.replace(/^date: (.*)$/m, 'date: "$1"')],
    // A line that starts with a dash is a sequence entry only with a space (or nothing) after it: else it is a key.
    [
      'a key a person added that starts with a dash',
      base.replace('archetype: bookmark\n', 'archetype: bookmark\n-draft: true\n'),
    ],
    ['a key that is a dash', base.replace('archetype: bookmark\n', 'archetype: bookmark\n-: 1\n')],
    // A value the fast path reads is the one on its line: a line after it continues it, for YAML.
    ['an edit URL continued on the next line', base.replace(/^(dropmark\.editURL: .*)$/m, '$1\n  /8')],
    ['an edit URL continued after an empty line', base.replace(/^(dropmark\.editURL: .*)$/m, '$1\n\n  /8')],
    ['a date continued on the next line', base.replace(/^(date: .*)$/m, '$1\n  later')],
    ['a social score continued on the next line', base.replace(/^(socialScore: .*)$/m, '$1\n  3')],
    ['a key that starts with two dashes', base.replace('archetype: bookmark\n', 'archetype: bookmark\n--x: y\n')],
  ])('steps aside for %s', (_what, text) => {
    expect(quickFrontMatter(text, MANAGED_KEYS)).toBeUndefined();
  });
});
