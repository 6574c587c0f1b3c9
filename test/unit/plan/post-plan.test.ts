import { describe, expect, it } from 'vitest';
import { plan, toFileOps, type Change, type PlanOptions, type WantedFile } from '../../../src/plan/post-plan.js';
import type { ExistingFile } from '../../../src/site/read.js';
import { existingFile } from '../../support/builders.js';

const want = (id: string, name: string, text = `text ${id}`): WantedFile => ({
  id,
  relPath: `content/post/${name}.md`,
  text,
  title: `T${id}`,
  link: '',
  editUrl: '',
});
const file = (id: string | undefined, name: string, text = `text ${id}`, more: Partial<ExistingFile> = {}) =>
  existingFile(name, id, { text, data: { title: `T${id}` }, ...more });
const locked = (id: string, name: string, text?: string) => file(id, name, text, { locked: true });
const opts = (o: Partial<PlanOptions> = {}): PlanOptions => ({
  deletions: 'delete',
  allowMassDelete: false,
  feedItemCount: 1,
  ...o,
});

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
    expect(result.changes).toMatchObject([
      { kind: 'update', relPath: 'content/post/new-name.md', renamedFrom: 'content/post/old-name.md' },
    ]);
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
    const result = plan(
      [want('1', 'a')],
      [file('1', 'a'), file('2', 'b'), file('3', 'c')],
      opts({ keepIds: new Set(['2']) }),
    );
    expect(result.changes.map((c) => c.relPath)).toEqual(['content/post/c.md']);
  });

  it('refuses an empty feed that would delete everything', () => {
    const result = plan([], [file('1', 'a')], opts({ feedItemCount: 0 }));
    expect(result.refusal).toMatch(/lists no items.*--allow-mass-delete/);
  });

  it('refuses deleting more than half of the owned files, unless allowed', () => {
    const existing = [file('1', 'a'), file('2', 'b'), file('3', 'c')];
    expect(plan([want('1', 'a')], existing, opts()).refusal).toMatch(
      /delete 2 of the 3 file\(s\).*--allow-mass-delete/,
    );
    expect(plan([want('1', 'a'), want('2', 'b')], existing, opts()).refusal).toBeUndefined();
    expect(plan([want('1', 'a')], existing, opts({ allowMassDelete: true })).refusal).toBeUndefined();
  });

  it('never deletes a second file with the same id: a copy is a person’s file', () => {
    const result = plan(
      [want('1', 'a')],
      [file('1', 'a'), file('1', 'a-copy'), file('2', 'b'), file('3', 'c')],
      opts({ allowMassDelete: true }),
    );
    expect(result.changes.map((c) => `${c.kind} ${c.relPath}`)).toEqual([
      'delete content/post/b.md',
      'delete content/post/c.md',
    ]);
  });
});

describe('plan: two files claim one item (a copied post)', () => {
  const copyText = '---\ntitle: My own take\ndropmark.editURL: https://x.dropmark.com/1/1\n---\nMy notes.\n';

  it('updates only the tool’s file and deletes nothing, whichever sorts first', () => {
    const result = plan(
      [want('1', 'a', 'new text 1')],
      [file('1', '0-copy', copyText), file('1', 'a', 'old text 1')],
      opts({ copies: new Set(['content/post/0-copy.md']) }),
    );
    expect(result.changes).toEqual([
      {
        kind: 'update',
        relPath: 'content/post/a.md',
        text: 'new text 1',
        before: 'old text 1',
        id: '1',
        title: 'T1',
        link: '',
        editUrl: '',
        // Neither text has front matter: nothing the report can name.
        changedKeys: [],
      },
    ]);
    expect(result.unchanged).toBe(0);
  });

  it('moves the tool’s file on a rename, never the copy, even when the copy comes first', () => {
    const result = plan(
      [want('1', 'new-name')],
      [file('1', 'a-copy', copyText), file('1', 'old-name')],
      opts({ copies: new Set(['content/post/a-copy.md']) }),
    );
    expect(result.changes.map((c) => `${c.kind} ${c.relPath}`)).toEqual(['update content/post/new-name.md']);
    expect(result.changes[0]).toMatchObject({ renamedFrom: 'content/post/old-name.md' });
  });

  it('keeps both files when the item leaves the feed', () => {
    const result = plan(
      [want('2', 'b')],
      [file('1', 'a'), file('1', 'a-copy', copyText), file('2', 'b'), file('3', 'c')],
      opts({ copies: new Set(['content/post/a-copy.md']) }),
    );
    expect(result.changes.map((c) => `${c.kind} ${c.relPath}`)).toEqual(['delete content/post/c.md']);
  });

  it('a copy is not counted among the owned files a mass deletion is measured against', () => {
    const existing = [file('1', 'a'), file('2', 'b'), file('2', 'b-copy'), file('2', 'b-copy-2'), file('3', 'c')];
    const copies = new Set(['content/post/b-copy.md', 'content/post/b-copy-2.md']);
    expect(plan([want('2', 'b')], existing, opts({ copies })).refusal).toMatch(/delete 2 of the 3 file\(s\)/);
  });
});

