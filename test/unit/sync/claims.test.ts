import { describe, expect, it } from 'vitest';
import { plan, toFileOps } from '../../../src/plan/post-plan.js';
import { bodyHash } from '../../../src/state/bodies.js';
import { indexSnapshot } from '../../support/site-index.js';
import { existingFile, feedWith, siteSnapshot } from '../../support/builders.js';

// Two (or more) files that claim one item: which one is the tool's, and what becomes of the others.
type Item = { id: number; name: string };
const feedOf = (...items: Item[]) => feedWith({ updated_at: '2024-03-07 22:29:46 UTC' }, items);
const file = (name: string, id: string | undefined, body: string) =>
  existingFile(name, id, { text: `---\ntitle: ${name}\n---\n${body}`, body });
const snapshot = siteSnapshot;
const owners = (index: ReturnType<typeof indexSnapshot>) =>
  Object.fromEntries([...index.existingById].map(([id, f]) => [id, f.name]));

describe('indexFiles: the tool’s file of an item several files claim', () => {
  it('is the one at the name the item’s title gives, though a copy sorts first', () => {
    const index = indexSnapshot(
      snapshot([file('0-copy', '7', 'My notes.\n'), file('example-seven', '7', 'Feed body.\n')]),
      feedOf({ id: 7, name: 'Seven' }),
      'keep',
    );
    expect(owners(index)).toEqual({ '7': 'example-seven' });
    expect(index.duplicates).toEqual([
      { file: 'content/post/0-copy.md', itemId: '7', toolFile: 'content/post/example-seven.md' },
    ]);
    expect(Object.fromEntries(index.slugs)).toEqual({ '7': 'example-seven' });
  });

  it('the one named `<slug>-<id>` fits the title too', () => {
    const index = indexSnapshot(
      snapshot([file('a-copy', '7', 'Feed body.\n'), file('example-seven-7', '7', 'Feed body.\n')]),
      feedOf({ id: 7, name: 'Seven' }),
      'keep',
    );
    expect(owners(index)).toEqual({ '7': 'example-seven-7' });
  });

  it('when no name fits (the item was retitled): the one whose body is the one the tool wrote', () => {
    const index = indexSnapshot(
      snapshot([file('a-copy', '7', 'My notes.\n'), file('old-name', '7', 'Feed body.\n')]),
      feedOf({ id: 7, name: 'Seven, retitled' }),
      'keep',
      undefined,
      { recorded: new Map([['7', bodyHash('Feed body.\n')]]) },
    );
    expect(owners(index)).toEqual({ '7': 'old-name' });
    expect(Object.fromEntries(index.slugs)).toEqual({ '7': 'old-name' });
  });

  it("a copy named after the item's new title, the tool's file under the old one: the body decides", () => {
    const index = indexSnapshot(
      snapshot([file('example-bar', '7', 'My own text.\n'), file('example-foo', '7', 'Feed body.\n')]),
      feedOf({ id: 7, name: 'Bar' }),
      'keep',
      undefined,
      { recorded: new Map([['7', bodyHash('Feed body.\n')]]) },
    );
    expect(owners(index)).toEqual({ '7': 'example-foo' });
    expect(index.duplicates.map((d) => d.file)).toEqual(['content/post/example-bar.md']);
  });

  it('when nothing tells them apart: the first by name, on every run', () => {
    const files = [file('b', '7', 'Same.\n'), file('a', '7', 'Same.\n')];
    const index = indexSnapshot(snapshot(files), feedOf({ id: 7, name: 'Seven' }), 'keep');
    expect(owners(index)).toEqual({ '7': 'a' });
    expect(index.duplicates).toEqual([{ file: 'content/post/b.md', itemId: '7', toolFile: 'content/post/a.md' }]);
  });

  it('of an item gone from the feed: by the recorded body, and the copy says the item is gone', () => {
    const index = indexSnapshot(
      snapshot([file('a-copy', '7', 'My notes.\n'), file('example-seven', '7', 'Feed body.\n')]),
      feedOf({ id: 8, name: 'Eight' }),
      'keep',
      undefined,
      { recorded: new Map([['7', bodyHash('Feed body.\n')]]) },
    );
    expect(index.duplicates).toEqual([
      { file: 'content/post/a-copy.md', itemId: '7', toolFile: 'content/post/example-seven.md', itemGone: true },
    ]);
  });

  it('a copy’s name is never given to another item', () => {
    const index = indexSnapshot(
      snapshot([file('example-seven', '7', 'x'), file('example-eight', '7', 'y')]),
      feedOf({ id: 7, name: 'Seven' }, { id: 8, name: 'Eight' }),
      'keep',
    );
    expect(Object.fromEntries(index.slugs)).toEqual({ '7': 'example-seven', '8': 'example-eight-8' });
  });
});

describe('plan with the index’s copies: a copied post', () => {
  it('updates only the tool’s file, leaves the copy, deletes nothing', () => {
    const site = snapshot([file('0-copy', '7', 'My notes.\n'), file('example-seven', '7', 'Old body.\n')]);
    const index = indexSnapshot(site, feedOf({ id: 7, name: 'Seven' }), 'keep');
    const wanted = [
      { id: '7', relPath: 'content/post/example-seven.md', text: 'new', title: 'Seven', link: '', editUrl: '' },
    ];
    const result = plan(wanted, site.files, {
      deletions: 'delete',
      allowMassDelete: false,
      feedItemCount: 1,
      copies: new Set(index.duplicates.map((d) => d.file)),
    });
    expect(result.changes.map((c) => `${c.kind} ${c.relPath}`)).toEqual(['update content/post/example-seven.md']);
  });
});

describe('a rename a killed run left half done (state/renames.ts)', () => {
  // The run wrote the item's file under its new name, then was killed before it removed the old one.
  const files = () => [file('old-name', '7', 'Feed body.\n'), file('example-seven', '7', 'Feed body.\n')];
  const index = (renaming: Map<string, string>) =>
    indexSnapshot(snapshot(files()), feedOf({ id: 7, name: 'Seven' }), 'keep', undefined, { renaming });

  it('with the journal: the old name is the tool’s leftover, not a copy, and the rename is finished', () => {
    const indexed = index(new Map([['7', 'content/post/old-name.md']]));
    expect(indexed.duplicates).toEqual([]);
    expect(indexed.leftovers.get('7')?.relPath).toBe('content/post/old-name.md');
    expect(indexed.existingById.get('7')?.relPath).toBe('content/post/example-seven.md');
    const wanted = [
      { id: '7', relPath: 'content/post/example-seven.md', text: 'new', title: 'Seven', link: '', editUrl: '' },
    ];
    const planned = plan(wanted, indexed.site.files, {
      deletions: 'delete',
      allowMassDelete: false,
      feedItemCount: 1,
      leftovers: new Map([['7', 'content/post/old-name.md']]),
    });
    expect(planned.changes).toMatchObject([
      { kind: 'update', relPath: 'content/post/example-seven.md', renamedFrom: 'content/post/old-name.md' },
    ]);
    // The new name holds the tool's file already: written over, the old name removed after it.
    expect(toFileOps(planned.changes)).toEqual([
      {
        phase: 1,
        op: 'write',
        relPath: 'content/post/example-seven.md',
        data: 'new',
        replaces: 'content/post/old-name.md',
      },
    ]);
  });

  it('without it: the old name is a copy, left alone', () => {
    const indexed = index(new Map());
    expect(indexed.leftovers.size).toBe(0);
    expect(indexed.duplicates.map((d) => d.file)).toEqual(['content/post/old-name.md']);
  });
});
