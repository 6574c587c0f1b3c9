import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyPatch, parsePatch } from 'diff';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotTree as tree } from '../support/tree.js';
import { loopbackProject, POSTS, runCli, syncCli } from '../support/cli.js';
import { syncInProcess, type InProcessOptions } from '../support/in-process.js';
import { FakeCdn } from '../support/cdn.js';
import { json, startServer, type Handler, type TestServer } from '../support/feed-server.js';
import { jpeg } from '../support/images.js';

type Server = TestServer & { route(prefix: string, handler: Handler): void };
let server: Server;
let cdn: FakeCdn;

interface Item {
  id: number;
  name: string;
  content?: string;
  tags?: string[];
  image?: string;
}
let items: Item[];

const feed = () => ({
  items: items.map((i) => ({
    id: i.id,
    name: i.name,
    link: `https://www.example.com/story/${i.id}`,
    content: i.content ?? `Body of ${i.id}\n`,
    description: `About ${i.id}`,
    url: `https://someone.dropmark.com/616548/${i.id}`,
    updated_at: '2024-03-07 22:29:46 UTC',
    tags: (i.tags ?? []).map((name) => ({ name })),
    thumbnail: i.image ? cdn.sign(i.image) : null,
  })),
});

beforeEach(async () => {
  server = (await startServer((req, res) => json(feed())(req, res))) as Server;
  cdn = new FakeCdn(() => server.url);
  server.route('/cdn/', cdn.handler);
  items = [
    { id: 1, name: 'Alpha story', tags: ['news'], image: '/cdn/1/a/thumbnail/alpha.jpg' },
    { id: 2, name: 'Beta story' },
    { id: 3, name: 'Gamma story', image: '/cdn/1/c/thumbnail/gamma.jpg' },
    { id: 4, name: 'Delta story' },
  ];
  cdn.put('/cdn/1/a/thumbnail/alpha.jpg', jpeg('alpha'));
  cdn.put('/cdn/1/c/thumbnail/gamma.jpg', jpeg('gamma'));
  cdn.put('/cdn/1/c/thumbnail/gamma-2.jpg', jpeg('gamma-2'));
});
afterEach(async () => {
  await server.close();
});

const project = (collection: readonly string[] = []) =>
  loopbackProject(`${server.url}/616548.json`, collection, {
    http: 'http: { retries: 0, allowPrivateNetworks: true }',
  });

const MANIFEST = 'data/dropmark-sync/images-static-img-content-post.json';
/** The built CLI with readable output: the commands' own flags (--dry-run's diff, --check, --report). */
const syncText = (cwd: string, ...args: string[]) => syncCli(cwd, ['--log-format', 'pretty', ...args], { json: false });
/** The rules of a hand-edited site, in this process: the summary, and the log and summary lines a person reads. */
const sync = (cwd: string, options: InProcessOptions = {}) => syncInProcess(cwd, options);

/** Changes the feed so that one post is created, one updated, one renamed-in-title, one deleted, one image replaced. */
function changeFeed() {
  items = [
    { id: 1, name: 'Alpha story', tags: ['news', 'health'], image: '/cdn/1/a/thumbnail/alpha.jpg' },
    { id: 2, name: 'Beta story, retitled' },
    { id: 3, name: 'Gamma story', image: '/cdn/1/c/thumbnail/gamma-2.jpg' },
    { id: 5, name: 'Epsilon story' },
  ];
}