describe('plan: a file in CRLF lines', () => {
  const lf = '---\ntitle: T1\n---\nbody\n';
  const crlfFile = (text: string) => file('1', 'a', text, { lineEnd: '\r\n' });

  it('is unchanged when its text (read with LF lines) is what the tool would write', () => {
    const result = plan([want('1', 'a', lf)], [crlfFile(lf)], opts());
    expect(result).toEqual({ changes: [], unchanged: 1, skipped: [] });
  });

  it('is rewritten in CRLF lines, a CRLF of the feed’s own in its body kept as one line break', () => {
    const wanted = '---\ntitle: T1 new\n---\nfirst\r\nsecond\n';
    const result = plan([want('1', 'a', wanted)], [crlfFile(lf)], opts());
    expect(result.changes).toMatchObject([{ kind: 'update', text: wanted, before: lf, lineEnd: '\r\n' }]);
    expect(toFileOps(result.changes)).toEqual([
      {
        phase: 1,
        op: 'write',
        relPath: 'content/post/a.md',
        data: '---\r\ntitle: T1 new\r\n---\r\nfirst\r\nsecond\r\n',
      },
    ]);
  });

  it('a file in LF lines is written as the tool renders it, a lone CR of the feed included', () => {
    const wanted = '---\ntitle: T1 new\n---\na\rb\n';
    const result = plan([want('1', 'a', wanted)], [file('1', 'a', lf)], opts());
    expect(toFileOps(result.changes)).toEqual([{ phase: 1, op: 'write', relPath: 'content/post/a.md', data: wanted }]);
  });
});

