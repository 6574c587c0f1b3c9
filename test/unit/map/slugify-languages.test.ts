import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { safeName } from '../../../src/images/manifest.js';
import { slugify } from '../../../src/map/slugify.js';
import { assignSlugs, fittingNames } from '../../../src/map/unique-slugs.js';
import { shapeOf, slugRuleOf } from '../../../src/frontmatter/profiles.js';
import { feedItem } from '../../support/builders.js';

describe('slugify: the three rules', () => {
  it.each([
    // [title, ascii (the reference rule), transliterate, keep-letters]
    ['Über Größe und Maß', 'ber-gr-e-und-ma', 'ueber-groesse-und-mass', 'über-größe-und-maß'],
    ['Привет мир: новости', '', 'privet-mir-novosti', 'привет-мир-новости'],
    ['Café crème', 'caf-cr-me', 'cafe-creme', 'café-crème'],
    ['Καλημέρα κόσμε', '', 'kalimera-kosme', 'καλημέρα-κόσμε'],
    ['日本語のニュース', '', '日本語のニュース', '日本語のニュース'],
    ['中文新闻', '', '中文新闻', '中文新闻'],
    ['Tokyo 東京 news', 'tokyo-news', 'tokyo-東京-news', 'tokyo-東京-news'],
    ['한국어 뉴스', '', '한국어-뉴스', '한국어-뉴스'],
    ['नमस्ते दुनिया', '', 'नमस्ते-दुनिया', 'नमस्ते-दुनिया'],
    ['Q&A: Hazel', 'qanda-hazel', 'qanda-hazel', 'qanda-hazel'],
    ['People’s', 'people-s', 'people-s', 'people-s'],
    ['ﬁle x²', 'le-x', 'file-x2', 'file-x2'],
    ['ＡＢＣ１２３', '', 'abc123', 'abc123'],
    ['Łódź, Ærø', 'd-r', 'lodz-aero', 'łódź-ærø'],
    ['\u0301abc 🎉', 'abc', 'abc', 'abc'],
    ['e\u0301te\u0301', 'e-te', 'ete', 'été'],
  ])('%j: ascii %j, transliterate %j, keep-letters %j', (title, ascii, latin, letters) => {
    expect(slugify(title)).toBe(ascii);
    expect(slugify(title, 'ascii')).toBe(ascii);
    expect(slugify(title, 'transliterate')).toBe(latin);
    expect(slugify(title, 'keep-letters')).toBe(letters);
  });

  it('every slug is a safe file name, and names a safe image', () => {
    for (const rule of ['transliterate', 'keep-letters'] as const) {
      for (const title of ['日本語のニュース', 'Привет мир', 'a/b\\c..d', '.hidden', '\u202eevil\u0000', 'x\u200dy']) {
        const slug = slugify(title, rule);
        // No separator, no leading dot, no control, format or blank character.
        expect(slug, `${rule} ${title}`).toMatch(/^[^/\\.\p{C}\s-][^/\\\p{C}\s]*$/u);
        expect(safeName(`${slug}.jpg`), `${rule} ${title}`).toBe(true);
      }
    }
  });

  it('a long title is cut at 180 bytes, between two characters, without a trailing "-"', () => {
    const kanji = slugify('日'.repeat(100), 'keep-letters');
    expect(kanji).toBe('日'.repeat(60));
    expect(slugify(`${'ж'.repeat(89)} жж`, 'keep-letters')).toBe('ж'.repeat(89));
    expect(slugify('ü'.repeat(100), 'transliterate')).toBe('ue'.repeat(90));
    expect(slugify(`${'a'.repeat(179)} b`, 'transliterate')).toBe('a'.repeat(179));
  });
});

describe('the rule of a collection', () => {
  const mapping = { rename: {}, drop: [], add: {} };
  it('is ascii for bookmark and transliterate for the generators, unless asked', () => {
    expect(slugRuleOf(shapeOf({ profile: 'bookmark', format: 'yaml', frontMatter: mapping }))).toBe('ascii');
    for (const profile of ['hugo', 'jekyll', 'eleventy', 'astro'] as const)
      expect(slugRuleOf(shapeOf({ profile, format: 'yaml', frontMatter: mapping }))).toBe('transliterate');
    const asked = shapeOf({ profile: 'bookmark', format: 'yaml', frontMatter: mapping, slugify: 'keep-letters' });
    expect(slugRuleOf(asked)).toBe('keep-letters');
  });

  it('collections[].slugify: another value is refused, naming the key and the values', async () => {
    const text = 'collections:\n  - endpoint: https://a.dropmark.com/1.json\n    slugify: latin\n';
    const error = await loadConfig({
      cwd: '/srv',
      env: {},
      overrides: { configFile: 'c.yaml' },
      readText: async () => text,
    })
      .then(() => undefined)
      .catch((e: Error & { keyPath?: string }) => e);
    expect(error?.keyPath).toBe('collections[0].slugify');
    expect(error?.message).toContain('collections[0].slugify: must be one of: ascii, transliterate, keep-letters');
  });
});

describe('names made before the rule', () => {
  const item = feedItem('7', 'Über Größe', 'https://www.spiegel.de/x');

  it('fit the item still: an existing file is its own, not a copy', () => {
    expect(fittingNames(item, '{slug}.md', '2024-03-07', 'transliterate')).toEqual([
      'spiegel-ueber-groesse',
      'spiegel-ueber-groesse-7',
      'spiegel-ber-gr-e',
      'spiegel-ber-gr-e-7',
    ]);
  });

  it('keep their names, in mode follow-title too; a new item gets the rule', () => {
    const fresh = feedItem('8', 'Café', 'https://www.lemonde.fr/y');
    const claims = { existingById: new Map([['7', 'spiegel-ber-gr-e']]), taken: new Set<string>() };
    for (const mode of ['keep', 'follow-title'] as const) {
      const slugs = assignSlugs([item, fresh], { ...claims, mode, slugRule: 'transliterate' });
      expect([...slugs]).toEqual([
        ['7', 'spiegel-ber-gr-e'],
        ['8', 'lemonde-cafe'],
      ]);
    }
  });
});
