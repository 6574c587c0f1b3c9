import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTS, projectWithConfig, runCli, tempDir, type CliResult } from '../support/cli.js';
import { syncInProcess } from '../support/in-process.js';
import { json, type TestServer } from '../support/feed-server.js';
import { sampleFeed } from '../support/fixtures.js';
import { useSampleFeedServer } from '../support/sample-feed-server.js';

let server: TestServer;
let endpoint: string;
useSampleFeedServer((s, e) => {
  server = s;
  endpoint = e;
});

/** A user-facing failure: exit 1 and exactly the expected line(s), never a stack trace. */
function expectOneClearLine(result: CliResult, message: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toMatch(/TypeError|ReferenceError|unexpected error/);
}

describe('errors that were stack traces: one clear line, exit 1, nothing half-written', () => {
  it('status with a corrupt heartbeat', async () => {
    const cwd = await projectWithConfig(endpoint);
    await mkdir(path.join(cwd, '.cache/dropmark-sync'), { recursive: true });
    for (const text of ['garbage{', '{}', '[]']) {
      await writeFile(path.join(cwd, '.cache/dropmark-sync/last-run.json'), text);
      const result = await runCli(['status', '--config', 'dropmark-sync.yaml'], { cwd });
      expectOneClearLine(result, /last-run\.json is not (valid JSON|a heartbeat the tool wrote)/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    // The built CLI loads zod/mini alone, which has no messages of its own: the tool sets English ones.
    const when = '2026-01-01T00:00:00Z';
    const heartbeat = {
      version: '1',
      startedAt: when,
      finishedAt: when,
      durationMs: -1,
      result: 'ok',
      collections: [],
    };
    await writeFile(path.join(cwd, '.cache/dropmark-sync/last-run.json'), JSON.stringify(heartbeat));
    const result = await runCli(['status', '--config', 'dropmark-sync.yaml'], { cwd });
    expectOneClearLine(result, /\(Too small: expected number to be >=0 at durationMs\)/);
  });

  it('sync --report into a folder is refused before anything is written', async () => {
    const cwd = await projectWithConfig(endpoint);
    await mkdir(path.join(cwd, 'reports'));
    const result = await runCli(['sync', '--config', 'dropmark-sync.yaml', '--report', 'reports'], { cwd });
    expectOneClearLine(result, /--report reports: is a folder; give the path of a file/);
    expect(server.requests).toEqual([]);
    expect(await readdir(cwd)).not.toContain('site');
  });

  it('sync --report into a missing folder is refused before anything is written', async () => {
    const cwd = await projectWithConfig(endpoint);
    const result = await runCli(['sync', '--config', 'dropmark-sync.yaml', '--report', 'no/such/report.md'], { cwd });
    expectOneClearLine(result, /the folder .*no\/such does not exist; create it first/);
    expect(server.requests).toEqual([]);
  });

  it('a YAML alias bomb in the config', async () => {
    const cwd = await tempDir();
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i++)
      bomb.push(`${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`);
    await writeFile(
      path.join(cwd, 'dropmark-sync.yaml'),
      `${bomb.join('\n')}\ncollections:\n  - endpoint: ${endpoint}\n`,
    );
    const result = await runCli(['sync', '--config', 'dropmark-sync.yaml'], { cwd });
    expectOneClearLine(result, /config file .*dropmark-sync\.yaml could not be read: .*alias.*Write the values out/i);
    expect(server.requests).toEqual([]);
  });

  it('a front-matter mapping that would lock every file: one line naming the key path, nothing fetched', async () => {
    const cwd = await projectWithConfig(endpoint, '    frontMatter: { add: { dropmark.locked: true } }');
    const result = await runCli(['sync', '--config', 'dropmark-sync.yaml'], { cwd });
    expectOneClearLine(
      result,
      /collections\[0\]\.frontMatter\.add\.\\"dropmark\.locked\\": keys that start with \\"dropmark\.\\" are the tool/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(server.requests).toEqual([]);
    expect(await readdir(cwd)).toEqual(['dropmark-sync.yaml']);
  });

  it('a FIFO planted at a state file or at the lock: one clear line, no hang', async () => {
    const cwd = await projectWithConfig(endpoint);
    expect((await syncInProcess(cwd)).summary.ok).toBe(true);
    const bodies = path.join(cwd, 'site/data/dropmark-sync/bodies-content-post.json');
    await rm(bodies);
    expect(spawnSync('mkfifo', [bodies]).status).toBe(0);
    const state = await runCli(['sync', '--config', 'dropmark-sync.yaml', '--full'], { cwd });
    expectOneClearLine(state, /bodies-content-post\.json: it is not a regular file \(a FIFO, a device\); remove it/);
    await rm(bodies);
    expect(spawnSync('mkfifo', [path.join(cwd, 'site/.dropmark-sync.lock')]).status).toBe(0);
    const lock = await runCli(['sync', '--config', 'dropmark-sync.yaml', '--full'], { cwd });
    expectOneClearLine(lock, /\.dropmark-sync\.lock is not a lock this tool wrote/);
  });

  it(
    "help <command> prints that command's help; " + '--dry-run with --check is refused, not silently resolved',
    async () => {
      const cwd = await projectWithConfig(endpoint);
      const help = await runCli(['help', 'sync'], { cwd });
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: dropmark-sync sync \[options\]/);
      const both = await runCli(['sync', '--config', 'dropmark-sync.yaml', '--dry-run', '--check'], { cwd });
      expectOneClearLine(both, /--dry-run and --check cannot be used together/);
      expect(server.requests).toEqual([]);
    },
  );

  it('a .env that is a folder', async () => {
    const cwd = await projectWithConfig(endpoint);
    await mkdir(path.join(cwd, '.env'));
    const result = await runCli(['sync', '--config', 'dropmark-sync.yaml'], { cwd });
    expectOneClearLine(
      result,
      /cannot read \.\/\.env: it is a folder, where a file was expected \(EISDIR\)\. Make it a file/,
    );
    expect(server.requests).toEqual([]);
  });
});

/** A tiny tmpfs needs root and a kernel that lets this process mount; elsewhere the test says why it is skipped. */
const mounts: string[] = [];
async function fullDisk(): Promise<string | undefined> {
  const dir = await tempDir('dms-full-');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir]);
  if (mounted.status !== 0) return undefined;
  mounts.push(dir);
  // Fill it: what is left is less than any file the tool writes.
  spawnSync('sh', ['-c', `dd if=/dev/zero of=${dir}/fill bs=1k count=64 2>/dev/null; true`]);
  return dir;
}
afterAll(() => {
  for (const dir of mounts.reverse()) spawnSync('umount', [dir]);
});

