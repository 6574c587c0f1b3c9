import type { Change } from '../plan/post-plan.js';
import type { ChangeRecord, TextFileChange } from '../summary.js';

/** The plan's post changes as records a reviewer reads: for updates, which keys changed. */
export function changeRecords(
  changes: readonly Change[],
  skipped: readonly { relPath: string; id: string; title: string; link: string }[],
): ChangeRecord[] {
  const records: ChangeRecord[] = changes.map((change) => {
    const record: ChangeRecord = {
      kind: change.kind,
      relPath: change.relPath,
      itemId: change.id,
      title: change.title,
      link: change.link,
      editUrl: change.editUrl,
    };
    if (change.kind === 'update') {
      if (change.renamedFrom) record.renamedFrom = change.renamedFrom;
      record.changedKeys = change.changedKeys;
    }
    return record;
  });
  for (const s of skipped) {
    records.push({ kind: 'skip', relPath: s.relPath, itemId: s.id, title: s.title, link: s.link, editUrl: '' });
  }
  return records;
}

/**
 * The plan's post changes as text files before and after (undefined on the missing side): a
 * rename is the old file removed and the new one created.
 */
export function postTextChanges(changes: readonly Change[]): TextFileChange[] {
  const files: TextFileChange[] = [];
  for (const c of changes) {
    if (c.kind === 'create') files.push({ relPath: c.relPath, before: undefined, after: c.text });
    else if (c.kind === 'delete') files.push({ relPath: c.relPath, before: c.before, after: undefined });
    else if (c.renamedFrom) {
      files.push({ relPath: c.renamedFrom, before: c.before, after: undefined });
      files.push({ relPath: c.relPath, before: undefined, after: c.text });
    } else files.push({ relPath: c.relPath, before: c.before, after: c.text });
  }
  return files;
}