describe("formatting is the owner's business", () => {
  const canonical = "---\narchetype: bookmark\ndate: 2019-02-26T11:47:13Z\ntitle: 'Case Studies: a look'\n---\nBody\n";
  it.each([
    [
      'keys in another order',
      "---\ntitle: 'Case Studies: a look'\narchetype: bookmark\ndate: 2019-02-26T11:47:13Z\n---\nBody\n",
    ],
    [
      'double instead of single quotes',
      '---\narchetype: bookmark\ndate: 2019-02-26T11:47:13Z\ntitle: "Case Studies: a look"\n---\nBody\n',
    ],
    [
      'a folded long value',
      "---\narchetype: bookmark\ndate: 2019-02-26T11:47:13Z\ntitle: 'Case Studies:\n  a look'\n---\nBody\n",
    ],
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

describe('plan: the mass-delete guard', () => {
  const owned = (n: number) => Array.from({ length: n }, (_, i) => file(String(i + 1), `f${i + 1}`));
  const wantFirst = (n: number) => Array.from({ length: n }, (_, i) => want(String(i + 1), `f${i + 1}`));

  it.each([
    // [owned files, items still wanted, refused?]
    [4, 2, false], // exactly half: allowed
    [4, 1, true], // three of four
    [5, 3, false], // two of five
    [5, 2, true], // three of five
    [2, 1, false], // one of two is half
    [1, 0, true], // the only file
  ])('%i owned, %i kept: refused %s (more than half of the owned files goes)', (n, kept, refused) => {
    const result = plan(wantFirst(kept), owned(n), opts({ feedItemCount: Math.max(kept, 1) }));
    if (refused) {
      expect(result.refusal).toBe(
        `this sync would delete ${n - kept} of the ${n} file(s) this tool owns (more than half). ` +
          'If that is meant, run again with --allow-mass-delete; to never delete, set deletions: keep',
      );
    } else {
      expect(result.refusal).toBeUndefined();
    }
    // The refusal only advises: the changes are still listed.
    expect(result.changes.filter((c) => c.kind === 'delete')).toHaveLength(n - kept);
  });

  it('counts only the files the tool owns, not the foreign ones beside them', () => {
    const foreign = [
      file(undefined, 'about'),
      file(undefined, 'contact'),
      file(undefined, 'team'),
      file(undefined, 'faq'),
    ];
    const result = plan([want('1', 'f1')], [...owned(3), ...foreign], opts());
    expect(result.refusal).toMatch(/^this sync would delete 2 of the 3 file\(s\) this tool owns/);
  });

  it('an empty feed that would delete names how many, and is refused even for one file', () => {
    const result = plan([], owned(3), opts({ feedItemCount: 0 }));
    expect(result.refusal).toBe(
      'the feed lists no items, which would delete all 3 file(s) this tool wrote. ' +
        'If the collection really is empty, run again with --allow-mass-delete',
    );
  });

  it('an empty feed over a site with nothing to delete is no refusal', () => {
    expect(plan([], [file(undefined, 'about')], opts({ feedItemCount: 0 })).refusal).toBeUndefined();
    expect(plan([], owned(2), opts({ feedItemCount: 0, deletions: 'keep' })).refusal).toBeUndefined();
  });

  it('--allow-mass-delete lifts both refusals', () => {
    expect(plan([], owned(3), opts({ feedItemCount: 0, allowMassDelete: true })).refusal).toBeUndefined();
    expect(plan([], owned(3), opts({ feedItemCount: 2, allowMassDelete: true })).refusal).toBeUndefined();
  });
});

describe('plan: locked files', () => {
  it('a locked file the feed would change is skipped, not updated, and named in skipped', () => {
    const result = plan([want('1', 'a', 'new')], [locked('1', 'a', 'old')], opts());
    expect(result.changes).toEqual([]);
    expect(result.unchanged).toBe(0);
    expect(result.skipped).toEqual([{ relPath: 'content/post/a.md', id: '1', title: 'T1', link: '' }]);
  });

  it('a locked file keeps its name when the item would move it', () => {
    const result = plan(
      [{ ...want('1', 'new-name', 'new'), link: 'https://x.org/1' }],
      [locked('1', 'old-name', 'old')],
      opts(),
    );
    expect(result.changes).toEqual([]);
    expect(result.skipped).toEqual([
      { relPath: 'content/post/old-name.md', id: '1', title: 'T1', link: 'https://x.org/1' },
    ]);
  });

  it('a locked file whose text the feed would not change counts as unchanged, not skipped', () => {
    const result = plan([want('1', 'a', 'same')], [locked('1', 'a', 'same')], opts());
    expect(result).toEqual({ changes: [], unchanged: 1, skipped: [] });
  });

  it('a locked file of a vanished item is not deleted, and is named in skipped with its title', () => {
    const result = plan([want('1', 'a')], [file('1', 'a'), locked('2', 'b')], opts());
    expect(result.changes).toEqual([]);
    expect(result.skipped).toEqual([{ relPath: 'content/post/b.md', id: '2', title: 'T2', link: '' }]);
    expect(result.refusal).toBeUndefined();
  });

  it('with deletions: keep, a locked file of a vanished item is nothing to report', () => {
    const result = plan([want('1', 'a')], [file('1', 'a'), locked('2', 'b')], opts({ deletions: 'keep' }));
    expect(result.skipped).toEqual([]);
  });

  it('a skipped file without a title in its front matter is named by its path', () => {
    const result = plan(
      [],
      [file('1', 'a'), file('2', 'b', 'x', { locked: true, data: {} })],
      opts({ allowMassDelete: true }),
    );
    expect(result.skipped).toEqual([{ relPath: 'content/post/b.md', id: '2', title: 'content/post/b.md', link: '' }]);
  });
});

describe('plan: what a change carries', () => {
  it('a create carries the rendered file and the item', () => {
    const wanted: WantedFile = {
      id: '1',
      relPath: 'content/post/a.md',
      text: 'T',
      title: 'Title',
      link: 'https://x.org',
      editUrl: 'https://e/1',
    };
    expect(plan([wanted], [], opts()).changes).toEqual([{ kind: 'create', ...wanted }]);
  });

  it('an update the plan compared names the keys that change, then body, read from both texts', () => {
    const before = '---\ntitle: Old\ntags:\n- a\nlink: https://x.example/\n---\nbody\n';
    const after = '---\nlink: https://x.example/\ntitle: New\ntags: [a]\n---\nnew body\n';
    const result = plan([want('1', 'a', after)], [file('1', 'a', before)], opts());
    expect(result.changes).toMatchObject([{ kind: 'update', changedKeys: ['title', 'body'] }]);
    // The same values written otherwise (order, flow style): no change.
    const same = '---\nlink: https://x.example/\ntitle: Old\ntags: [a]\n---\nbody\n';
    expect(plan([want('1', 'a', same)], [file('1', 'a', before)], opts())).toMatchObject({ changes: [], unchanged: 1 });
  });

  it('an update carries the text before; a rename also the old path', () => {
    const result = plan(
      [want('1', 'a', 'new'), want('2', 'moved', 'same')],
      [file('1', 'a', 'old'), file('2', 'b', 'same')],
      opts(),
    );
    expect(result.changes).toEqual([
      {
        kind: 'update',
        relPath: 'content/post/a.md',
        text: 'new',
        id: '1',
        title: 'T1',
        link: '',
        editUrl: '',
        before: 'old',
        changedKeys: [],
      },
      {
        kind: 'update',
        relPath: 'content/post/moved.md',
        text: 'same',
        id: '2',
        title: 'T2',
        link: '',
        editUrl: '',
        before: 'same',
        renamedFrom: 'content/post/b.md',
        // It only moves: nothing in it changes.
        changedKeys: [],
      },
    ]);
    expect(result.unchanged).toBe(0);
  });

  it('a delete carries title, link and edit URL from the front matter, or "" when they are not text', () => {
    const data = { title: 'Gone', link: 'https://x.org/g', 'dropmark.editURL': 'https://d.dropmark.com/1/9' };
    const result = plan(
      [want('1', 'a')],
      [
        file('1', 'a'),
        file('9', 'g', 'old g', { data }),
        file('8', 'h', 'old h', { data: { title: 7, link: 1, 'dropmark.editURL': false } }),
      ],
      opts({ allowMassDelete: true }),
    );
    expect(result.changes).toEqual([
      {
        kind: 'delete',
        relPath: 'content/post/g.md',
        id: '9',
        before: 'old g',
        title: 'Gone',
        link: 'https://x.org/g',
        editUrl: 'https://d.dropmark.com/1/9',
      },
      {
        kind: 'delete',
        relPath: 'content/post/h.md',
        id: '8',
        before: 'old h',
        title: 'content/post/h.md',
        link: '',
        editUrl: '',
      },
    ]);
  });

  it(
    'a file whose front matter cannot be read at all is deleted under its path, ' + 'with no title, link or edit URL',
    () => {
      const result = plan(
        [want('1', 'a')],
        [file('1', 'a'), file('9', 'g', 'old g', { data: undefined })],
        opts({ allowMassDelete: true }),
      );
      expect(result.changes).toEqual([
        {
          kind: 'delete',
          relPath: 'content/post/g.md',
          id: '9',
          before: 'old g',
          title: 'content/post/g.md',
          link: '',
          editUrl: '',
        },
      ]);
    },
  );

  it('changes come in path order, whatever the order of the feed and the disk', () => {
    const result = plan(
      [want('3', 'c'), want('1', 'a'), want('5', 'e')],
      [file('4', 'd'), file('2', 'b'), file('5', 'e', 'old')],
      opts({ allowMassDelete: true }),
    );
    expect(result.changes.map((c) => `${c.kind} ${c.relPath}`)).toEqual([
      'create content/post/a.md',
      'delete content/post/b.md',
      'create content/post/c.md',
      'delete content/post/d.md',
      'update content/post/e.md',
    ]);
  });

  it('of two files with the item id not told apart, the one at the wanted path is the item’s, in any order', () => {
    const result = plan([want('1', 'a')], [file('1', 'a-copy'), file('1', 'a')], opts({ allowMassDelete: true }));
    expect(result.changes).toEqual([]);
    expect(result.unchanged).toBe(1);
  });

  it('of two files with the item id not told apart, none at the wanted path: the first moves, the other stays', () => {
    const result = plan([want('1', 'a')], [file('1', 'x'), file('1', 'y')], opts({ allowMassDelete: true }));
    expect(result.changes.map((c) => `${c.kind} ${c.relPath}`)).toEqual(['update content/post/a.md']);
    expect(result.changes[0]).toMatchObject({ renamedFrom: 'content/post/x.md' });
  });

  it('every deletion is of a file whose item is gone from the feed (what the report says of it)', () => {
    const result = plan(
      [want('1', 'new-name'), want('2', 'b')],
      [file('1', 'old-name'), file('2', 'b'), file('2', 'b-copy'), file('3', 'c'), file('4', 'd'), file('4', 'd2')],
      opts({ allowMassDelete: true }),
    );
    expect(result.changes.map((c) => `${c.kind} ${c.relPath}`)).toEqual([
      'delete content/post/c.md',
      'update content/post/new-name.md',
    ]);
  });

  it('a file at a path another item now takes is overwritten by it, not also deleted', () => {
    const result = plan([want('2', 'a')], [file('1', 'a')], opts({ allowMassDelete: true }));
    expect(result.changes.map((c) => `${c.kind} ${c.relPath}`)).toEqual(['create content/post/a.md']);
  });

  it('a file whose front matter cannot be read is rewritten, not judged the same', () => {
    const wanted = '---\ntitle: x\n---\nBody\n';
    const result = plan([want('1', 'a', wanted)], [file('1', 'a', '---\ntitle: [x\n---\nBody\n')], opts());
    expect(result.changes.map((c) => c.kind)).toEqual(['update']);
  });

  it('a file without front matter is rewritten', () => {
    const result = plan([want('1', 'a', '---\ntitle: x\n---\nBody\n')], [file('1', 'a', 'Body\n')], opts());
    expect(result.changes.map((c) => c.kind)).toEqual(['update']);
  });
});

describe('toFileOps: an order a killed run can be repaired from', () => {
  const change = (kind: 'create' | 'delete', name: string): Change =>
    kind === 'create'
      ? { kind, relPath: `p/${name}.md`, text: name, id: name, title: '', link: '', editUrl: '' }
      : { kind, relPath: `p/${name}.md`, before: name, id: name, title: '', link: '', editUrl: '' };

  it('new images, then posts, then removed posts, then removed images, then the state files', () => {
    const ops = toFileOps(
      [
        change('delete', 'old'),
        {
          kind: 'update',
          relPath: 'p/moved.md',
          text: 'm',
          id: 'm',
          title: '',
          link: '',
          editUrl: '',
          before: 'b',
          renamedFrom: 'p/was.md',
          changedKeys: [],
        },
        {
          kind: 'update',
          relPath: 'p/edited.md',
          text: 'e',
          id: 'e',
          title: '',
          link: '',
          editUrl: '',
          before: 'b',
          changedKeys: [],
        },
        change('create', 'new'),
      ],
      [
        { kind: 'delete', relPath: 'img/gone.jpg', size: 1 },
        { kind: 'create', relPath: 'img/new.jpg', staged: '/tmp/s1', size: 1 },
        { kind: 'update', relPath: 'img/changed.jpg', staged: '/tmp/s2', size: 1 },
      ],
      [{ relPath: 'data/manifest.json', text: '{}' }],
    );
    // Strict: a write that moves nothing must not carry a `replaces` key at all; one over the item's own file, no
    // `create` (only a write at a new name refuses to replace what is there).
    expect(ops).toStrictEqual([
      { phase: 0, op: 'move', relPath: 'img/new.jpg', from: '/tmp/s1' },
      { phase: 0, op: 'move', relPath: 'img/changed.jpg', from: '/tmp/s2' },
      { phase: 1, op: 'write', relPath: 'p/moved.md', data: 'm', replaces: 'p/was.md', create: true },
      { phase: 1, op: 'write', relPath: 'p/edited.md', data: 'e' },
      { phase: 1, op: 'write', relPath: 'p/new.md', data: 'new', create: true },
      { phase: 2, op: 'delete', relPath: 'p/old.md' },
      { phase: 3, op: 'delete', relPath: 'img/gone.jpg' },
      { phase: 4, op: 'write', relPath: 'data/manifest.json', data: '{}' },
    ]);
  });

  it('posts alone need no images or state files', () => {
    expect(toFileOps([change('create', 'a')])).toStrictEqual([
      { phase: 1, op: 'write', relPath: 'p/a.md', data: 'a', create: true },
    ]);
  });
});
