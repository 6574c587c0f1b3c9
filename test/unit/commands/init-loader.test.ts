import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { InitFlags } from '../../../src/commands/catalog.js';
import { runInit } from '../../../src/commands/init.js';
import { docExample } from '../../support/doc-examples.js';

/** `init --mode loader` in process: what it wrote, printed and returned. */

const ENDPOINT = 'https://me.dropmark.com/1.json';
const ASTRO_PACKAGE = '{ "name": "my-site", "type": "module", "devDependencies": { "astro": "^5.0.0" } }\n';
const ELEVENTY_PACKAGE = '{ "name": "my-site", "devDependencies": { "@11ty/eleventy": "^3.0.0" } }\n';

async function site(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'dms-init-loader-'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  return root;
}

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

async function init(root: string, flags: InitFlags) {
  const stdout = sink();
  const stderr = sink();
  const io = { env: {}, cwd: root, stdout: stdout.stream, stderr: stderr.stream };
  // Not a terminal: nothing is asked.
  const code = await runInit({ mode: 'loader', ...flags }, io, Readable.from([]));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Every file under the site, with its text. */
async function tree(root: string): Promise<Record<string, string>> {
  const names = await readdir(root, { recursive: true, withFileTypes: true });
  const files = names.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)));
  const texts = await Promise.all(files.map((f) => readFile(path.join(root, f), 'utf8')));
  return Object.fromEntries(files.sort().map((f) => [f, texts[files.indexOf(f)] as string]));
}

const docsWith = (file: string, endpoint: string) =>
  docExample('loaders.md', file).replace("'https://USER.dropmark.com/ID.json'", `'${endpoint}'`);

const NEXT_NO_INSTALL = [
  'Next:',
  '  install the package the build imports (see "Add it to your site" in dropmark-sync\'s README):',
  '  npm install --save-dev git+https://github.com/OWNER/dropmark-sync.git#v0.5.0',
  "  for a private collection, set DROPMARK_API_KEY in every build's environment (CI's too), never in a file",
];

