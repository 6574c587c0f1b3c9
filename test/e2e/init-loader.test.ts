import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';
import { docExample } from '../support/doc-examples.js';

/**
 * `init --mode loader` through the built CLI: the option is parsed, the loader's files are written
 * (the docs' examples, with the endpoint), and nothing of the committed-files path. The builds of
 * such sites by the real generators are in loaders.test.ts (the docs' examples) and
 * init-generators.test.ts (a site init set up).
 */

const ENDPOINT = 'https://me.dropmark.com/616548.json';

const docsWith = (file: string) =>
  docExample('loaders.md', file).replace("'https://USER.dropmark.com/ID.json'", `'${ENDPOINT}'`);

async function siteWith(packageJson: object): Promise<string> {
  const cwd = await tempDir('dms-init-loader-');
  await writeFile(path.join(cwd, 'package.json'), JSON.stringify(packageJson));
  return cwd;
}

const noSyncFiles = (cwd: string) => {
  expect(existsSync(path.join(cwd, 'dropmark-sync.yaml'))).toBe(false);
  expect(existsSync(path.join(cwd, '.github'))).toBe(false);
};

describe('init --mode loader', () => {
  it("on an Astro site: the docs' content config with the endpoint and the page; no dropmark-sync.yaml", async () => {
    const cwd = await siteWith({ devDependencies: { astro: '^5.0.0' } });
    const init = await runCli(['init', '--mode', 'loader', '--endpoint', ENDPOINT, '--yes'], { cwd });
    expect(init.code, init.stderr).toBe(0);
    expect(await readFile(path.join(cwd, 'src/content.config.ts'), 'utf8')).toBe(docsWith('src/content.config.ts'));
    expect(await readFile(path.join(cwd, 'src/pages/links/[slug].astro'), 'utf8')).toBe(
      docExample('loaders.md', 'src/pages/links/[slug].astro'),
    );
    expect(init.stdout).toContain('\n  npm install --save-dev git+https://github.com/OWNER/dropmark-sync.git#v0.5.0\n');
    noSyncFiles(cwd);
  });

  it("on an Eleventy site: the docs' eleventy.config.mjs with the endpoint and links.liquid", async () => {
    const cwd = await siteWith({ devDependencies: { '@11ty/eleventy': '^3.0.0' } });
    const init = await runCli(['init', '--mode', 'loader', '--endpoint', ENDPOINT, '--yes'], { cwd });
    expect(init.code, init.stderr).toBe(0);
    expect(await readFile(path.join(cwd, 'eleventy.config.mjs'), 'utf8')).toBe(docsWith('eleventy.config.mjs'));
    expect(await readFile(path.join(cwd, 'links.liquid'), 'utf8')).toBe(docExample('loaders.md', 'links.liquid'));
    expect(await readFile(path.join(cwd, '.gitignore'), 'utf8')).toContain(
      '\n.cache/\nassets/img/dropmark/\nassets/files/dropmark/\n',
    );
    noSyncFiles(cwd);
  });

  it('with --github: refused, saying the loader needs no sync workflow; nothing written', async () => {
    const cwd = await siteWith({ devDependencies: { astro: '^5.0.0' } });
    const init = await runCli(['init', '--mode', 'loader', '--github', '--endpoint', ENDPOINT], { cwd });
    expect(init.code).toBe(1);
    expect(init.stderr).toContain(
      'dropmark-sync init: --github is for the workflow that syncs the collection into committed files. With ' +
        '--mode loader the site reads the feed when it builds, so it needs no sync workflow',
    );
    expect(existsSync(path.join(cwd, 'src'))).toBe(false);
    noSyncFiles(cwd);
  });

  it('with --yes and no --endpoint: asks nothing, says to pass it, writes nothing', async () => {
    const cwd = await siteWith({ devDependencies: { '@11ty/eleventy': '^3.0.0' } });
    const init = await runCli(['init', '--mode', 'loader', '--yes'], { cwd });
    expect(init).toEqual({
      code: 1,
      stdout: '',
      stderr: 'dropmark-sync init: pass --endpoint URL (the feed, https://USER.dropmark.com/ID.json)\n',
    });
    expect(existsSync(path.join(cwd, 'eleventy.config.mjs'))).toBe(false);
  });

  it('--mode files is the default: dropmark-sync.yaml, and no loader', async () => {
    const cwd = await siteWith({ devDependencies: { astro: '^5.0.0' } });
    const init = await runCli(['init', '--mode', 'files', '--endpoint', ENDPOINT, '--yes'], { cwd });
    expect(init.code, init.stderr).toBe(0);
    expect(existsSync(path.join(cwd, 'dropmark-sync.yaml'))).toBe(true);
    expect(await readFile(path.join(cwd, 'src/content.config.ts'), 'utf8')).not.toContain('dropmarkLoader');
  });

  it('--help tells the option', async () => {
    const help = await runCli(['init', '--help'], { cwd: await tempDir() });
    expect(help.stdout).toContain(
      '  --mode MODE       files (the default): write dropmark-sync.yaml, for sync to commit the posts;\n' +
        '                    loader (an Astro 5 or Eleventy 3 site, which reads the feed when it builds):\n',
    );
  });
});