describe('--dry-run', () => {
  it('writes nothing, and its diff is exactly what the real run then writes', async () => {
    const cwd = await project();
    await sync(cwd);
    changeFeed();
    const before = await tree(cwd);
    const dry = await syncText(cwd, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stderr).toMatch(/dry run, nothing written: 1 would be created, 2 would be updated, 1 would be deleted/);
    expect(await tree(cwd)).toEqual(before);

    // Apply the printed diff to the files as they were; it must give what the real run writes.
    const predicted = new Map<string, string | null>();
    for (const patch of parsePatch(
      dry.stdout
        .split('\n')
        .filter((l) => !/^[+~-] static\//.test(l))
        .join('\n'),
    )) {
      const target =
        patch.newFileName === '/dev/null'
          ? (patch.oldFileName as string).slice(2)
          : (patch.newFileName as string).slice(2);
      if (!patch.hunks.length) continue;
      if (patch.newFileName === '/dev/null') {
        predicted.set(target, null);
        continue;
      }
      const old = patch.oldFileName === '/dev/null' ? '' : (before.get(`site/${target}`)?.bytes.toString() ?? '');
      const result = applyPatch(old, patch);
      expect(result, target).not.toBe(false);
      predicted.set(target, result as string);
    }
    const imageLines = dry.stdout.split('\n').filter((l) => /^[+~-] static\//.test(l));
    // A dry run requests no image: the replaced one is named with the URL path it would come from.
    const wouldDownload = new RegExp(
      /^~ static\/img\/content\/post\/example-gamma-story\.jpg /.source +
        /\(would download 127\.0\.0\.1:\d+\/cdn\/1\/c\/thumbnail\/gamma-2\.jpg\)$/.source,
    );
    expect(imageLines).toEqual([expect.stringMatching(wouldDownload)]);

    const real = await sync(cwd);
    expect(real.summary.ok).toBe(true);
    const after = await tree(cwd);
    const changed = new Set<string>();
    for (const [file, entry] of after) {
      if (file.startsWith('.cache')) continue;
      const old = before.get(file);
      if (!old?.bytes.equals(entry.bytes)) changed.add(file.replace(/^site\//, ''));
    }
    for (const file of before.keys())
      if (!after.has(file) && !file.startsWith('.cache')) changed.add(file.replace(/^site\//, ''));
    // The image manifest records the new image's size and hash, which only the download tells.
    const predictedFiles = new Set([...predicted.keys(), 'static/img/content/post/example-gamma-story.jpg', MANIFEST]);
    expect([...changed].sort()).toEqual([...predictedFiles].sort());
    for (const [file, text] of predicted) {
      if (text === null) expect(after.has(`site/${file}`), file).toBe(false);
      else expect(after.get(`site/${file}`)?.bytes.toString(), file).toBe(text);
    }
  });
});

describe('--check', () => {
  it('exits 2 when anything would change, 0 when nothing would, and writes nothing', async () => {
    const cwd = await project();
    const first = await syncText(cwd, '--check');
    expect(first.code).toBe(2);
    expect(first.stdout).toBe('');
    expect(existsSync(path.join(cwd, 'site'))).toBe(false);
    expect(existsSync(path.join(cwd, '.cache'))).toBe(false);
    await sync(cwd);
    expect((await syncText(cwd, '--check')).code).toBe(0);
    changeFeed();
    expect((await syncText(cwd, '--check')).code).toBe(2);
  });

  it('exits 1 when the feed cannot be had', async () => {
    server.answer((_req, res) => res.writeHead(500).end());
    const cwd = await project();
    expect((await syncText(cwd, '--check')).code).toBe(1);
  });
});

describe('--report', () => {
  it('writes a Markdown report with creates, updates and deletes, matching the snapshot, without secrets', async () => {
    const secret = 'k3y-s3cret-value';
    const cwd = await project();
    await sync(cwd, { env: { DROPMARK_API_KEY: secret } });
    changeFeed();
    const result = await syncCli(cwd, ['--report', 'report.md'], { json: false, env: { DROPMARK_API_KEY: secret } });
    expect(result.code).toBe(0);
    const report = (await readFile(path.join(cwd, 'report.md'), 'utf8'))
      .replace(/127\.0\.0\.1:\d+/g, 'HOST')
      .replace(/\d+ B\b/g, 'N B');
    expect(report).not.toContain(secret);
    expect(report).not.toMatch(/key=/);
    await expect(report).toMatchFileSnapshot('__snapshots__/report.md');
  });

  it('a report too long for a pull request body is cut, and the full report is written beside it', async () => {
    // 400 posts with 200-character titles: some 170 kB of rows.
    items = Array.from({ length: 400 }, (_, i) => ({ id: 100 + i, name: `Story ${100 + i} ${'x'.repeat(190)}` }));
    const cwd = await project();
    const result = await syncText(cwd, '--report', 'report.md');
    expect(result.code).toBe(0);
    const report = await readFile(path.join(cwd, 'report.md'), 'utf8');
    const full = await readFile(path.join(cwd, 'report.full.md'), 'utf8');
    const rows = (text: string) => text.split('\n').filter((l) => l.startsWith('| [Story ')).length;
    expect(report.length).toBeLessThanOrEqual(60_000);
    const more = report.match(
      /\n(\d+) more rows not shown; the full report is `report\.full\.md`, beside this report\.\n/,
    );
    expect(Number(more?.[1]) + rows(report)).toBe(400);
    expect(rows(full)).toBe(400);
    expect(full).not.toContain('more rows not shown');
  });
});

describe('hand edits', () => {
  it('keeps keys a person added, and leaves a locked file alone (reported as skipped)', async () => {
    const cwd = await project();
    await sync(cwd);
    const alpha = path.join(cwd, POSTS, 'example-alpha-story.md');
    const beta = path.join(cwd, POSTS, 'example-beta-story.md');
    await writeFile(
      alpha,
      (await readFile(alpha, 'utf8'))
        .replace('archetype: bookmark\n', 'aliases:\n- /old/alpha\narchetype: bookmark\ndraft: true\n')
        .replace('link:', 'params:\n  hero: true\nlink:')
        .replace('title:', 'title:')
        .replace(/\nweight: \d+/, ''),
    );
    const betaLocked = (await readFile(beta, 'utf8'))
      .replace('dropmark.editURL', 'dropmark.locked: true\ndropmark.editURL')
      .replace('Body of 2', 'My own words');
    await writeFile(beta, betaLocked);
    changeFeed();
    const result = await sync(cwd);
    expect(result.summary.ok).toBe(true);
    expect(result.summary.skipped).toBe(1);
    expect(result.log).toMatch(/skipped: content\/post\/example-beta-story\.md is locked/);
    const after = await readFile(alpha, 'utf8');
    expect(after).toContain('aliases:\n- /old/alpha\narchetype: bookmark\ncategories:\n- news\n- health\n');
    expect(after).toContain('\ndraft: true\n');
    expect(after).toContain('\nparams:\n  hero: true\n');
    expect(await readFile(beta, 'utf8')).toBe(betaLocked);
    // The same counts whether the next poll takes the cache or a full pass.
    const full = (await sync(cwd, { full: true })).summary;
    const cached = (await sync(cwd)).summary;
    expect(cached.collections[0]?.result).toBe('unchanged-feed');
    expect({ unchanged: cached.unchanged, skipped: cached.skipped }).toEqual({
      unchanged: full.unchanged,
      skipped: full.skipped,
    });
    expect(full.skipped).toBe(1);
  });

  it.each([
    ['yes', true, /dropmark\.locked is "yes", read as true \(the file is locked\); write dropmark\.locked: true/],
    ['On', true, /dropmark\.locked is "On", read as true/],
    ['"true"', true, /dropmark\.locked is "true", read as true/],
    ['1', false, /dropmark\.locked is 1, which does not lock the file; only true \(or yes\/on\) does/],
    ['maybe', false, /dropmark\.locked is "maybe", which does not lock the file/],
  ])('dropmark.locked: %s locks the file: %s, and the log says how it was read', async (value, locks, warning) => {
    const cwd = await project();
    await sync(cwd);
    const beta = path.join(cwd, POSTS, 'example-beta-story.md');
    const edited = (await readFile(beta, 'utf8'))
      .replace('dropmark.editURL', `dropmark.locked: ${value}\ndropmark.editURL`)
      .replace('Body of 2', 'My own words');
    await writeFile(beta, edited);
    changeFeed();
    const result = await sync(cwd);
    expect(result.log).toMatch(warning);
    const after = await readFile(beta, 'utf8');
    if (locks) expect(after).toBe(edited);
    else expect(after).not.toBe(edited);
  });

  it(
    'an owned file whose YAML a person broke: that item fails, ' + 'named with the file and the line; no second file',
    async () => {
      const cwd = await project();
      await sync(cwd);
      const beta = path.join(cwd, POSTS, 'example-beta-story.md');
      const broken = (await readFile(beta, 'utf8')).replace(
        'archetype: bookmark\n',
        'archetype: bookmark\ntags: [unclosed\n',
      );
      await writeFile(beta, broken);
      changeFeed();
      const result = await sync(cwd);
      expect(result.summary.ok).toBe(false);
      const failures = result.summary.collections[0]?.failures;
      expect(failures).toEqual([
        expect.objectContaining({
          itemId: '2',
          file: 'content/post/example-beta-story.md',
          reason: expect.stringMatching(/line \d+/),
        }),
      ]);
      expect(result.log).toMatch(
        /content\/post\/example-beta-story\.md: front matter unreadable .*repair or delete the file/,
      );
      expect((await readdir(path.join(cwd, POSTS))).filter((n) => n.startsWith('example-beta'))).toEqual([
        'example-beta-story.md',
      ]);
      expect(await readFile(beta, 'utf8')).toBe(broken);
      // Repaired by hand: the next sync takes the item up again.
      await writeFile(beta, broken.replace('tags: [unclosed\n', ''));
      const again = await sync(cwd);
      expect(again.summary.ok, again.log).toBe(true);
    },
  );

  // The file read on the fast path (only the tool's keys) and the one read in full (a key a person added) alike.
  it.each([
    ["only the tool's keys", ''],
    ['a hand-added key', 'draft: true\n'],
  ])(
    'a tag list left unclosed in an owned file of %s: the item fails and the file is left as it is',
    async (_, extra) => {
      const cwd = await project();
      await sync(cwd);
      const alpha = path.join(cwd, POSTS, 'example-alpha-story.md');
      const written = await readFile(alpha, 'utf8');
      // The bookmark profile writes tags as `categories`, a key of its own.
      expect(written).toMatch(/^categories:\n- news\n/m);
      const broken = written.replace(/^categories:\n- news\n/m, `categories: [unclosed\n${extra}`);
      await writeFile(alpha, broken);
      changeFeed(); // alpha gains a tag: its file is due an update
      const result = await sync(cwd);
      expect(result.summary.ok).toBe(false);
      expect(result.summary.collections[0]?.failures).toEqual([
        expect.objectContaining({
          itemId: '1',
          file: 'content/post/example-alpha-story.md',
          reason: expect.stringMatching(
            /^content\/post\/example-alpha-story\.md: front matter unreadable \(.*line \d+.*\); repair or delete/,
          ),
        }),
      ]);
      expect(await readFile(alpha, 'utf8')).toBe(broken);
    },
  );

  it.each([
    ["only the tool's keys", ''],
    ['a hand-added key', 'draft: true\n'],
  ])('a broken owned file of %s whose item left the feed is left alone, not deleted', async (_, extra) => {
    const cwd = await project();
    await sync(cwd);
    const delta = path.join(cwd, POSTS, 'example-delta-story.md');
    const broken = (await readFile(delta, 'utf8')).replace(/^description: .*\n/m, `description: [unclosed\n${extra}`);
    await writeFile(delta, broken);
    changeFeed(); // item 4 leaves the feed
    const result = await sync(cwd);
    expect(result.summary).toMatchObject({ deleted: 0 });
    expect(result.log).toMatch(/content\/post\/example-delta-story\.md: front matter unreadable .*; left alone/);
    expect(await readFile(delta, 'utf8')).toBe(broken);
  });

  it('leaves a file alone whose front matter only looks different (a moved key, other quotes)', async () => {
    const cwd = await project();
    await sync(cwd);
    const alpha = path.join(cwd, POSTS, 'example-alpha-story.md');
    const text = await readFile(alpha, 'utf8');
    const title = /^title: (.*)$/m.exec(text)?.[1] as string;
    const moved = text
      .replace(/^title: .*\n/m, '')
      .replace('---\narchetype', `---\ntitle: "${title.replace(/^'|'$/g, '')}"\narchetype`);
    expect(moved).not.toBe(text);
    await writeFile(alpha, moved);
    const result = await syncCli(cwd, ['--full', '--report', 'r.md']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ updated: 0, files: [] });
    expect(await readFile(alpha, 'utf8')).toBe(moved);
    expect(await readFile(path.join(cwd, 'r.md'), 'utf8')).not.toMatch(/Updated/);
  });

  it('keeps a hand-added __proto__ key, like any other key', async () => {
    const cwd = await project();
    await sync(cwd);
    const alpha = path.join(cwd, POSTS, 'example-alpha-story.md');
    await writeFile(
      alpha,
      (await readFile(alpha, 'utf8')).replace(
        'archetype: bookmark\n',
        '__proto__:\n  polluted: true\narchetype: bookmark\n',
      ),
    );
    changeFeed();
    const result = await sync(cwd);
    expect(result.summary.ok, result.log).toBe(true);
    expect(await readFile(alpha, 'utf8')).toMatch(/^---\n__proto__:\n {2}polluted: true\narchetype: bookmark\n/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a folder or symlink named like a post is left alone; the item gets another name, every run', async () => {
    const cwd = await project();
    await mkdir(path.join(cwd, POSTS, 'example-alpha-story.md'), { recursive: true });
    await symlink('/etc/hostname', path.join(cwd, POSTS, 'example-beta-story.md'));
    const first = await sync(cwd);
    expect(first.summary.ok, first.log).toBe(true);
    expect(first.log).toMatch(/content\/post\/example-alpha-story\.md is a folder; left alone/);
    expect(first.log).toMatch(/content\/post\/example-beta-story\.md is a symbolic link; left alone/);
    for (const full of [false, true]) expect((await sync(cwd, { full })).summary.ok).toBe(true);
    const names = await readdir(path.join(cwd, POSTS));
    expect(names).toEqual(expect.arrayContaining(['example-alpha-story-1.md', 'example-beta-story-2.md']));
  });

  it('keeps an edited body until the body really changes upstream', async () => {
    const cwd = await project();
    await sync(cwd);
    const delta = path.join(cwd, POSTS, 'example-delta-story.md');
    const edited = (await readFile(delta, 'utf8')).replace('Body of 4\n', 'Body of 4, with a typo fixed by hand\n');
    await writeFile(delta, edited);
    items = items.map((i) => (i.id === 4 ? { ...i, tags: ['new-tag'] } : i));
    await sync(cwd);
    const afterTagChange = await readFile(delta, 'utf8');
    expect(afterTagChange).toContain('with a typo fixed by hand');
    expect(afterTagChange).toContain('- new-tag');
    items = items.map((i) => (i.id === 4 ? { ...i, content: 'A new body from Dropmark\n' } : i));
    await sync(cwd);
    expect(await readFile(delta, 'utf8')).toMatch(/---\nA new body from Dropmark\n$/);
  });
});

describe('stable identity', () => {
  it('a retitled item keeps its file and slug by default', async () => {
    const cwd = await project();
    await sync(cwd);
    changeFeed();
    await sync(cwd);
    const names = await readdir(path.join(cwd, POSTS));
    expect(names).toContain('example-beta-story.md');
    expect(names).not.toContain('example-beta-story-retitled.md');
    const text = await readFile(path.join(cwd, POSTS, 'example-beta-story.md'), 'utf8');
    expect(text).toContain('\nslug: example-beta-story\n');
    expect(text).toContain('\ntitle: Beta story, retitled\n');
  });

  it('with slugs: follow-title the file is renamed, and reported as a rename', async () => {
    const cwd = await project(['    slugs: follow-title']);
    await sync(cwd);
    changeFeed();
    const result = await sync(cwd);
    const names = await readdir(path.join(cwd, POSTS));
    expect(names).toContain('example-beta-story-retitled.md');
    expect(names).not.toContain('example-beta-story.md');
    expect(result.log).toMatch(
      /renamed: content\/post\/example-beta-story\.md -> content\/post\/example-beta-story-retitled\.md/,
    );
    const rename = result.summary.collections[0]?.changes.find((c) => c.itemId === '2');
    expect(rename).toMatchObject({
      kind: 'update',
      renamedFrom: 'content/post/example-beta-story.md',
      changedKeys: ['slug', 'title'],
    });
  });
});

describe('validate', () => {
  it('passes a synced site and names the file and key of each problem', async () => {
    const cwd = await project();
    await sync(cwd);
    const ok = await runCli(['validate', '--config', 'dropmark-sync.yaml'], { cwd });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/4 file\(s\) checked, 0 problem\(s\)\n/);

    // Formatted by hand (a moved key): a note, not a problem.
    const beta = path.join(cwd, POSTS, 'example-beta-story.md');
    const betaText = await readFile(beta, 'utf8');
    const archetype = 'archetype: bookmark\n';
    await writeFile(beta, betaText.replace(archetype, '').replace(/\n---\n/, `\n${archetype}---\n`));
    const noted = await runCli(['validate', '--config', 'dropmark-sync.yaml'], { cwd });
    expect(noted.code).toBe(0);
    expect(noted.stderr).toMatch(
      /^note: content\/post\/example-beta-story\.md: front matter formatted otherwise than the tool writes it/m,
    );
    expect(noted.stderr).toMatch(/4 file\(s\) checked, 0 problem\(s\), 1 note\(s\)/);
    await writeFile(beta, betaText);

    const gamma = path.join(cwd, POSTS, 'example-gamma-story.md');
    const text = await readFile(gamma, 'utf8');
    await writeFile(
      gamma,
      text
        .replace(/^date: .*$/m, 'date: yesterday')
        .replace(/^slug: .*$/m, 'slug: something-else')
        .replace(
          /^featuredImage: .*$/m,
          'featuredImage: https://cdn2.dropmarkusercontent.com/1/x/thumbnail/a.jpg?Expires=1&Signature=x&Key-Pair-Id=y',
        )
        .replace(/^socialScoreSimulated: true\n/m, ''),
    );
    await writeFile(
      path.join(cwd, POSTS, 'copy-of-alpha.md'),
      await readFile(path.join(cwd, POSTS, 'example-alpha-story.md')),
    );
    await writeFile(path.join(cwd, POSTS, 'about.md'), '---\ntitle: About\n---\nNot ours.\n');
    await writeFile(
      path.join(cwd, POSTS, 'broken.md'),
      '---\ndropmark.editURL: https://x.dropmark.com/1/9\ntitle: [unclosed\n---\n',
    );
    await writeFile(path.join(cwd, POSTS, 'notes.md'), '---\ntitle: [unclosed\n---\nnot ours either\n');
    const bad = await runCli(['validate', '--config', 'dropmark-sync.yaml', '--json'], { cwd });
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout);
    const found = report.problems.map((p: { file: string; key: string }) => `${p.file} ${p.key}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'content/post/example-gamma-story.md date',
        'content/post/example-gamma-story.md slug',
        'content/post/example-gamma-story.md featuredImage',
        'content/post/example-gamma-story.md socialScoreSimulated',
      ]),
    );
    expect(found.some((f: string) => f.endsWith('dropmark.editURL'))).toBe(true);
    expect(found.some((f: string) => f.includes('about.md') || f.includes('notes.md'))).toBe(false);
    expect(report.problems).toContainEqual({
      file: 'content/post/broken.md',
      message: expect.stringMatching(/^front matter unreadable/),
    });
    expect(bad.stderr).toMatch(/example-gamma-story\.md: featuredImage: holds a signed URL that expires/);
  });
});
