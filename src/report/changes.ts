import { isDeepStrictEqual } from 'node:util';
import type { Change } from '../plan.js';
import { parseFrontMatter } from '../site/front-matter.js';
import type { ChangeRecord } from '../summary.js';

/** The plan's post changes as records a reviewer reads: for updates, which keys changed. */
export function changeRecords(
  changes: readonly Change[],
  skipped: readonly { relPath: string; id: string; title: string; link: string }[],
): ChangeRecord[] {
  const records: ChangeRecord[] = changes.map((change) => {
    const after = change.kind === 'delete' ? undefined : safeParse(change.text);
    const before = change.kind === 'create' ? undefined : safeParse(change.before);
    const data = after?.data ?? before?.data ?? {};
    const record: ChangeRecord = {
      kind: change.kind,
      relPath: change.relPath,
      itemId: change.id,
      title: change.title,
      link: change.kind === 'delete' ? text(data['link']) : change.link,
      editUrl: text(data['dropmark.editURL']),
    };
    if (change.kind === 'update') {
      if (change.renamedFrom) record.renamedFrom = change.renamedFrom;
      record.changedKeys = changedKeys(before, after);
    }
    return record;
  });
  for (const s of skipped) {
    records.push({ kind: 'skip', relPath: s.relPath, itemId: s.id, title: s.title, link: s.link, editUrl: '' });
  }
  return records;
}

function changedKeys(before: ReturnType<typeof safeParse>, after: ReturnType<typeof safeParse>): string[] {
  const a = before?.data ?? {};
  const b = after?.data ?? {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const changed = keys.filter((k) => !isDeepStrictEqual(a[k], b[k]));
  if ((before?.body ?? '') !== (after?.body ?? '')) changed.push('body');
  return changed;
}

function safeParse(text: string) {
  try {
    return parseFrontMatter(text);
  } catch {
    return undefined;
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
