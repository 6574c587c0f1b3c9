import { describe, expect, it } from 'vitest';
import { plan, type PlanOptions, type WantedFile } from '../../src/plan/post-plan.js';
import type { ExistingFile } from '../../src/site/read.js';

const want = (id: string, name: string, text = `text ${id}`): WantedFile => ({
  id,
  relPath: `content/post/${name}.md`,
  text,
  title: `T${id}`,
  link: '',
  editUrl: '',
});
const file = (id: string | undefined, name: string, text = `text ${id}`): ExistingFile => ({
  id,
  name,
  relPath: `content/post/${name}.md`,
  text,
  data: { title: `T${id}` },
  body: '',
  locked: false,
  extraKeys: {},
  socialScore: undefined,
  socialScoreSimulated: false,
  date: undefined,
});
const opts = (o: Partial<PlanOptions> = {}): PlanOptions => ({ deletions: 'delete', allowMassDelete: false, feedItemCount: 1, ...o });

describe('plan', () => {
  it('creates, updates, keeps and deletes by item id', () => {
    const result = plan(
      [want('1', 'a'), want('2', 'b', 'new'), want('3', 'c')],
      [file('2', 'b', 'old'), file('3', 'c'), file('4', 'd'), file('5', 'e'), file('6', 'f'), file('7', 'g')],
      opts({ feedItemCount: 3, allowMassDelete: true }),
    );
    expect(result.changes.map((c) => [c.kind, c.relPath])).toEqual([
      ['create', 'content/post/a.md'],
      ['update', 'content/post/b.md'],
      ['delete', 'content/post/d.md'],
      ['delete', 'content/post/e.md'],
      ['delete', 'content/post/f.md'],
      ['delete', 'content/post/g.md'],
    ]);
    expect(result.unchanged).toBe(1);
  });

  it('finds a file by id whatever its name, and moves it', () => {
    const result = plan([want('1', 'new-name')], [file('1', 'old-name')], opts());
    expect(result.changes).toMatchObject([{ kind: 'update', relPath: 'content/post/new-name.md', renamedFrom: 'content/post/old-name.md' }]);
  });

  it('never deletes a file it does not own', () => {
    const result = plan([want('1', 'a')], [file('1', 'a'), file(undefined, 'about')], opts());
    expect(result.changes).toEqual([]);
  });

  it('keeps files of vanished items with deletions: keep', () => {
    const result = plan([want('1', 'a')], [file('1', 'a'), file('2', 'b')], opts({ deletions: 'keep' }));
    expect(result.changes).toEqual([]);
    expect(result.refusal).toBeUndefined();
  });

  it('keeps the file of an item that could not be rendered', () => {
    const result = plan([want('1', 'a')], [file('1', 'a'), file('2', 'b'), file('3', 'c')], opts({ keepIds: new Set(['2']) }));
    expect(result.changes.map((c) => c.relPath)).toEqual(['content/post/c.md']);
  });

  it('refuses an empty feed that would delete everything', () => {
    const result = plan([], [file('1', 'a')], opts({ feedItemCount: 0 }));
    expect(result.refusal).toMatch(/lists no items.*--allow-mass-delete/);
  });

  it('refuses deleting more than half of the owned files, unless allowed', () => {
    const existing = [file('1', 'a'), file('2', 'b'), file('3', 'c')];
    expect(plan([want('1', 'a')], existing, opts()).refusal).toMatch(/delete 2 of the 3 file\(s\).*--allow-mass-delete/);
    expect(plan([want('1', 'a'), want('2', 'b')], existing, opts()).refusal).toBeUndefined();
    expect(plan([want('1', 'a')], existing, opts({ allowMassDelete: true })).refusal).toBeUndefined();
  });

  it('removes a second file with the same id', () => {
    const result = plan([want('1', 'a')], [file('1', 'a'), file('1', 'a-copy'), file('2', 'b'), file('3', 'c')], opts({ allowMassDelete: true }));
    expect(result.changes.filter((c) => c.kind === 'delete').map((c) => c.relPath)).toContain('content/post/a-copy.md');
  });
});

describe('formatting is the owner\'s business', () => {
  const canonical = "---\narchetype: bookmark\ndate: 2019-02-26T11:47:13Z\ntitle: 'Case Studies: a look'\n---\nBody\n";
  it.each([
    ['keys in another order', '---\ntitle: \'Case Studies: a look\'\narchetype: bookmark\ndate: 2019-02-26T11:47:13Z\n---\nBody\n'],
    ['double instead of single quotes', '---\narchetype: bookmark\ndate: 2019-02-26T11:47:13Z\ntitle: "Case Studies: a look"\n---\nBody\n'],
    ['a folded long value', "---\narchetype: bookmark\ndate: 2019-02-26T11:47:13Z\ntitle: 'Case Studies:\n  a look'\n---\nBody\n"],
  ])('a file that means the same with %s is unchanged, not rewritten', (_what, onDisk) => {
    const result = plan([want('1', 'a', canonical)], [file('1', 'a', onDisk)], opts());
    expect(result.changes).toEqual([]);
    expect(result.unchanged).toBe(1);
  });

  it.each([
    ['another value', canonical.replace('a look', 'another look')],
    ['another body', canonical.replace('Body\n', 'Body edited\n')],
    ['a key more', canonical.replace('archetype', 'draft: true\narchetype')],
    ['the date as another type', canonical.replace('2019-02-26T11:47:13Z', '"2019-02-26"')],
  ])('a file with %s is updated', (_what, onDisk) => {
    const result = plan([want('1', 'a', canonical)], [file('1', 'a', onDisk)], opts());
    expect(result.changes.map((c) => c.kind)).toEqual(['update']);
  });
});
