import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/feed/parse.js';
import { stackLayout } from '../../../src/map/stacks.js';
import { feedItem } from '../../support/builders.js';

const item = (id: string, over: Partial<FeedItem> = {}): FeedItem => ({ ...feedItem(id, `Item ${id}`), ...over });
const feed = [
  item('1'),
  item('2', { kind: 'stack', name: 'Reading list | Team' }),
  item('3', { parentId: '2', tags: ['a'] }),
  item('4', { parentId: '2', kind: 'image' }),
  item('5', { parentId: '99' }),
  item('6', { parentId: '1' }),
];
const ids = (items: readonly FeedItem[]) => items.map((i) => i.id);

describe('stackLayout', () => {
  it('list: the stack is one post holding its items in feed order; they are no posts', () => {
    const layout = stackLayout(feed, 'list');
    expect(ids(layout.posts)).toEqual(['1', '2', '5', '6']);
    expect([...layout.children].map(([id, items]) => [id, ids(items)])).toEqual([['2', ['3', '4']]]);
  });
  it('flatten: each item of the stack is a post tagged with the stack name; the stack is none', () => {
    const layout = stackLayout(feed, 'flatten');
    expect(ids(layout.posts)).toEqual(['1', '3', '4', '5', '6']);
    expect(layout.posts.find((i) => i.id === '3')?.tags).toEqual(['a', 'Reading list']);
    expect(layout.posts.find((i) => i.id === '4')?.tags).toEqual(['Reading list']);
    expect(layout.children.size).toBe(0);
  });
  it('an item whose parent is missing or no stack is a post of its own', () => {
    expect(ids(stackLayout(feed, 'list').posts)).toContain('5');
    expect(ids(stackLayout(feed, 'flatten').posts)).toContain('6');
  });
});

describe('stackLayout: stacks that name a parent (an attacker trial)', () => {
  it('a stack inside a stack, and two stacks in a loop, stay stacks of their own; every item is listed once', () => {
    const items = [
      item('3', { kind: 'stack', parentId: '4' }),
      item('4', { kind: 'stack', parentId: '3' }),
      item('5', { parentId: '3' }),
      item('6', { parentId: '4' }),
    ];
    const layout = stackLayout(items, 'list');
    expect(ids(layout.posts)).toEqual(['3', '4']);
    expect([...layout.children].map(([id, children]) => [id, ids(children)])).toEqual([
      ['3', ['5']],
      ['4', ['6']],
    ]);
    expect(ids(stackLayout(items, 'flatten').posts)).toEqual(['5', '6']);
  });
});