describe('init --mode loader on an Astro site', () => {
  it("with no content config: the docs' content config with the endpoint, the page, .gitignore", async () => {
    const root = await site({ 'package.json': ASTRO_PACKAGE, 'astro.config.mjs': 'export default {};\n' });
    const result = await init(root, { endpoint: ENDPOINT });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(await tree(root)).toEqual({
      '.gitignore':
        '# dropmark-sync: what each build fetches again, never committed\n' +
        'public/img/dropmark/\npublic/files/dropmark/\nnode_modules\n',
      'astro.config.mjs': 'export default {};\n',
      'package.json': ASTRO_PACKAGE,
      'src/content.config.ts': docsWith('src/content.config.ts', ENDPOINT),
      'src/pages/links/[slug].astro': docExample('loaders.md', 'src/pages/links/[slug].astro'),
    });
    expect(result.stdout).toBe(
      [
        'Detected: an Astro site (astro.config.mjs); set up for the content loader dropmark-sync/astro.',
        'wrote src/content.config.ts (the links collection, loaded from the feed by dropmarkLoader)',
        'wrote src/pages/links/[slug].astro (a page per item: title, date, link, image)',
        'wrote .gitignore (public/img/dropmark/, public/files/dropmark/, node_modules)',
        '',
        ...NEXT_NO_INSTALL,
        '  npx astro build    # each build reads the feed; docs/loaders.md: what to keep between CI builds',
        '  commit what a fresh clone needs:',
        "  git add src/content.config.ts 'src/pages/links/[slug].astro' .gitignore package.json package-lock.json",
        '',
      ].join('\n'),
    );
  });

  it('with a content config of its own: leaves it as it is and prints the lines to add', async () => {
    const config = "import { defineCollection } from 'astro:content';\n\nexport const collections = {};\n";
    const root = await site({ 'package.json': ASTRO_PACKAGE, 'src/content/config.ts': config });
    const result = await init(root, { endpoint: ENDPOINT });
    expect(result.code).toBe(0);
    expect(await readFile(path.join(root, 'src/content/config.ts'), 'utf8')).toBe(config);
    expect(existsSync(path.join(root, 'src/content.config.ts'))).toBe(false);
    expect(existsSync(path.join(root, 'src/pages/links/[slug].astro'))).toBe(true);
    expect(result.stdout).toContain(
      [
        'By hand:',
        '  src/content/config.ts is yours and stays as it is; add the links collection to it',
        "  (defineCollection comes from 'astro:content'):",
        "    import { dropmarkLoader } from 'dropmark-sync/astro';",
        '',
        '    const links = defineCollection({',
        '      loader: dropmarkLoader({',
        "        endpoint: 'https://me.dropmark.com/1.json',",
        '      }),',
        '    });',
        '  and links to its collections: export const collections = { ..., links };',
        '',
        'Next:',
      ].join('\n'),
    );
    expect(result.stdout).toContain(
      "  git add 'src/pages/links/[slug].astro' src/content/config.ts .gitignore package.json package-lock.json\n",
    );
  });

  it('with a content config already importing the loader, and a page of its own: keeps both', async () => {
    const config = "import { dropmarkLoader } from 'dropmark-sync/astro';\n// mine\n";
    const page = '---\n---\n<p>mine</p>\n';
    const root = await site({
      'package.json': ASTRO_PACKAGE,
      'src/content.config.mjs': config,
      'src/pages/links/[...id].astro': page,
    });
    const result = await init(root, { endpoint: ENDPOINT });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'kept src/content.config.mjs (yours; it already imports dropmark-sync/astro)\n' +
        'kept src/pages/links/[...id].astro (yours; no page written)\n',
    );
    expect(result.stdout).not.toContain('By hand:');
    expect(await readFile(path.join(root, 'src/content.config.mjs'), 'utf8')).toBe(config);
    expect(await readdir(path.join(root, 'src/pages/links'))).toEqual(['[...id].astro']);
  });

  it('never reads a content config through a planted link: the target is not taken for the loader', async () => {
    // The link points at a file that imports the loader: read through, it would be taken as already set up.
    const elsewhere = await site({ 'loader.mjs': "import { dropmarkLoader } from 'dropmark-sync/astro';\n" });
    const root = await site({ 'package.json': ASTRO_PACKAGE });
    await mkdir(path.join(root, 'src'));
    await symlink(path.join(elsewhere, 'loader.mjs'), path.join(root, 'src', 'content.config.mjs'));
    const result = await init(root, { endpoint: ENDPOINT });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('it already imports dropmark-sync/astro');
    expect(result.stdout).toContain('src/content.config.mjs is yours and stays as it is; add the links collection');
  });

  it('writes an endpoint holding a quote as a string it cannot end', async () => {
    const endpoint = "https://me.dropmark.com/1.json?x='y";
    const root = await site({ 'package.json': ASTRO_PACKAGE });
    expect((await init(root, { endpoint })).code).toBe(0);
    expect(await readFile(path.join(root, 'src/content.config.ts'), 'utf8')).toContain(
      '    endpoint: "https://me.dropmark.com/1.json?x=\'y",\n',
    );
  });
});

