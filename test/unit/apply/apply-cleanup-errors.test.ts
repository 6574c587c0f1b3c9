import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyOps } from '../../../src/apply/apply.js';
import { nodeFs, writeFileAtomic, type WriteFs } from '../../../src/fs/atomic-write.js';
import type { Logger } from '../../../src/log.js';

const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

function recorder(): Logger & { records: { level: string; obj: Record<string, unknown>; msg: string | undefined }[] } {
  const records: { level: string; obj: Record<string, unknown>; msg: string | undefined }[] = [];
  const at = (level: string) => (obj: object, msg?: string) =>
    void records.push({ level, obj: obj as Record<string, unknown>, msg });
  return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

let site: string;
beforeEach(async () => {
  site = await mkdtemp(path.join(tmpdir(), 'dms-cleanup-'));
  await mkdir(path.join(site, 'c'));
});

describe('a leftover temp file that cannot be removed', () => {
  it('is told at debug level, naming the file and the error, and the run goes on', async () => {
    const log = recorder();
    const fs: WriteFs = { ...nodeFs, unlink: async () => Promise.reject(errno('EACCES')) };
    const result = await applyOps(site, [{ phase: 1, op: 'write', relPath: 'c/a.md', data: 'a' }], {
      strayTempFiles: ['c/.dropmark-sync-x.md.1-ab-0.tmp'],
      fs,
      logger: log,
    });
    expect(result).toMatchObject({ written: ['c/a.md'], failed: [] });
    expect(log.records).toEqual([
      {
        level: 'debug',
        obj: { file: 'c/.dropmark-sync-x.md.1-ab-0.tmp', err: expect.objectContaining({ code: 'EACCES' }) },
        msg: 'a leftover temp file could not be removed; the next run tries again',
      },
    ]);
  });

  it('already gone (another run removed it) is what was wanted: nothing is told', async () => {
    const log = recorder();
    await applyOps(site, [], { strayTempFiles: ['c/.dropmark-sync-gone.md.1-ab-0.tmp'], logger: log });
    expect(log.records).toEqual([]);
  });
});

describe('a write that fails and whose temp file cannot be removed either', () => {
  // The temp is created, then the disk fills up.
  const diskFillsUp = (async (file: string) => {
    await writeFile(file, 'half');
    throw errno('ENOSPC');
  }) as WriteFs['writeFile'];

  it("throws the write's own error, not the cleanup's", async () => {
    const fs: WriteFs = {
      ...nodeFs,
      writeFile: diskFillsUp,
      unlink: async () => Promise.reject(errno('EBUSY')),
    };
    const error = await writeFileAtomic(path.join(site, 'c', 'a.md'), 'whole', undefined, fs).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENOSPC' });
  });

  it('removes the temp file when it can', async () => {
    const fs: WriteFs = {
      ...nodeFs,
      writeFile: diskFillsUp,
    };
    await expect(writeFileAtomic(path.join(site, 'c', 'a.md'), 'whole', undefined, fs)).rejects.toMatchObject({
      code: 'ENOSPC',
    });
    expect(await readdir(path.join(site, 'c'))).toEqual([]);
  });
});
