import { isDeepStrictEqual } from 'node:util';
import {
  bodiesUnderSameFrontMatter,
  keysChanged,
  parsedOrUndefined,
  unreadableFrontMatter,
} from '../frontmatter/read-front-matter.js';
import { withLineEnd, type LineEnd } from '../text/line-ends.js';
import { massRemoval } from './mass-delete.js';
import type { ImageChange } from './image-plan.js';
import type { ExistingFile } from '../site/read.js';

/**
 * One step of a sync's writes, in the order given: a file written (maybe replacing another), or removed. A write
 * with `create` goes to a name the item's file did not have: whatever stands there is never replaced.
 */
export type FileOp = (
  | { op: 'write'; relPath: string; data: string | Buffer; replaces?: string; create?: true }
  /** A file already written aside (a staged download, absolute path) moved into place. */
  | { op: 'move'; relPath: string; from: string }
  /** `unlessFailed`: not removed when a step writing one of these paths failed (a moved image's old name). */
  | { op: 'delete'; relPath: string; unlessFailed?: readonly string[] }
) & {
  /** Steps of one phase may run together; a phase starts when the one before has finished. */
  phase: number;
};

/**
 * A file the feed asks for: rendered, not yet compared with the disk; or (`unchanged`) found to be the item's file as
 * it is, at its path, by the rendering itself, which held that file only compact (site/read.ts): nothing to write.
 */
export type WantedFile = { id: string; relPath: string; title: string; link: string; editUrl: string } & (
  | { text: string }
  | { unchanged: true }
);

export type Change =
  | { kind: 'create'; relPath: string; text: string; id: string; title: string; link: string; editUrl: string }
  | {
      kind: 'update';
      relPath: string;
      text: string;
      id: string;
      title: string;
      link: string;
      editUrl: string;
      /** The text on disk before. */
      before: string;
      /** Set when the file moves: the old path, removed after the new one is written. */
      renamedFrom?: string;
      /**
       * The new path already holds the item's file, written by a run killed before it removed the
       * old one (state/renames.ts): it is written over, where a rename never replaces a file.
       */
      resumed?: true;
      /** Set when the file's lines end in CRLF: `text` (LF, like `before`) is written with them. */
      lineEnd?: LineEnd;
      /** The keys whose values change, then `body` (keysChanged): what the report says of the update. */
      changedKeys: string[];
    }
  | { kind: 'delete'; relPath: string; id: string; before: string; title: string; link: string; editUrl: string };

export interface Plan {
  changes: Change[];
  unchanged: number;
  /** Locked files the feed would have changed or removed, left alone. */
  skipped: { relPath: string; id: string; title: string; link: string }[];
  /** Set when the plan must not be applied; says why and how to force it. */
  refusal?: string;
  /**
   * Owned files of vanished items whose front matter a person broke, read on the fast path (only the tool's keys):
   * left alone, as a broken file with a key of the person's is (site/read.ts). Absent when none.
   */
  unreadable?: { relPath: string; reason: string }[];
}

export interface PlanOptions {
  deletions: 'delete' | 'keep';
  allowMassDelete: boolean;
  /** How many items the feed listed (an empty feed never deletes anything by itself). */
  feedItemCount: number;
  /** Items in the feed that could not be rendered: their files stay as they are. */
  keepIds?: ReadonlySet<string>;
  /**
   * Files that claim an item whose file is another one (a person's copy, site/claims.ts), by path: never matched,
   * updated or deleted.
   */
  copies?: ReadonlySet<string>;
  /** Item id -> the old half of a rename a killed run left beside the item's file (site-index.ts): removed now. */
  leftovers?: ReadonlyMap<string, string>;
}

/**
 * Pure: what must change on disk so the content dir holds exactly the wanted files. Files
 * are matched by item id, never by name; a file whose text would not change is left alone.
 * Only files the tool owns (they carry `dropmark.editURL`) are ever deleted, and only because
 * their item is gone from the feed. Of several files that claim one item, one (the tool's) is
 * updated and none is deleted, even when the item goes: a copy is a person's file, and the
 * tool's file stays while a copy claims the item (were it deleted, the next run would take the
 * copy, left alone with the claim, for the tool's file of a vanished item, and delete it).
 */
