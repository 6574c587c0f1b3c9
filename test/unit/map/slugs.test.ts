import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/feed/parse.js';
import { assignSlugs } from '../../../src/map/unique-slugs.js';

const item = (id: string, name: string, link = 'https://www.example.com/x'): FeedItem => ({
  id,
  name,
  link,
  description: null,
  content: null,
  thumbnail: null,
  tags: [],
  createdAt: null,
  updatedAt: null,
  url: null,
});
const none = { existingById: new Map<string, string>(), taken: new Set<string>() };

describe('assignSlugs', () => {
  it('gives the lowest id the plain slug and the other <slug>-<id>, whatever the feed order', () => {
    const a = item('200', 'Same title');
    const b = item('100', 'Same title');
    expect(assignSlugs([a, b], none)).toEqual(new Map([['200', 'example-same-title-200'], ['100', 'example-same-title']]));
    expect(assignSlugs([b, a], none)).toEqual(assignSlugs([a, b], none));
  });

  it('lets the item whose file already has the name keep it', () => {
    const slugs = assignSlugs([item('100', 'Same title'), item('200', 'Same title')], {
      existingById: new Map([['200', 'example-same-title']]),
      taken: new Set(),
    });
    expect(slugs.get('200')).toBe('example-same-title');
    expect(slugs.get('100')).toBe('example-same-title-100');
  });

  it('keeps a <slug>-<id> file when the collision is gone', () => {
    const slugs = assignSlugs([item('200', 'Same title')], {
      existingById: new Map([['200', 'example-same-title-200']]),
      taken: new Set(),
    });
    expect(slugs.get('200')).toBe('example-same-title-200');
  });

  it('never takes the name of a file the tool does not own', () => {
    const slugs = assignSlugs([item('1', 'About')], { existingById: new Map(), taken: new Set(['example-about']) });
    expect(slugs.get('1')).toBe('example-about-1');
  });

  it('gives numeric ids numeric order', () => {
    const slugs = assignSlugs([item('10', 'T'), item('9', 'T')], none);
    expect(slugs.get('9')).toBe('example-t');
  });
});
