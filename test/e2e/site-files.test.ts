import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POSTS, projectWithConfig, runCli, syncCli } from '../support/cli.js';
import { syncInProcess as sync } from '../support/in-process.js';
import { json, startServer, type TestServer } from '../support/feed-server.js';
import { feedJson, syntheticItems, type SyntheticItem } from '../support/synthetic.js';
import { snapshotTree as tree } from '../support/tree.js';

// Files on disk a person made or changed: a copy of a post, a CRLF checkout, a name that is not UTF-8.
let server: TestServer;
let items: SyntheticItem[];

beforeEach(async () => {
  items = syntheticItems({ count: 10 });
  server = await startServer((req, res) => json(feedJson(items, (p) => p))(req, res));
});
afterEach(() => server.close());

const STATE = 'site/data/dropmark-sync';
const project = () => projectWithConfig(`${server.url}/616548.json`);
/** The built CLI, for what it alone writes: the report. The other passes run in this process. */
const syncWithReport = (cwd: string, ...args: string[]) =>
  syncCli(cwd, ['--log-format', 'pretty', '--report', 'report.md', ...args]);
const validate = (cwd: string) => runCli(['validate', '--config', 'dropmark-sync.yaml'], { cwd });
const posts = async (cwd: string) => (await readdir(path.join(cwd, POSTS))).sort();

/** The name of the post of item `id`, found by its edit URL. */
async function postOf(cwd: string, id: number): Promise<string> {
  for (const name of await posts(cwd)) {
    const text = await readFile(path.join(cwd, POSTS, name), 'utf8');
    if (text.includes(`dropmark.editURL: https://someone.dropmark.com/616548/${id}\n`)) return name;
  }
  throw new Error(`no post for item ${id}`);
}

const ITEM = 10_000_003;

describe('a copied post (two files claim one item)', () => {
  // "0-copy" sorts before the original, "zz-copy" after: neither order may decide who is deleted.
  it.each(['0-copy.md', 'zz-copy.md'])(
    'the copy %s is left alone byte for byte, the original still synced, nothing deleted, and every output names it',
    async (copyName) => {
      const cwd = await project();
      expect((await sync(cwd)).summary.ok).toBe(true);
      const original = await postOf(cwd, ITEM);
      const originalText = await readFile(path.join(cwd, POSTS, original), 'utf8');
      const copyText = originalText.replace(/^title: .*$/m, 'title: My own take').concat('My notes on it.\n');
      await writeFile(path.join(cwd, POSTS, copyName), copyText);
      // An upstream change to the item: the tool's file must take it, the copy must not.
      items = items.map((i) => (i.id === ITEM ? { ...i, description: 'A new description.' } : i));

      const result = await syncWithReport(cwd);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ created: 0, updated: 1, deleted: 0, unchanged: 9 });
      expect(JSON.parse(result.stdout).collections[0].duplicates).toEqual([
        { file: `content/post/${copyName}`, itemId: String(ITEM), toolFile: `content/post/${original}` },
      ]);
      expect(await readFile(path.join(cwd, POSTS, copyName), 'utf8')).toBe(copyText);
      const updated = await readFile(path.join(cwd, POSTS, original), 'utf8');
      // The description (folded over several lines before) is all that changed.
      const description = /^description: .*\n(?: {2}.*\n)*/m;
      expect(updated).toBe(originalText.replace(description, 'description: A new description.\n'));
      expect(await posts(cwd)).toHaveLength(11);
      const named =
        `content/post/${copyName} claims item ${ITEM} like content/post/${original}; left alone. ` +
        'Remove its dropmark.editURL line if it is a copy meant to stay';
      expect(result.stderr).toContain(named);
      const report = await readFile(path.join(cwd, 'report.md'), 'utf8');
      expect(report).toContain(`\`content/post/${copyName}\``);
      expect(report).toContain('Remove its `dropmark.editURL` line if it is a copy meant to stay');
      expect(report).not.toMatch(/deleted because/);

      const checked = await validate(cwd);
      expect(checked.stderr).toContain(
        `content/post/${copyName}: dropmark.editURL: claims item ${ITEM} like content/post/${original}; ` +
          'a sync leaves it alone. Remove its dropmark.editURL line if it is a copy meant to stay',
      );

      // The next poll (feed and site unchanged) still names it.
      const again = await sync(cwd);
      expect(again.summary).toMatchObject({ created: 0, updated: 0, deleted: 0, files: [] });
      expect(again.log).toContain(named);
    },
  );

  it('when the item leaves the feed, neither file is deleted while both claim it', async () => {
    const cwd = await project();
    expect((await sync(cwd)).summary.ok).toBe(true);
    const original = await postOf(cwd, ITEM);
    const originalText = await readFile(path.join(cwd, POSTS, original), 'utf8');
    await writeFile(path.join(cwd, POSTS, 'a-copy.md'), originalText.concat('Mine.\n'));
    items = items.filter((i) => i.id !== ITEM);

    const result = await syncWithReport(cwd);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 9 });
    expect(await readFile(path.join(cwd, POSTS, original), 'utf8')).toBe(originalText);
    expect(await readFile(path.join(cwd, POSTS, 'a-copy.md'), 'utf8')).toBe(originalText.concat('Mine.\n'));
    const named =
      `content/post/a-copy.md claims item ${ITEM} like content/post/${original}, an item no longer in the feed; ` +
      'both left alone. Remove its dropmark.editURL line if it is a copy meant to stay';
    expect(result.stderr).toContain(named);
    const report = await readFile(path.join(cwd, 'report.md'), 'utf8');
    expect(report).toContain(`item ${ITEM} (no longer in the feed; both left alone)`);

    // The item's body hash is kept while the copy claims it: a later full pass ("a-copy" sorts first) still knows
    // which file is the tool's.
    const later = await sync(cwd, { full: true });
    expect(later.summary).toMatchObject({ created: 0, updated: 0, deleted: 0, files: [] });
    expect(later.log).toContain(named);
  });

  it('a site where every post has a copy is read a few files at a time: a few open files are enough', async () => {
    items = syntheticItems({ count: 300 });
    const cwd = await project();
    expect((await sync(cwd)).summary.ok).toBe(true);
    const names = await posts(cwd);
    for (const name of names) {
      const text = await readFile(path.join(cwd, POSTS, name), 'utf8');
      await writeFile(path.join(cwd, POSTS, `copy-of-${name}`), text.concat('Mine.\n'));
    }

    // 600 files claiming 300 items: opened all at once, they would be far more than the 200 allowed (EMFILE).
    const result = await syncCli(cwd, ['--full'], { openFiles: 200 });
    expect(result.stderr).not.toContain('EMFILE');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 300 });
    expect(JSON.parse(result.stdout).collections[0].duplicates).toHaveLength(300);
  });
});

