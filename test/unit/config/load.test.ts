import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/errors.js';

const cwd = '/srv/site';
const files = (map: Record<string, string>) => async (file: string) => {
  const text = map[file];
  if (text === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
  return text;
};
const minimal = 'collections:\n  - endpoint: https://shah.dropmark.com/616548.json\n';
const load = (text: string, overrides = {}, env = {}) =>
  loadConfig({ cwd, env, overrides, readText: files({ [path.join(cwd, 'config/dropmark-sync.yaml')]: text }) });

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadConfig', () => {
  it("fills defaults and resolves the file's relative paths against the file's own folder", async () => {
    const { config } = await load(minimal);
    expect(config.siteDir).toBe('/srv/site/config/output');
    expect(config.cacheDir).toBe('/srv/site/config/.cache/dropmark-sync');
    expect(config.collections[0]).toMatchObject({
      contentDir: 'content/post',
      deletions: 'delete',
      images: {
        mode: 'local',
        dir: 'static/img/content/post',
        manifest: 'data/dropmark-sync/images-static-img-content-post.json',
      },
    });
    expect(config.http).toMatchObject({ timeoutMs: 30_000, retries: 4, maxBodyBytes: 64 * 1024 * 1024 });
  });

  it("lets --site-dir and --endpoint override, keeping the first collection's other settings", async () => {
    const { config } = await load(`${minimal}    deletions: keep\n`, {
      siteDir: 'site',
      endpoint: 'http://127.0.0.1:1/1.json',
    });
    expect(config.siteDir).toBe('/srv/site/site');
    expect(config.collections).toHaveLength(1);
    expect(config.collections[0]).toMatchObject({ endpoint: 'http://127.0.0.1:1/1.json', deletions: 'keep' });
  });

  it('works with --endpoint alone when no config file exists', async () => {
    const { config, file } = await loadConfig({
      cwd,
      env: {},
      overrides: { endpoint: 'https://a.dropmark.com/1.json' },
      readText: files({}),
    });
    expect(file).toBeUndefined();
    expect(config.collections[0]?.endpoint).toBe('https://a.dropmark.com/1.json');
  });

  it('reads the file named by DROPMARK_SYNC_CONFIG', async () => {
    const { file } = await loadConfig({
      cwd,
      env: { DROPMARK_SYNC_CONFIG: 'other.yaml' },
      readText: files({ '/srv/site/other.yaml': minimal }),
    });
    expect(file).toBe('/srv/site/other.yaml');
  });

  it.each([
    [
      'a wrong type',
      `${minimal}http:\n  timeoutMs: soon\n`,
      'http.timeoutMs',
      /http\.timeoutMs: must be a whole number/,
    ],
    ['an unknown key', `${minimal}    imagse: {}\n`, 'collections[0].imagse', /collections\[0\]\.imagse: unknown key/],
    ['a bad enum', `${minimal}    deletions: sometimes\n`, 'collections[0].deletions', /must be "delete" or "keep"/],
    [
      'a bad image mode',
      `${minimal}    images:\n      mode: cdn\n`,
      'collections[0].images.mode',
      /one of: local, remote, none/,
    ],
    ['a bad cron', `schedule: every minute\n${minimal}`, 'schedule', /schedule: is not a valid cron expression/],
    ['a bad endpoint', 'collections:\n  - endpoint: ftp://x\n', 'collections[0].endpoint', /must be an http\(s\) URL/],
    ['no collections', 'siteDir: x\n', 'collections', /collections: must be a list/],
    [
      'a content dir leaving the site',
      `${minimal}    contentDir: ../etc\n`,
      'collections[0].contentDir',
      /must stay under siteDir/,
    ],
    ['an absolute content dir', `${minimal}    contentDir: /etc\n`, 'collections[0].contentDir', /must be relative/],
    ['negative retries', `${minimal}http:\n  retries: -1\n`, 'http.retries', /from 0 to 20/],
  ])('refuses %s and names the key', async (_what, text, keyPath, message) => {
    const error = await configError(load(text));
    expect(error.keyPath).toBe(keyPath);
    expect(error.message).toMatch(message);
  });

  it('refuses two collections writing to one content dir', async () => {
    const text =
      `collections:\n  - endpoint: https://a.dropmark.com/1.json\n` +
      `  - endpoint: https://a.dropmark.com/2.json\n    images: { dir: other }\n`;
    const error = await configError(load(text));
    expect(error.keyPath).toBe('collections[1].contentDir');
    expect(error.message).toMatch(/the same path as collections\[0\]\.contentDir/);
  });

  it.each([
    ['content folders', 'contentDir: content/post', 'contentDir: Content/Post', 'contentDir'],
    // `é` precomposed against e + U+0301: one name on macOS.
    ['content folders (NFC and NFD)', 'contentDir: caf\u00e9', 'contentDir: cafe\u0301', 'contentDir'],
    // The long s: one letter with `s` once upper-cased, as NTFS and APFS compare names.
    ['content folders (\u017f and s)', 'contentDir: content/post', 'contentDir: content/po\u017ft', 'contentDir'],
    [
      'image folders',
      'images: { dir: static/img }',
      'contentDir: other\n    images: { dir: Static/IMG }',
      'images.dir',
    ],
  ])('refuses two collections whose %s differ only in case, naming both keys', async (_what, first, second, key) => {
    const text =
      `collections:\n  - endpoint: https://a.dropmark.com/1.json\n    ${first}\n` +
      `  - endpoint: https://a.dropmark.com/2.json\n    ${second}\n`;
    const error = await configError(load(text));
    expect(error.keyPath).toBe(`collections[1].${key}`);
    expect(error.message).toContain(
      `collections[1].${key}: the same folder as collections[0].${key} on macOS and Windows (`,
    );
    expect(error.message).toContain(': the paths differ only in case or Unicode form); give each collection its own');
  });

  it('refuses two collections mirroring images into one folder', async () => {
    const text =
      `collections:\n  - endpoint: https://a.dropmark.com/1.json\n` +
      `  - endpoint: https://a.dropmark.com/2.json\n    contentDir: content/links\n`;
    const error = await configError(load(text));
    expect(error.keyPath).toBe('collections[1].images.dir');
  });

  it('says where YAML is broken', async () => {
    const error = await configError(load('collections: [\n'));
    expect(error.message).toMatch(/not valid YAML \(line \d+, column \d+\)/);
  });

  it('looks for ./dropmark-sync.yaml, then ./config/dropmark-sync.yaml', async () => {
    const both = files({ '/srv/site/dropmark-sync.yaml': minimal, '/srv/site/config/dropmark-sync.yaml': minimal });
    expect((await loadConfig({ cwd, env: {}, readText: both })).file).toBe('/srv/site/dropmark-sync.yaml');
    const second = files({ '/srv/site/config/dropmark-sync.yaml': `siteDir: ../public\n${minimal}` });
    const { config, file } = await loadConfig({ cwd, env: {}, readText: second });
    expect(file).toBe('/srv/site/config/dropmark-sync.yaml');
    expect(config.siteDir).toBe('/srv/site/public');
  });

  it(
    '--config wins over DROPMARK_SYNC_CONFIG, which wins over the usual places; ' +
      '--site-dir is relative to the working folder',
    async () => {
      const all = files({
        '/srv/site/a.yaml': minimal,
        '/srv/site/b.yaml': minimal,
        '/srv/site/dropmark-sync.yaml': minimal,
      });
      const env = { DROPMARK_SYNC_CONFIG: 'b.yaml' };
      expect((await loadConfig({ cwd, env, readText: all, overrides: { configFile: 'a.yaml' } })).file).toBe(
        '/srv/site/a.yaml',
      );
      expect((await loadConfig({ cwd, env, readText: all })).file).toBe('/srv/site/b.yaml');
      const { config } = await loadConfig({
        cwd: '/elsewhere',
        env: {},
        readText: all,
        overrides: { configFile: '/srv/site/a.yaml', siteDir: 'out' },
      });
      expect(config.siteDir).toBe('/elsewhere/out');
      expect(config.cacheDir).toBe('/srv/site/.cache/dropmark-sync');
    },
  );

  it('expands ~ to the home folder', async () => {
    const { config } = await loadConfig({
      cwd,
      env: { HOME: '/home/me' },
      readText: files({ '/srv/site/dropmark-sync.yaml': `siteDir: ~/site\n${minimal}` }),
    });
    expect(config.siteDir).toBe('/home/me/site');
  });

  it('says where it looked and what to do when no file is found', async () => {
    const error = await configError(
      loadConfig({ cwd, env: {}, readText: files({}), missingHint: 'pass --config FILE' }),
    );
    expect(error.message).toBe(
      'no config file found (looked for /srv/site/dropmark-sync.yaml, /srv/site/config/dropmark-sync.yaml). ' +
        'Run "dropmark-sync init" to write one, or pass --config FILE',
    );
    const named = await configError(
      loadConfig({ cwd, env: {}, readText: files({}), overrides: { configFile: 'x.yaml' } }),
    );
    expect(named.message).toBe('cannot read config file /srv/site/x.yaml: it does not exist');
  });

  it('refuses deadlineMs at or above lockStaleMs: no lock may go stale while its sync still writes', async () => {
    const error = await configError(load(`${minimal}deadlineMs: 3600000\nlockStaleMs: 3600000\n`));
    expect(error.message).toMatch(/deadlineMs: must be below lockStaleMs/);
    expect(error.keyPath).toBe('deadlineMs');
  });

  it('gives folders that differ only in punctuation their own state files', async () => {
    const { config } = await load(
      'collections:\n' +
        '  - endpoint: https://a.dropmark.com/1.json\n    contentDir: content/post\n' +
        '    images: { dir: static/img_a }\n' +
        '  - endpoint: https://a.dropmark.com/2.json\n    contentDir: content_post\n' +
        '    images: { dir: static/img/a }\n',
    );
    expect(config.collections.map((c) => c.images.manifest)).toEqual([
      'data/dropmark-sync/images-static-img_5fa.json',
      'data/dropmark-sync/images-static-img-a.json',
    ]);
  });

  it('gives each of several collections its own default files folder, prefix and manifest', async () => {
    const { config } = await load(
      'collections:\n' +
        '  - endpoint: https://a.dropmark.com/1.json\n    contentDir: content/post\n' +
        '    images: { dir: static/img/a }\n' +
        '  - endpoint: https://a.dropmark.com/2.json\n    contentDir: content/notes\n' +
        '    images: { dir: static/img/b }\n    files: { dir: static/docs }\n',
    );
    expect(config.collections.map((c) => [c.files.dir, c.files.urlPrefix, c.files.manifest])).toEqual([
      ['static/files/content-post', '/files/content-post', 'data/dropmark-sync/files-static-files-content_2dpost.json'],
      ['static/docs', '/files', 'data/dropmark-sync/files-static-docs.json'],
    ]);
  });

  it('leaves folder and prefix as set when a collection sets one of them (a prefix keeps its folder)', async () => {
    const error = await configError(
      load(
        'collections:\n' +
          '  - endpoint: https://a.dropmark.com/1.json\n    contentDir: content/post\n    images: { mode: none }\n' +
          '    files: { urlPrefix: /docs }\n' +
          '  - endpoint: https://a.dropmark.com/2.json\n    contentDir: content/notes\n    images: { mode: none }\n' +
          '    files: { urlPrefix: /more }\n',
      ),
    );
    expect(error.message).toContain('collections[1].files.dir: the same path as collections[0].files.dir');
  });

  it.each([
    ['.', 'is the site folder itself'],
    ['.git/x', 'is or lies in a hidden folder (such as .git)'],
    ['data/dropmark-sync', "holds or lies in the tool's state folder data/dropmark-sync"],
    ['data', "holds or lies in the tool's state folder data/dropmark-sync"],
  ])('refuses files.dir %s: it %s', async (dir, why) => {
    const error = await configError(
      load(`collections:\n  - endpoint: https://a.dropmark.com/1.json\n    files: { dir: "${dir}" }\n`),
    );
    expect(error.message).toBe(
      `collections[0].files.dir: "${dir}" ${why}; give downloads a folder of their own, such as static/files`,
    );
  });

  it('refuses two collections whose state would share a file', async () => {
    const two = (a: string, b: string) =>
      `collections:\n  - endpoint: https://a.dropmark.com/1.json\n${a}\n` +
      `  - endpoint: https://a.dropmark.com/2.json\n${b}\n`;
    const sameManifest = await configError(
      load(
        two(
          '    images: { dir: img/a, manifest: data/m.json }',
          '    contentDir: other\n    images: { dir: img/b, manifest: data/m.json }',
        ),
      ),
    );
    expect(sameManifest.message).toMatch(
      /collections\[1\]\.images\.manifest: the same path as collections\[0\]\.images\.manifest/,
    );
  });

  it('refuses a time zone the system does not know, before the scheduler would crash on it', async () => {
    const error = await configError(load(`timezone: Mars/Olympus\n${minimal}`));
    expect(error.message).toMatch(
      /timezone: is not a time zone this system knows; use an IANA name such as Europe\/Berlin/,
    );
    expect((await load(`timezone: Europe/Berlin\n${minimal}`)).config.timezone).toBe('Europe/Berlin');
  });

  it('names the key an unknown one most likely meant', async () => {
    const top = await configError(load(`sitedir: public\n${minimal}`));
    expect(top.message).toMatch(/^sitedir: unknown key; did you mean siteDir\?$/m);
    const nested = await configError(load(`${minimal}    imagse: {}\n`));
    expect(nested.message).toMatch(/collections\[0\]\.imagse: unknown key; did you mean images\?/);
    const deep = await configError(load(`${minimal}    images: { maxbyte: 1 }\n`));
    expect(deep.message).toMatch(/collections\[0\]\.images\.maxbyte: unknown key; did you mean maxBytes\?/);
    const far = await configError(load(`${minimal}whatever: 1\n`));
    expect(far.message).toMatch(/whatever: unknown key; check its spelling against docs\/configuration\.md/);
  });

  it.each(['*/61 * * * *', '*/0 * * * *', '0 */24 * * *', '0 0 */32 * *', '0 0 1 */13 *', '*/60 * * * * *'])(
    'refuses the cron step beyond its field in %s (node-cron would run it once an hour or day)',
    async (cron) => {
      const error = await configError(load(`schedule: "${cron}"\n${minimal}`));
      expect(error.message).toMatch(/schedule: is not a valid cron expression/);
    },
  );

  it.each(['*/59 * * * *', '0 */23 * * *', '*/30 * * * * *', '0 9-17/2 * * 1-5'])(
    'accepts the cron %s',
    async (cron) => {
      expect((await load(`schedule: "${cron}"\n${minimal}`)).config.schedule).toBe(cron);
    },
  );
});

