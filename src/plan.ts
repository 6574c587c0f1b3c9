import { isDeepStrictEqual } from 'node:util';
import { parseFrontMatter } from './site/front-matter.js';
import type { ImageChange } from './images/plan.js';
import type { ExistingFile } from './site/read.js';

/** One step of a sync's writes, in the order given: a file written (maybe replacing another), or removed. */
export type FileOp = (
  | { op: 'write'; relPath: string; data: string | Buffer; replaces?: string }
  /** A file already written aside (a staged download, absolute path) moved into place. */
  | { op: 'move'; relPath: string; from: string }
  | { op: 'delete'; relPath: string }
) & {
  /** Steps of one phase may run together; a phase starts when the one before has finished. */
  phase: number;
};

/** A file the feed asks for: rendered, not yet compared with the disk. */
export interface WantedFile {
  id: string;
  relPath: string;
  text: string;
  title: string;
  link: string;
  editUrl: string;
}

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
    }
  | { kind: 'delete'; relPath: string; id: string; before: string; title: string; link: string; editUrl: string };

export interface Plan {
  changes: Change[];
  unchanged: number;
  /** Locked files the feed would have changed or removed, left alone. */
  skipped: { relPath: string; id: string; title: string; link: string }[];
  /** Set when the plan must not be applied; says why and how to force it. */
  refusal?: string;
}

export interface PlanOptions {
  deletions: 'delete' | 'keep';
  allowMassDelete: boolean;
  /** How many items the feed listed (an empty feed never deletes anything by itself). */
  feedItemCount: number;
  /** Items in the feed that could not be rendered: their files stay as they are. */
  keepIds?: ReadonlySet<string>;
}

/**
 * Pure: what must change on disk so the content dir holds exactly the wanted files. Files
 * are matched by item id, never by name; a file whose text would not change is left alone.
 * Only files the tool owns (they carry `dropmark.editURL`) are ever deleted.
 */
export function plan(wanted: readonly WantedFile[], existing: readonly ExistingFile[], options: PlanOptions): Plan {
  const byId = new Map<string, ExistingFile[]>();
  for (const file of existing) {
    // Stryker disable next-line ConditionalExpression: a group under the key undefined is never looked up (item ids are strings)
    if (file.id === undefined) continue;
    const list = byId.get(file.id) ?? [];
    list.push(file);
    byId.set(file.id, list);
  }

  const changes: Change[] = [];
  const skipped: Plan['skipped'] = [];
  let unchanged = 0;
  const written = new Set<string>();
  const wantedIds = new Set<string>();
  const removable: ExistingFile[] = [];

  for (const want of wanted) {
    wantedIds.add(want.id);
    written.add(want.relPath);
    const files = byId.get(want.id) ?? [];
    // Of several files with the same id, the one at the wanted path is the item's file.
    const current = files.find((f) => f.relPath === want.relPath) ?? files[0];
    for (const extra of files) if (extra !== current) removable.push(extra);
    const common = { relPath: want.relPath, text: want.text, id: want.id, title: want.title, link: want.link, editUrl: want.editUrl };
    if (current?.locked) {
      if (current.text === want.text) unchanged++;
      else skipped.push({ relPath: current.relPath, id: want.id, title: want.title, link: want.link });
      continue;
    }
    if (current === undefined) {
      changes.push({ kind: 'create', ...common });
    } else if (current.relPath !== want.relPath) {
      changes.push({ kind: 'update', ...common, before: current.text, renamedFrom: current.relPath });
    } else if (current.text !== want.text && !sameMeaning(current.text, want.text)) {
      changes.push({ kind: 'update', ...common, before: current.text });
    } else {
      unchanged++;
    }
  }

  for (const file of existing) {
    if (file.id !== undefined && !wantedIds.has(file.id) && !options.keepIds?.has(file.id)) removable.push(file);
  }
  for (const file of removable) {
    if (file.locked && options.deletions === 'delete') {
      skipped.push({ relPath: file.relPath, id: file.id as string, title: titleOf(file), link: '' });
    }
  }
  const owned = existing.filter((f) => f.id !== undefined).length;
  const deletes: Change[] = [];
  if (options.deletions === 'delete') {
    for (const file of removable) {
      if (written.has(file.relPath) || file.locked) continue;
      deletes.push({
        kind: 'delete',
        relPath: file.relPath,
        id: file.id as string,
        before: file.text,
        title: titleOf(file),
        link: typeof file.data?.['link'] === 'string' ? file.data['link'] : '',
        editUrl: typeof file.data?.['dropmark.editURL'] === 'string' ? file.data['dropmark.editURL'] : '',
      });
    }
  }
  changes.push(...deletes);
  // Stryker disable next-line EqualityOperator,ConditionalExpression: paths are distinct, and sort acts only on a negative result
  changes.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));

  const result: Plan = { changes, unchanged, skipped };
  if (deletes.length > 0 && !options.allowMassDelete) {
    if (options.feedItemCount === 0) {
      result.refusal =
        `the feed lists no items, which would delete all ${deletes.length} file(s) this tool wrote. ` +
        `If the collection really is empty, run again with --allow-mass-delete`;
    } else if (deletes.length * 2 > owned) {
      result.refusal =
        `this sync would delete ${deletes.length} of the ${owned} file(s) this tool owns (more than half). ` +
        `If that is meant, run again with --allow-mass-delete; to never delete, set deletions: keep`;
    }
  }
  return result;
}