const crlf = (text: string) => text.replace(/\n/g, '\r\n');

describe('a site checked out with CRLF line endings', () => {
  it('is the same site: no change, no new file; an upstream change rewrites one file, still in CRLF', async () => {
    const cwd = await project();
    expect((await sync(cwd)).summary.ok).toBe(true);
    const changed = items[4] as SyntheticItem;
    const target = await postOf(cwd, changed.id);
    // As git's core.autocrlf checks it out: every text file, the posts and the state beside them.
    const state = (await readdir(path.join(cwd, STATE))).map((name) => path.join(cwd, STATE, name));
    for (const file of [...(await posts(cwd)).map((name) => path.join(cwd, POSTS, name)), ...state]) {
      await writeFile(file, crlf(await readFile(file, 'utf8')));
    }
    const converted = await tree(path.join(cwd, 'site'));

    const same = await sync(cwd);
    expect(same.summary).toMatchObject({ ok: true, created: 0, updated: 0, deleted: 0, unchanged: 10, files: [] });
    expect(await tree(path.join(cwd, 'site'))).toEqual(converted);

    items = items.map((i) => (i === changed ? { ...i, content: 'A new body.\n\nWith two paragraphs.\n' } : i));
    const result = await sync(cwd);
    expect(result.summary).toMatchObject({
      ok: true,
      created: 0,
      updated: 1,
      deleted: 0,
      unchanged: 9,
      files: [`content/post/${target}`, 'data/dropmark-sync/bodies-content-post.json'],
    });
    const text = await readFile(path.join(cwd, POSTS, target), 'utf8');
    expect(text.endsWith('---\r\nA new body.\r\n\r\nWith two paragraphs.\r\n')).toBe(true);
    expect(text).not.toMatch(/[^\r]\n/);
    const after = await tree(path.join(cwd, 'site'));
    for (const [file, entry] of converted) {
      if (file.endsWith(target) || file.startsWith('data/')) continue;
      expect(after.get(file), file).toEqual(entry);
    }

    const checked = await validate(cwd);
    expect(checked.stderr).toMatch(/10 file\(s\) checked, 0 problem\(s\)\n/);
    expect(checked.code).toBe(0);
  });
});

describe('a file name that is not UTF-8', () => {
  it('is not the tool’s: a warning with the name escaped, the sync goes on, validate does not fail on it', async () => {
    const cwd = await project();
    expect((await sync(cwd)).summary.ok).toBe(true);
    const odd = Buffer.concat([Buffer.from(path.join(cwd, POSTS, '/')), Buffer.from([0xff, 0xfe]), Buffer.from('.md')]);
    await writeFile(odd, 'y');
    items = items.map((i, n) => (n === 0 ? { ...i, description: 'Changed upstream.' } : i));

    const result = await sync(cwd);
    expect(result.summary).toMatchObject({ ok: true, created: 0, updated: 1, deleted: 0, failed: 0, unchanged: 9 });
    expect(result.log).toContain('content/post/\\xff\\xfe.md: the file name is not UTF-8; not a file of this tool');
    expect(result.log).not.toContain('\ufffd');

    const second = await sync(cwd);
    expect(second.summary).toMatchObject({ ok: true, created: 0, updated: 0, deleted: 0, failed: 0, files: [] });

    const checked = await validate(cwd);
    expect(checked.stderr).not.toMatch(/This is a bug|unexpected error/);
    expect(checked.stderr).toContain('note: content/post/\\xff\\xfe.md: the file name is not UTF-8');
    expect(checked.code).toBe(0);
    expect(await readFile(odd, 'utf8')).toBe('y');
  });
});