describe('loadConfig: a front-matter mapping that would silently break every file is refused', () => {
  const mapped = (collection: string) => `${minimal}${collection}\n`;
  /** Every line of the message after its first: one problem a line. */
  const problems = async (collection: string) =>
    (await configError(load(mapped(collection)))).message.split('\n').slice(1);

  it.each<[string, string, string[]]>([
    [
      'a key of the tool added (it would lock every file for good)',
      '    frontMatter: { add: { dropmark.locked: true } }',
      [
        'collections[0].frontMatter.add."dropmark.locked": keys that start with "dropmark." are the tool\'s ' +
          '(dropmark.locked is written by hand in one file); use another name than "dropmark.locked"',
      ],
    ],
    [
      'a key of the tool in any case, dropped, renamed onto, and as a rename source',
      '    frontMatter: { drop: [Dropmark.Locked], rename: { image: dropmark.cover, dropmark.locked: x } }',
      [
        'collections[0].frontMatter.rename.image: "image" -> "dropmark.cover": keys that start with "dropmark." ' +
          "are the tool's (dropmark.locked is written by hand in one file); choose another name",
        'collections[0].frontMatter.rename."dropmark.locked": keys that start with "dropmark." are the tool\'s ' +
          '(dropmark.locked is written by hand in one file); "dropmark.locked" cannot be renamed',
        'collections[0].frontMatter.drop[0]: keys that start with "dropmark." are the tool\'s ' +
          '(dropmark.locked is written by hand in one file); "Dropmark.Locked" cannot be dropped',
      ],
    ],
    [
      'two keys renamed onto one (the tags would be lost)',
      '    profile: hugo\n    frontMatter: { rename: { tags: categories, image: categories } }',
      [
        'collections[0].frontMatter.rename.image: "image" -> "categories": "tags" is renamed to "categories" too; ' +
          'give each its own key',
      ],
    ],
    [
      'a rename onto a key that add writes, or that drop removes',
      '    profile: hugo\n    frontMatter: { rename: { socialScore: score, image: cover }, drop: [cover], ' +
        'add: { score: 1 } }',
      [
        'collections[0].frontMatter.rename.image: "image" -> "cover": drop removes "cover", ' +
          'so it would never be written; take it out of drop',
        'collections[0].frontMatter.add.score: "score" is already written (rename: socialScore -> score); ' +
          'remove one of the two',
      ],
    ],
    [
      'empty keys in add, rename and drop',
      '    frontMatter: { add: { "": x }, rename: { "": a, title: " " }, drop: [""] }',
      [
        'collections[0].frontMatter.rename."": an empty key cannot be renamed; remove the entry',
        'collections[0].frontMatter.rename.title: "title" is renamed to an empty key; give it a name',
        'collections[0].frontMatter.drop[0]: an empty key; remove it from the list',
        'collections[0].frontMatter.add."": an empty key; give it a name',
      ],
    ],
    [
      'the title dropped (under its own name or the one a rename gives it)',
      '    profile: hugo\n    frontMatter: { rename: { title: headline }, drop: [headline] }',
      [
        'collections[0].frontMatter.rename.title: "title" -> "headline": drop removes "headline", ' +
          'so it would never be written; take it out of drop',
        'collections[0].frontMatter.drop[0]: "headline" is every post\'s title; ' +
          'it cannot be dropped (rename it to write it under another name)',
      ],
    ],
    [
      "the key that keeps Jekyll's Liquid off the feed's text, dropped and replaced",
      '    profile: jekyll\n    frontMatter: { drop: [render_with_liquid], add: { render_with_liquid: true } }',
      [
        "collections[0].frontMatter.drop[0]: render_with_liquid (always false) keeps Jekyll's Liquid from running " +
          "the feed's text; it cannot be dropped",
        "collections[0].frontMatter.add.render_with_liquid: render_with_liquid (always false) keeps Jekyll's Liquid " +
          "from running the feed's text; it cannot be added (the tool writes it)",
      ],
    ],
    [
      "Eleventy's template engines let loose by a rename",
      '    profile: eleventy\n    frontMatter: { rename: { templateEngineOverride: engine } }',
      [
        'collections[0].frontMatter.rename.templateEngineOverride: templateEngineOverride (always md) keeps ' +
          "Eleventy's template engines from running the feed's text; it cannot be renamed",
      ],
    ],
  ])('%s', async (_what, collection, lines) => {
    expect(await problems(collection)).toEqual(lines);
  });

  it('the error names the first problem as its key path', async () => {
    const error = await configError(load(mapped('    frontMatter: { add: { dropmark.locked: true } }')));
    expect(error.keyPath).toBe('collections[0].frontMatter.add."dropmark.locked"');
  });

  it.each([
    [
      'a date renamed, and one dropped',
      '    profile: hugo\n    frontMatter: { rename: { date: published }, drop: [lastmod] }',
    ],
    [
      'the title renamed, a key added, a source field renamed',
      '    frontMatter: { rename: { title: headline, id: itemId }, add: { layout: link } }',
    ],
    [
      'a key the profile writes, dropped first, then added',
      '    profile: hugo\n    frontMatter: { drop: [lastmod], add: { lastmod: x } }',
    ],
    [
      "Jekyll's date dropped (Jekyll reads it from the file name)",
      '    profile: jekyll\n    frontMatter: { drop: [date] }',
    ],
  ])('accepts %s', async (_what, collection) => {
    expect((await load(mapped(collection))).config.collections).toHaveLength(1);
  });
});