describe('init --mode loader on an Eleventy site', () => {
  it("with no config: writes the docs' eleventy.config.mjs with the endpoint, links.liquid, .gitignore", async () => {
    const root = await site({ 'package.json': ELEVENTY_PACKAGE });
    const result = await init(root, { endpoint: ENDPOINT });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(await tree(root)).toEqual({
      '.gitignore':
        '# dropmark-sync: what each build fetches again, never committed\n' +
        '.cache/\nassets/img/dropmark/\nassets/files/dropmark/\nnode_modules\n',
      'eleventy.config.mjs': docsWith('eleventy.config.mjs', ENDPOINT),
      'links.liquid': docExample('loaders.md', 'links.liquid'),
      'package.json': ELEVENTY_PACKAGE,
    });
    expect(result.stdout).toBe(
      [
        'Detected: an Eleventy site (package.json); set up for the plugin dropmark-sync/eleventy.',
        'wrote eleventy.config.mjs (adds the dropmark plugin: the posts as the global data dropmark)',
        'wrote links.liquid (a page per item: title, date, link, image)',
        'wrote .gitignore (.cache/, assets/img/dropmark/, assets/files/dropmark/, node_modules)',
        '',
        ...NEXT_NO_INSTALL,
        '  npx @11ty/eleventy    # each build reads the feed; docs/loaders.md: what to keep between CI builds',
        '  commit what a fresh clone needs:',
        '  git add eleventy.config.mjs links.liquid .gitignore package.json package-lock.json',
        '',
      ].join('\n'),
    );
  });

  it('with an ES module config of its own: leaves it as it is, prints the import and the plugin line', async () => {
    const config = 'export default function (eleventyConfig) {}\n';
    const root = await site({
      'package.json': '{ "type": "module", "devDependencies": { "@11ty/eleventy": "^3.0.0" } }\n',
      'eleventy.config.js': config,
    });
    const result = await init(root, { endpoint: ENDPOINT });
    expect(result.code).toBe(0);
    expect(await readFile(path.join(root, 'eleventy.config.js'), 'utf8')).toBe(config);
    expect(existsSync(path.join(root, 'eleventy.config.mjs'))).toBe(false);
    expect(result.stdout).toContain(
      [
        'By hand:',
        '  eleventy.config.js is yours and stays as it is; add to it:',
        "    import dropmark from 'dropmark-sync/eleventy';",
        '  and in its function (export default async function (eleventyConfig) { ... }):',
        '    eleventyConfig.addPlugin(dropmark, {',
        "      endpoint: 'https://me.dropmark.com/1.json',",
        '    });',
        '',
      ].join('\n'),
    );
  });

  it('with a CommonJS config: the plugin imported in its function, made async', async () => {
    const config = 'module.exports = function (eleventyConfig) {};\n';
    const root = await site({ '.eleventy.js': config, 'links.liquid': 'mine\n' });
    const result = await init(root, { endpoint: ENDPOINT });
    expect(result.code).toBe(0);
    expect(await readFile(path.join(root, '.eleventy.js'), 'utf8')).toBe(config);
    expect(await readFile(path.join(root, 'links.liquid'), 'utf8')).toBe('mine\n');
    expect(result.stdout).toContain(
      [
        'kept links.liquid (yours; no page written)',
        '',
        'By hand:',
        '  .eleventy.js is yours and stays as it is. It is CommonJS, which cannot import the plugin (an ES module)',
        '  at its top: in its function, made async (module.exports = async function (eleventyConfig) { ... }), add:',
        "    const { default: dropmark } = await import('dropmark-sync/eleventy');",
        '    eleventyConfig.addPlugin(dropmark, {',
        "      endpoint: 'https://me.dropmark.com/1.json',",
        '    });',
        '',
      ].join('\n'),
    );
    // No package.json: none to ignore packages for until npm install makes one.
    expect(await readFile(path.join(root, '.gitignore'), 'utf8')).toBe(
      '# dropmark-sync: what each build fetches again, never committed\n' +
        '.cache/\nassets/img/dropmark/\nassets/files/dropmark/\n',
    );
  });

  it('adds to a .gitignore only the lines it lacks', async () => {
    const root = await site({ 'eleventy.config.mjs': '', '.gitignore': '/.cache\n_site' });
    expect((await init(root, { endpoint: ENDPOINT })).code).toBe(0);
    expect(await readFile(path.join(root, '.gitignore'), 'utf8')).toBe(
      '/.cache\n_site\n# dropmark-sync: what each build fetches again, never committed\n' +
        'assets/img/dropmark/\nassets/files/dropmark/\n',
    );
  });
});

describe('init --mode loader says how the site installs the package, as init does', () => {
  it('already in package.json: npm install', async () => {
    const pkg = {
      devDependencies: { astro: '^5', 'dropmark-sync': 'git+https://github.com/OWNER/dropmark-sync.git#v0.5.0' },
    };
    const root = await site({ 'package.json': JSON.stringify(pkg) });
    const result = await init(root, { endpoint: ENDPOINT });
    expect(result.stdout).toContain('Next:\n  npm install    # package.json already installs dropmark-sync\n');
    expect(result.stdout).not.toContain('--save-dev');
  });

  it('a tarball in the site: to commit too', async () => {
    const pkg = { devDependencies: { astro: '^5', 'dropmark-sync': 'file:vendor/dropmark-sync-0.5.0.tgz' } };
    const root = await site({ 'package.json': JSON.stringify(pkg) });
    const result = await init(root, { endpoint: ENDPOINT });
    expect(result.stdout).toContain(' package.json package-lock.json vendor/dropmark-sync-0.5.0.tgz\n');
  });

  it('a tarball outside the site: the warning init gives, without the workflow', async () => {
    const pkg = { devDependencies: { astro: '^5', 'dropmark-sync': 'file:../dropmark-sync-0.5.0.tgz' } };
    const root = await site({ 'package.json': JSON.stringify(pkg) });
    const result = await init(root, { endpoint: ENDPOINT });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'dropmark-sync init: package.json installs dropmark-sync from file:../dropmark-sync-0.5.0.tgz, outside the ' +
        "site: npm ci on a fresh clone cannot find it. Put the tarball in the site's vendor/ folder and install it " +
        'from there, or install from the git URL (see "Add it to your site" in dropmark-sync\'s README).\n',
    );
  });
});

