import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * One temporary folder for the whole run, removed at its end: every test's temp folder (os.tmpdir(), here and in
 * the processes the tests start) is made inside it, so a run leaves nothing behind in the system's /tmp, where
 * thousands of test folders used to pile up and slow every file system operation there.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(path.join(tmpdir(), 'dms-tests-'));
  // Like /tmp: other users (a site generator dropping privileges) may reach the folders the tests open to them.
  await chmod(root, 0o755);
  const before = process.env['TMPDIR'];
  process.env['TMPDIR'] = root;
  return async () => {
    if (before === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = before;
    await rm(root, { recursive: true, force: true });
  };
}