describe('a Jekyll posts folder', () => {
  const collection = (lines: string) => `${minimal}    profile: jekyll\n${lines}\n`;

  it.each([
    ['_posts', '{slug}.md'],
    ['_posts/links', '{id}.md'],
    ['site/_posts', '{slug}-{date}.md'],
  ])('refuses %s with fileName %s: Jekyll would publish no post', async (dir, name) => {
    const error = await configError(load(collection(`    contentDir: ${dir}\n    fileName: "${name}"`)));
    expect(error.keyPath).toBe('collections[0].fileName');
    expect(error.message.split('\n').slice(1)).toEqual([
      `collections[0].fileName: "${name}" does not start with "{date}-": Jekyll publishes a file of ${dir} only ` +
        'when its name starts with a date (2024-03-10-title.md), so no post would be built. Use "{date}-{slug}.md" ' +
        '(the default: remove fileName), or a contentDir outside _posts (a Jekyll collection such as _links)',
    ]);
  });

  it.each([
    ['a dated name in _posts', '    contentDir: _posts\n    fileName: "{date}-{id}.md"'],
    ['the default name in _posts', '    contentDir: _posts'],
    ['any name in a collection folder', '    contentDir: _links\n    fileName: "{slug}.md"'],
    ['a folder whose name only contains _posts', '    contentDir: my_posts\n    fileName: "{slug}.md"'],
  ])('accepts %s', async (_what, lines) => {
    expect((await load(collection(lines))).config.collections).toHaveLength(1);
  });

  it('leaves the other profiles alone (only Jekyll reads _posts)', async () => {
    const text = `${minimal}    profile: eleventy\n    contentDir: _posts\n    fileName: "{slug}.md"\n`;
    expect((await load(text)).config.collections).toHaveLength(1);
  });
});