export function plan(wanted: readonly WantedFile[], existing: readonly ExistingFile[], options: PlanOptions): Plan {
  const byId = filesById(existing.filter((f) => !options.copies?.has(f.relPath)));
  const claimedByCopies = new Set(existing.filter((f) => options.copies?.has(f.relPath)).map((f) => f.id));
  const matched = matchWanted(wanted, byId, options.leftovers ?? new Map());
  for (const [id, files] of byId) {
    const alone = files.length === 1 && !claimedByCopies.has(id);
    if (alone && !matched.wantedIds.has(id) && !options.keepIds?.has(id)) matched.removable.push(...files);
  }
  const skipped = [...matched.skipped];
  // A locked file the feed no longer lists stays, and is reported as left alone.
  if (options.deletions === 'delete') {
    for (const file of matched.removable)
      if (file.locked) skipped.push({ relPath: file.relPath, id: file.id as string, title: titleOf(file), link: '' });
  }
  const unreadable = matched.removable.flatMap((file) => {
    const reason = file.locked ? undefined : unreadableFrontMatter(heldText(file));
    return reason === undefined ? [] : [{ relPath: file.relPath, reason }];
  });
  const broken = new Set(unreadable.map((u) => u.relPath));
  const removable = matched.removable.filter((file) => !broken.has(file.relPath));
  const deletes = options.deletions === 'delete' ? deletions(removable, matched.written) : [];
  const changes = [...matched.changes, ...deletes].sort((a, b) =>
    a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0,
  );
  const result: Plan = {
    changes,
    unchanged: matched.unchanged,
    skipped,
    ...(unreadable.length > 0 && options.deletions === 'delete' ? { unreadable } : {}),
  };
  const owned = [...byId.values()].reduce((n, files) => n + files.length, 0);
  const refusal = massDeleteRefusal(deletes.length, owned, options);
  if (refusal) result.refusal = refusal;
  return result;
}

function filesById(existing: readonly ExistingFile[]): Map<string, ExistingFile[]> {
  const byId = new Map<string, ExistingFile[]>();
  for (const file of existing) {
    // A group under the key undefined is never looked up (item ids are strings).
    if (file.id === undefined) continue;
    const list = byId.get(file.id) ?? [];
    list.push(file);
    byId.set(file.id, list);
  }
  return byId;
}

interface Matched {
  changes: Change[];
  unchanged: number;
  skipped: Plan['skipped'];
  /** Paths the wanted files take. */
  written: Set<string>;
  wantedIds: Set<string>;
  /** Owned files of vanished items (added by the caller). */
  removable: ExistingFile[];
}

/**
 * Each wanted file against its item's file on disk: create, update (maybe a rename), unchanged, or left alone when
 * locked.
 */
function matchWanted(
  wanted: readonly WantedFile[],
  byId: ReadonlyMap<string, ExistingFile[]>,
  leftovers: ReadonlyMap<string, string>,
): Matched {
  const m: Matched = {
    changes: [],
    unchanged: 0,
    skipped: [],
    written: new Set(),
    wantedIds: new Set(),
    removable: [],
  };
  for (const want of wanted) {
    m.wantedIds.add(want.id);
    m.written.add(want.relPath);
    if ('unchanged' in want) {
      m.unchanged++;
      continue;
    }
    const files = byId.get(want.id) ?? [];
    // Several files with the same id that the caller did not tell apart (`copies`): the one at the wanted path is the
    // item's file, else the first; the others are left alone, never deleted.
    const current = files.find((f) => f.relPath === want.relPath) ?? files[0];
    const common = {
      relPath: want.relPath,
      text: want.text,
      id: want.id,
      title: want.title,
      link: want.link,
      editUrl: want.editUrl,
    };
    // A file in CRLF lines is rewritten in CRLF lines (its `text` is read with LF ones).
    const lineEnd = current?.lineEnd === '\r\n' ? { lineEnd: current.lineEnd } : {};
    const leftover = leftovers.get(want.id);
    if (current?.locked) {
      if (heldText(current) === want.text) m.unchanged++;
      else m.skipped.push({ relPath: current.relPath, id: want.id, title: want.title, link: want.link });
    } else if (current === undefined) {
      m.changes.push({ kind: 'create', ...common });
    } else if (leftover !== undefined && current.relPath === want.relPath) {
      const resumed = { renamedFrom: leftover, resumed: true as const };
      m.changes.push({ kind: 'update', ...common, ...beforeAndKeys(current, want.text), ...resumed, ...lineEnd });
    } else if (current.relPath !== want.relPath) {
      const renamed = { renamedFrom: current.relPath };
      m.changes.push({ kind: 'update', ...common, ...beforeAndKeys(current, want.text), ...renamed, ...lineEnd });
    } else {
      const before = heldText(current);
      const changedKeys = before === want.text ? undefined : meaningChanges(before, want.text);
      if (changedKeys === undefined) m.unchanged++;
      else m.changes.push({ kind: 'update', ...common, before, ...lineEnd, changedKeys });
    }
  }
  return m;
}

/** Removals of the removable files, but never of a path a wanted file takes, nor of a locked file. */
function deletions(removable: readonly ExistingFile[], written: ReadonlySet<string>): Change[] {
  const deletes: Change[] = [];
  for (const file of removable) {
    if (written.has(file.relPath) || file.locked) continue;
    deletes.push({
      kind: 'delete',
      relPath: file.relPath,
      id: file.id as string,
      before: heldText(file),
      title: titleOf(file),
      link: typeof file.data?.['link'] === 'string' ? file.data['link'] : '',
      editUrl: typeof file.data?.['dropmark.editURL'] === 'string' ? file.data['dropmark.editURL'] : '',
    });
  }
  return deletes;
}

