import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { POSTS, runCli, tempDir } from '../support/cli.js';
import { syncInProcess } from '../support/in-process.js';
import { logText } from '../support/log.js';
import { useSampleFeedServer } from '../support/sample-feed-server.js';

let endpoint = '';
useSampleFeedServer((_server, url) => {
  endpoint = url;
});

const config = (cwd: string, collection: string) =>
  writeFile(
    path.join(cwd, 'dropmark-sync.yaml'),
    `siteDir: site\ncollections:\n  - endpoint: ${endpoint}\n    images: { mode: none }\n${collection}` +
      'http: { allowPrivateNetworks: true }\n',
  );
/** A profile switch is a rule of the pass: in this process. The first sync of each site is the built CLI's. */
const sync = syncInProcess;
/** The built CLI, finding dropmark-sync.yaml in the folder by itself (no --config). */
const syncCliHere = (cwd: string) => runCli(['sync', '--json'], { cwd });
const RECORD = 'site/data/dropmark-sync/front-matter-content-post.json';
const ITEM = 'himss-understanding-your-interoperability-journey-gaining-insights-through-case-studies';

describe('changing the profile of an existing site is a normal sync', () => {
  it(
    'bookmark -> jekyll: files renamed to {date}-{slug}.md, ' + 'bookmark keys replaced, a hand-added key kept',
    async () => {
      const cwd = await tempDir();
      await config(cwd, '');
      expect((await syncCliHere(cwd)).code).toBe(0);
      const names = (await readdir(path.join(cwd, POSTS))).sort();
      expect(names).toHaveLength(41);
      // The default profile writes no record: a bookmark site looks as it always did.
      await expect(readFile(path.join(cwd, RECORD), 'utf8')).rejects.toThrow(/ENOENT/);
      const file = path.join(cwd, POSTS, `${ITEM}.md`);
      await writeFile(file, (await readFile(file, 'utf8')).replace('---\n', '---\nweight: 7\n'));

      await config(cwd, '    profile: jekyll\n');
      const dry = await sync(cwd, { dryRun: true });
      expect(dry.summary.ok).toBe(true);
      expect(dry.summary.updated).toBe(41);
      expect((await readdir(path.join(cwd, POSTS))).sort()).toEqual(names); // a dry run writes nothing

      const real = await sync(cwd);
      expect(real.summary).toMatchObject({ ok: true, created: 0, updated: 41, deleted: 0, failed: 0 });
      const after = (await readdir(path.join(cwd, POSTS))).sort();
      expect(after).toHaveLength(41);
      expect(after.every((n) => /^\d{4}-\d{2}-\d{2}-.+\.md$/.test(n))).toBe(true);
      // Named with the day the item was created (its date in jekyll), not that of its last update (26 Feb).
      expect(after).toContain(`2019-02-23-${ITEM}.md`);
      const text = await readFile(path.join(cwd, POSTS, `2019-02-23-${ITEM}.md`), 'utf8');
      expect(text.slice(0, text.indexOf('\n---\n') + 5)).toBe(
        [
          '---',
          "title: 'Understanding Your Interoperability Journey: Gaining Insights through Case",
          "  Studies'",
          'date: 2019-02-23T06:47:13Z',
          'last_modified_at: 2019-02-26T11:47:13Z',
          'link: https://www.himss.org/news/' +
            'understanding-your-interoperability-journey-gaining-insights-through-case-studies',
          'tags:',
          '- interoperability',
          'description: ""',
          'render_with_liquid: false',
          'dropmark.editURL: http://radhikan.dropmark.com/616548/18085640',
          'weight: 7',
          '---',
          '',
        ].join('\n'),
      );
      expect(JSON.parse(await readFile(path.join(cwd, RECORD), 'utf8'))).toEqual({
        fileName: '{date}-{slug}.md',
        keys: [
          'date',
          'description',
          'dropmark.editURL',
          'image',
          'last_modified_at',
          'link',
          'render_with_liquid',
          'tags',
          'title',
        ],
      });

      // Settled: the next full pass changes nothing, and validate checks the files against jekyll's keys.
      expect((await sync(cwd, { full: true })).summary).toMatchObject({ updated: 0, created: 0, unchanged: 41 });
      const validate = await runCli(['validate'], { cwd });
      expect(validate.stderr + validate.stdout).toContain('41 file(s) checked, 0 problem(s)');
      expect(validate.code).toBe(0);

      // And back: the jekyll keys go, the bookmark keys come back, the person's key stays.
      await config(cwd, '');
      expect((await sync(cwd)).summary).toMatchObject({ updated: 41, failed: 0 });
      const back = await readFile(path.join(cwd, POSTS, `${ITEM}.md`), 'utf8');
      expect(back).toContain('\narchetype: bookmark\n');
      expect(back).toContain('\nweight: 7\n');
      expect(back).not.toContain('render_with_liquid');
      expect(back).not.toContain('\ntags:');
    },
  );

  it("a person's lastmod and image in a bookmark site: kept through a switch to hugo (warned) and back", async () => {
    const cwd = await tempDir();
    await config(cwd, '');
    expect((await syncCliHere(cwd)).code).toBe(0);
    const file = path.join(cwd, POSTS, `${ITEM}.md`);
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('---\n', '---\nlastmod: 2020-01-01\nimage: /me.png\n'),
    );

    await config(cwd, '    profile: hugo\n');
    const toHugo = await sync(cwd);
    expect(toHugo.summary).toMatchObject({ ok: true, updated: 41, failed: 0 });
    const hugo = await readFile(file, 'utf8');
    // The person's values, where the hugo profile would have written its own (lastmod: the item's date).
    expect(hugo).toMatch(/\nlastmod: "?2020-01-01"?\n/);
    expect(hugo).toContain('\nimage: /me.png\n');
    expect(hugo).not.toContain('lastmod: 2019-02-26T11:47:13Z');
    expect(hugo).toContain('\ndate: 2019-02-23T06:47:13Z\n');
    const told = `content/post/${ITEM}.md: image, lastmod: added by hand, kept as written`;
    expect(toHugo.log).toContain(told);
    expect(toHugo.summary.collections[0]?.keptKeys).toEqual([
      { file: `content/post/${ITEM}.md`, keys: ['image', 'lastmod'] },
    ]);
    // Every other post gets the profile's lastmod.
    const other = await readFile(path.join(cwd, POSTS, (await readdir(path.join(cwd, POSTS)))[0] as string), 'utf8');
    expect(other).toMatch(/\nlastmod: \d{4}-\d\d-\d\dT/);
    // validate takes the person's values as theirs, not as the profile's keys gone wrong.
    const validate = await runCli(['validate'], { cwd });
    expect(validate.stderr + validate.stdout).toContain('41 file(s) checked, 0 problem(s)');
    // Settled: the next full pass changes nothing and tells nothing new.
    const again = await sync(cwd, { full: true });
    expect(again.summary).toMatchObject({ updated: 0, created: 0 });
    expect(again.log).not.toContain(told);

    await config(cwd, '');
    const back = await sync(cwd);
    expect(back.summary).toMatchObject({ ok: true, updated: 41, failed: 0 });
    const bookmark = await readFile(file, 'utf8');
    expect(bookmark).toMatch(/\nlastmod: "?2020-01-01"?\n/);
    expect(bookmark).toContain('\nimage: /me.png\n');
    expect(bookmark).toContain('\narchetype: bookmark\n');
  });

  it('validate names a file that lacks a key of its profile', async () => {
    const cwd = await tempDir();
    await config(cwd, '    profile: eleventy\n');
    expect((await sync(cwd)).summary.ok).toBe(true);
    const file = path.join(cwd, POSTS, `${ITEM}.md`);
    await writeFile(file, (await readFile(file, 'utf8')).replace('templateEngineOverride: md\n', ''));
    const validate = await runCli(['validate'], { cwd });
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toContain(`content/post/${ITEM}.md: templateEngineOverride: missing`);
  });
});

describe('a Jekyll posts folder', () => {
  it('validate and sync refuse a fileName of which Jekyll would publish no post, and write nothing', async () => {
    const cwd = await tempDir();
    await config(cwd, '    profile: jekyll\n    contentDir: _posts\n    fileName: "{slug}.md"\n');
    const why =
      'collections[0].fileName: "{slug}.md" does not start with "{date}-": Jekyll publishes a file of _posts only ' +
      'when its name starts with a date (2024-03-10-title.md), so no post would be built. Use "{date}-{slug}.md" ' +
      '(the default: remove fileName), or a contentDir outside _posts (a Jekyll collection such as _links)';
    for (const command of [['validate'], ['sync']]) {
      const run = await runCli(command, { cwd });
      expect(run.code, command[0]).toBe(1);
      expect(logText(run.stderr)).toContain(why);
    }
    await expect(readdir(path.join(cwd, 'site'))).rejects.toThrow(/ENOENT/);
  });
});