const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = spawnSync('sh', ['-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=4k tmpfs "$d" && umount "$d"']);
  return probe.status === 0;
})();
if (!canMount) console.warn('skipped: the full-disk tests need root and permission to mount a tmpfs');

describe.skipIf(!canMount)('a read-only content folder (a real read-only bind mount)', () => {
  it('a failed write records nothing new, and once writable the next sync updates the file', async () => {
    const cwd = await projectWithConfig(endpoint);
    expect((await syncInProcess(cwd)).summary.ok).toBe(true);
    const posts = path.join(cwd, POSTS);
    const bodies = path.join(cwd, 'site/data/dropmark-sync/bodies-content-post.json');
    const recorded = await readFile(bodies, 'utf8');
    const feed = sampleFeed();
    const first = feed.items[0] as Record<string, unknown>;
    first['content'] = 'A body changed in Dropmark';
    server.answer(json(feed));
    let name = '';
    for (const n of await readdir(posts))
      if ((await readFile(path.join(posts, n), 'utf8')).includes(`/${String(first['id'])}\n`)) name = n;
    expect(name).not.toBe('');
    expect(spawnSync('mount', ['--bind', posts, posts]).status).toBe(0);
    mounts.push(posts);
    expect(spawnSync('mount', ['-o', 'remount,bind,ro', posts]).status).toBe(0);
    const failed = await runCli(['sync', '--config', 'dropmark-sync.yaml'], { cwd });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/read-only/);
    expect(await readFile(bodies, 'utf8')).toBe(recorded);
    expect(spawnSync('umount', [posts]).status).toBe(0);
    mounts.pop();
    const again = await runCli(['sync', '--config', 'dropmark-sync.yaml', '--json'], { cwd });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ updated: 1 });
    expect(await readFile(path.join(posts, name), 'utf8')).toMatch(/\nA body changed in Dropmark$/);
  });
});

describe.skipIf(!canMount)('a full disk', () => {
  it('site folder on a full disk: one line naming the lock and the full disk; no aside file left', async () => {
    const full = (await fullDisk()) as string;
    const cwd = await projectWithConfig(endpoint);
    const result = await runCli(['sync', '--config', 'dropmark-sync.yaml', '--site-dir', full], { cwd });
    expectOneClearLine(
      result,
      /cannot take the site's lock .*\.dropmark-sync\.lock: the disk is full; free some space and run again \(ENOSPC\)/,
    );
    expect((await readdir(full)).sort()).toEqual(['fill']);
  });

  it(
    'cacheDir on a full disk: the sync still writes the site, ' + 'and says the cache and heartbeat could not be saved',
    async () => {
      const full = (await fullDisk()) as string;
      const cwd = await projectWithConfig(endpoint);
      const config = path.join(cwd, 'dropmark-sync.yaml');
      await writeFile(config, `cacheDir: ${full}/cache\n${await readFile(config, 'utf8')}`);
      const result = await runCli(['sync', '--config', 'dropmark-sync.yaml'], { cwd });
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stderr).toMatch(/could not write the heartbeat file/);
      expect(result.stderr).toMatch(/could not save the feed cache/);
      expect(result.code).toBe(0);
      expect(await readdir(path.join(cwd, POSTS))).toHaveLength(41);
    },
  );
});