describe('init --mode loader refuses, writing nothing', () => {
  const cases: [string, Record<string, string>, InitFlags, string][] = [
    [
      '--github',
      { 'package.json': ASTRO_PACKAGE },
      { endpoint: ENDPOINT, github: true },
      'dropmark-sync init: --github is for the workflow that syncs the collection into committed files. With ' +
        '--mode loader the site reads the feed when it builds, so it needs no sync workflow: build it in its CI ' +
        'as usual. Leave the option out, or use --mode files\n',
    ],
    [
      '--action',
      { 'package.json': ASTRO_PACKAGE },
      { endpoint: ENDPOINT, action: 'me/dropmark-sync@v1' },
      'dropmark-sync init: --action is for the workflow that syncs the collection into committed files. With ' +
        '--mode loader the site reads the feed when it builds, so it needs no sync workflow: build it in its CI ' +
        'as usual. Leave the option out, or use --mode files\n',
    ],
    [
      '--force',
      { 'package.json': ASTRO_PACKAGE },
      { endpoint: ENDPOINT, force: true },
      'dropmark-sync init: --force overwrites dropmark-sync.yaml and the workflow, which --mode loader does not ' +
        'write (it never overwrites a file of the site: it prints the lines to add instead). Leave the option out\n',
    ],
    [
      'a Hugo site',
      { 'hugo.toml': 'title = "x"\n' },
      { endpoint: ENDPOINT },
      'dropmark-sync init: --mode loader is for an Astro 5 site (a content loader) or an Eleventy 3 site (a ' +
        'plugin), and this is a Hugo site (hugo.toml). For it, run init without --mode: it writes ' +
        'dropmark-sync.yaml, for sync to commit the posts as Markdown files the site builds\n',
    ],
    [
      'a Jekyll site',
      { '_config.yml': 'title: x\n' },
      { endpoint: ENDPOINT },
      'dropmark-sync init: --mode loader is for an Astro 5 site (a content loader) or an Eleventy 3 site (a ' +
        'plugin), and this is a Jekyll site (_config.yml). For it, run init without --mode: it writes ' +
        'dropmark-sync.yaml, for sync to commit the posts as Markdown files the site builds\n',
    ],
    [
      'a folder with no generator',
      { 'README.md': '# x\n' },
      { endpoint: ENDPOINT },
      'dropmark-sync init: --mode loader is for an Astro 5 site (a content loader) or an Eleventy 3 site (a ' +
        'plugin), and no Astro or Eleventy site was found here (no astro.config.*, eleventy.config.* or ' +
        ".eleventy.js, and neither astro nor @11ty/eleventy in package.json). Run it at the site's root, or run " +
        'init without --mode: it writes dropmark-sync.yaml, for sync to commit the posts as Markdown files the ' +
        'site builds\n',
    ],
    [
      'an endpoint holding the read key',
      { 'package.json': ELEVENTY_PACKAGE },
      { endpoint: `${ENDPOINT}?key=s3cret` },
      "dropmark-sync init: the dropmark plugin's configuration is not valid:\nendpoint: holds a key or a password, " +
        'which would be committed with the code; use https://me.dropmark.com/1.json and give the read key as ' +
        'DROPMARK_API_KEY in the environment\n',
    ],
    [
      'a Hugo site, before asking for the endpoint',
      { 'hugo.toml': 'title = "x"\n' },
      { yes: true },
      'dropmark-sync init: --mode loader is for an Astro 5 site (a content loader) or an Eleventy 3 site (a ' +
        'plugin), and this is a Hugo site (hugo.toml). For it, run init without --mode: it writes ' +
        'dropmark-sync.yaml, for sync to commit the posts as Markdown files the site builds\n',
    ],
  ];
  it.each(cases)('%s', async (_, files, flags, message) => {
    const root = await site(files);
    const before = await tree(root);
    expect(await init(root, flags)).toEqual({ code: 1, stdout: '', stderr: message });
    expect(await tree(root)).toEqual(before);
  });
});

describe('init --mode loader where the site also has a dropmark-sync.yaml', () => {
  it('says to keep one of the two', async () => {
    const root = await site({ 'package.json': ELEVENTY_PACKAGE, 'dropmark-sync.yaml': 'collections: []\n' });
    const result = await init(root, { endpoint: ENDPOINT });
    expect(result.stdout).toContain(
      '\nBy hand:\n  dropmark-sync.yaml is here too: a sync writes the same items as committed posts. ' +
        'Keep one of the ' +
        'two: remove dropmark-sync.yaml and the posts it wrote, or leave the loader out\n',
    );
    expect(await readFile(path.join(root, 'dropmark-sync.yaml'), 'utf8')).toBe('collections: []\n');
  });
});