/**
 * Why the plan must not be applied without --allow-mass-delete: an empty feed, or more than half of the owned files
 * gone.
 */
function massDeleteRefusal(deletes: number, owned: number, options: PlanOptions): string | undefined {
  if (options.allowMassDelete) return undefined;
  const kind = massRemoval(deletes, owned, options.feedItemCount);
  if (kind === 'empty') {
    return (
      `the feed lists no items, which would delete all ${deletes} file(s) this tool wrote. ` +
      `If the collection really is empty, run again with --allow-mass-delete`
    );
  }
  if (kind === 'most') {
    return (
      `this sync would delete ${deletes} of the ${owned} file(s) this tool owns (more than half). ` +
      `If that is meant, run again with --allow-mass-delete; to never delete, set deletions: keep`
    );
  }
  return undefined;
}

/** A moved file's text before, and the keys that change (none when it only moves, or means the same). */
function beforeAndKeys(current: ExistingFile, text: string): { before: string; changedKeys: string[] } {
  const before = heldText(current);
  return { before, changedKeys: before === text ? [] : (meaningChanges(before, text) ?? []) };
}

/**
 * Formatting is the owner's business: a file whose front matter holds the same values (keys
 * in another order, other quotes, another folding) and the same body as the tool would write
 * is left alone (undefined). Otherwise the keys that change, for the report, from the same two
 * readings. Only files whose text differs get here, so a pass parses few.
 */
function meaningChanges(onDisk: string, wanted: string): string[] | undefined {
  // The same front matter block: only the body differs (an item's text edited, its values not), no YAML parsed.
  const bodies = bodiesUnderSameFrontMatter(onDisk, wanted);
  if (bodies) return bodies[0] === bodies[1] ? undefined : ['body'];
  const a = parsedOrUndefined(onDisk);
  const b = parsedOrUndefined(wanted);
  const same = a !== undefined && b !== undefined && a.body === b.body && isDeepStrictEqual(a.data, b.data);
  return same ? undefined : keysChanged(a, b);
}

/**
 * The text of a file the plan compares or removes. A compact file (site/read.ts) gets here only through a bug: the
 * pass reads whole every file it does not find unchanged (sync/file-texts.ts) before it plans.
 */
function heldText(file: ExistingFile): string {
  if (file.text === undefined) throw new Error(`${file.relPath}: planned without its text (a bug of the tool)`);
  return file.text;
}

function titleOf(file: ExistingFile): string {
  return typeof file.data?.['title'] === 'string' ? file.data['title'] : file.relPath;
}

/**
 * Pure: the plan's changes as ordered file steps, so that a run killed at any step leaves a
 * site the next run repairs. New images first (a post never points to an image not yet
 * there; a moved image's new name; `interimFiles`: the state files as they must be while the
 * pass is half done, such as the interim manifest that lists old and new names and the journal
 * of the posts' renames, state/renames.ts), then posts, then deletions of posts, then
 * of images (a moved image's old name only once its new one is written), and the state files
 * (image manifest, bodies) last: until the manifest is rewritten it still lists every image the
 * tool wrote, so an image left behind by a killed run is still known as the tool's, and goes.
 */
export function toFileOps(
  changes: readonly Change[],
  images: readonly ImageChange[] = [],
  stateFiles: readonly { relPath: string; text: string }[] = [],
  interimFiles: readonly { relPath: string; text: string }[] = [],
): FileOp[] {
  const ops: FileOp[] = [];
  for (const c of images)
    if (c.kind !== 'delete') ops.push({ phase: 0, op: 'move', relPath: c.relPath, from: c.staged });
  for (const f of interimFiles) ops.push({ phase: 0, op: 'write', relPath: f.relPath, data: f.text });
  for (const c of changes) {
    if (c.kind === 'delete') continue;
    const replaces = c.kind === 'update' && c.renamedFrom ? { replaces: c.renamedFrom } : {};
    // A new file, or an item's file under a new name: never over something already there.
    const isNew = c.kind === 'create' || (c.renamedFrom !== undefined && c.resumed === undefined);
    const create = isNew ? { create: true as const } : {};
    const data = c.kind === 'update' && c.lineEnd ? withLineEnd(c.text, c.lineEnd) : c.text;
    ops.push({ phase: 1, op: 'write', relPath: c.relPath, data, ...replaces, ...create });
  }
  for (const c of changes) if (c.kind === 'delete') ops.push({ phase: 2, op: 'delete', relPath: c.relPath });
  for (const c of images) {
    if (c.kind === 'delete') ops.push({ phase: 3, op: 'delete', relPath: c.relPath });
    if (c.kind === 'move') {
      // The post that was renamed along still points at the old name while its write failed.
      const unlessFailed = c.post === undefined ? [c.relPath] : [c.relPath, c.post];
      ops.push({ phase: 3, op: 'delete', relPath: c.from, unlessFailed });
    }
  }
  for (const f of stateFiles) ops.push({ phase: 4, op: 'write', relPath: f.relPath, data: f.text });
  return ops;
}
