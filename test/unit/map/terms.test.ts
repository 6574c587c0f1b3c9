import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/feed/parse.js';
import { cleanTerm, collectionTerms } from '../../../src/map/terms.js';
import { feedItem } from '../../support/builders.js';
import { SAMPLE_FEED_URL, sampleFeed } from '../../support/fixtures.js';

const tagged = (id: string, tags: string[]) => ({ ...feedItem(id, `Item ${id}`), tags });
const PATH = 'a tag is never a path';
const CONTROL = 'a tag holds no control characters';
const DOTS = 'it is empty or only dots once cleaned (a tag is never a path)';
const PROTO = 'a name every JavaScript object has, which breaks generators that key tags by name';
const NO_NAME = 'it has no letter, digit or emoji (its tag page would have an empty name)';

describe('cleanTerm: a tag is never a path, a control character or a prototype name', () => {
  it.each([
    ['AI', { term: 'AI' }],
    ['Patient Engagement', { term: 'Patient Engagement' }],
    ['  spaced \u00a0  out ', { term: 'spaced out' }],
    ['.NET', { term: '.NET' }],
    ['AI/ML', { term: 'AI-ML', changed: PATH }],
    ['AI / ML', { term: 'AI-ML', changed: PATH }],
    ['a\\b', { term: 'a-b', changed: PATH }],
    ['../../post/some-post', { term: 'post-some-post', changed: PATH }],
    ['..\\..\\etc', { term: 'etc', changed: PATH }],
    ['line\nbreak', { term: 'line break', changed: CONTROL }],
    ['tab\there\u0000', { term: 'tab here', changed: CONTROL }],
    ['para\u2029graph', { term: 'para graph', changed: CONTROL }],
    ['..\u200b', { dropped: DOTS }],
    ['.\u00ad.', { dropped: DOTS }],
    ['\u2025', { dropped: DOTS }],
    ['\uff0e\uff0e', { dropped: DOTS }],
    ['a\uff0fb', { term: 'a-b', changed: PATH }],
    ['a\u2215b', { term: 'a-b', changed: PATH }],
    ['a\u2044b', { term: 'a-b', changed: PATH }],
    ['zero\u200bwidth', { term: 'zerowidth', changed: 'a tag holds no invisible characters' }],
    ['-', { dropped: NO_NAME }],
    ['#!?', { dropped: NO_NAME }],
    ['\u{1F525}', { term: '\u{1F525}' }],
    ['__defineGetter__', { dropped: PROTO }],
    ['toString', { dropped: PROTO }],
    ['HasOwnProperty', { dropped: PROTO }],
    ['.', { dropped: DOTS }],
    ['..', { dropped: DOTS }],
    [' . .. ', { dropped: DOTS }],
    ['/', { dropped: DOTS }],
    ['../..', { dropped: DOTS }],
    ['\n', { dropped: DOTS }],
    ['__proto__', { dropped: PROTO }],
    [' Constructor ', { dropped: PROTO }],
    ['prototype', { dropped: PROTO }],
    ['a/__proto__', { term: 'a-__proto__', changed: PATH }],
  ])('%j -> %j', (raw, expected) => {
    expect(cleanTerm(raw)).toEqual(expected);
  });
});