/**
 * Formatting is the owner's business: a file whose front matter holds the same values (keys
 * in another order, other quotes, another folding) and the same body as the tool would write
 * is left alone. Only files whose text differs get here, so a pass parses few.
 */
function sameMeaning(onDisk: string, wanted: string): boolean {
  try {
    const a = parseFrontMatter(onDisk);
    const b = parseFrontMatter(wanted);
    // Stryker disable next-line ConditionalExpression,LogicalOperator: an undefined side throws on .body, which the catch makes false too
    return a !== undefined && b !== undefined && a.body === b.body && isDeepStrictEqual(a.data, b.data);
    // Stryker disable next-line BlockStatement: undefined is as falsy as false to the caller
  } catch {
    return false;
  }
}

function titleOf(file: ExistingFile): string {
  return typeof file.data?.['title'] === 'string' ? file.data['title'] : file.relPath;
}

/**
 * Pure: the plan's changes as ordered file steps, so that a run killed at any step leaves a
 * site the next run repairs. New images first (a post never points to an image not yet
 * there), then posts, then deletions of posts, then of images, and the state files (image
 * manifest, bodies) last: until the manifest is rewritten it still lists every image the
 * tool wrote, so an image left behind by a killed run is still known as the tool's, and goes.
 */
export function toFileOps(
  changes: readonly Change[],
  images: readonly ImageChange[] = [],
  stateFiles: readonly { relPath: string; text: string }[] = [],
): FileOp[] {
  const ops: FileOp[] = [];
  for (const c of images) if (c.kind !== 'delete') ops.push({ phase: 0, op: 'move', relPath: c.relPath, from: c.staged });
  for (const c of changes) {
    if (c.kind === 'delete') continue;
    const replaces = c.kind === 'update' && c.renamedFrom ? { replaces: c.renamedFrom } : {};
    ops.push({ phase: 1, op: 'write', relPath: c.relPath, data: c.text, ...replaces });
  }
  for (const c of changes) if (c.kind === 'delete') ops.push({ phase: 2, op: 'delete', relPath: c.relPath });
  for (const c of images) if (c.kind === 'delete') ops.push({ phase: 3, op: 'delete', relPath: c.relPath });
  for (const f of stateFiles) ops.push({ phase: 4, op: 'write', relPath: f.relPath, data: f.text });
  return ops;
}