describe('collectionTerms', () => {
  it("keeps one of an item's tags that are equal after case folding and NFC: the first spelling", () => {
    const { items } = collectionTerms([tagged('1', ['AI', 'ai', 'Caf\u00e9', 'Ai', 'cafe\u0301', 'x'])], false);
    expect(items[0]?.tags).toEqual(['AI', 'Caf\u00e9', 'x']);
  });

  it('bookmark: each item keeps its own spelling', () => {
    const { items } = collectionTerms([tagged('1', ['AI']), tagged('2', ['ai']), tagged('3', ['ai'])], false);
    expect(items.map((i) => i.tags)).toEqual([['AI'], ['ai'], ['ai']]);
  });

  it('generator profiles: the spelling most items use, for every item', () => {
    const { items } = collectionTerms(
      [
        tagged('1', ['Patient Engagement', 'AI']),
        tagged('2', ['patient engagement']),
        tagged('3', ['patient engagement']),
      ],
      true,
    );
    expect(items.map((i) => i.tags)).toEqual([
      ['patient engagement', 'AI'],
      ['patient engagement'],
      ['patient engagement'],
    ]);
  });

  it('a tie goes to the spelling seen first in feed order; one item counts once', () => {
    const first = collectionTerms([tagged('1', ['B-Tag', 'b-tag']), tagged('2', ['b-tag'])], true);
    expect(first.items.map((i) => i.tags)).toEqual([['B-Tag'], ['B-Tag']]);
    const reversed = collectionTerms([tagged('2', ['b-tag']), tagged('1', ['B-Tag', 'b-tag'])], true);
    expect(reversed.items.map((i) => i.tags)).toEqual([['b-tag'], ['b-tag']]);
  });

  it('generator profiles: spellings that differ in separators only are one tag (one slug, one page)', () => {
    const feed = [
      tagged('1', ['Patient Engagement']),
      tagged('2', ['patient-engagement']),
      tagged('3', ['patient_engagement', 'Patient Engagement']),
      tagged('4', ['patient-engagement']),
    ];
    // Two items each for `Patient Engagement` and `patient-engagement`: the tie goes to the first seen.
    expect(collectionTerms(feed, true).items.map((i) => i.tags)).toEqual([
      ['Patient Engagement'],
      ['Patient Engagement'],
      ['Patient Engagement'],
      ['Patient Engagement'],
    ]);
    expect(collectionTerms(feed, false).items.map((i) => i.tags)).toEqual([
      ['Patient Engagement'],
      ['patient-engagement'],
      ['patient_engagement', 'Patient Engagement'],
      ['patient-engagement'],
    ]);
  });

  it('generator profiles: spellings one slug makes one (dots and look-alike dots too)', () => {
    const feed = [tagged('1', ['a.b']), tagged('2', ['a\u2024b', 'a\uff0eb']), tagged('3', ['a.b'])];
    expect(collectionTerms(feed, true).items.map((i) => i.tags)).toEqual([['a.b'], ['a.b'], ['a.b']]);
  });

  it('counts cleaned spellings: AI/ML and AI-ML are one spelling', () => {
    const { items } = collectionTerms([tagged('1', ['ai-ml']), tagged('2', ['AI/ML']), tagged('3', ['AI-ML'])], true);
    expect(items.map((i) => i.tags)).toEqual([['AI-ML'], ['AI-ML'], ['AI-ML']]);
  });

  it('says what it left out or changed, naming the item, in every profile', () => {
    const feed = [tagged('5', ['..', 'AI/ML', '__proto__', 'ok']), tagged('6', [`${'x'.repeat(70)}\n`])];
    for (const oneSpelling of [false, true]) {
      const { items, warnings } = collectionTerms(feed, oneSpelling);
      expect(items.map((i) => i.tags)).toEqual([['AI-ML', 'ok'], ['x'.repeat(70)]]);
      expect(warnings).toEqual([
        { itemId: '5', message: `tag ".." left out: ${DOTS}` },
        { itemId: '5', message: `tag "AI/ML" written as "AI-ML": ${PATH}` },
        { itemId: '5', message: `tag "__proto__" left out: ${PROTO}` },
        { itemId: '6', message: `tag "${'x'.repeat(60)}..." written as "${'x'.repeat(60)}...": ${CONTROL}` },
      ]);
    }
  });

  it('the bundled real feed: its two spellings of patient engagement become one; bookmark changes no tag', () => {
    const { items } = parseFeed(JSON.stringify(sampleFeed()), SAMPLE_FEED_URL);
    const spellings = (list: readonly { tags: string[] }[]) =>
      [...new Set(list.flatMap((i) => i.tags))].filter((t) => t.toLowerCase() === 'patient engagement');
    expect(spellings(items)).toEqual(['patient engagement', 'Patient Engagement']);
    expect(spellings(collectionTerms(items, true).items)).toEqual(['patient engagement']);
    expect(collectionTerms(items, false).items).toEqual(items);
  });
});
