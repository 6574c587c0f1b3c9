import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

describe('init --endpoint with a URL that is not a collection feed', () => {
  it('warns, saying what a feed URL looks like, and still writes the config', async () => {
    const cwd = await tempDir();
    // The collection's page, pasted without ".json".
    const init = await runCli(['init', '--endpoint', 'https://shah.dropmark.com/616548', '--yes'], { cwd });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toContain(
      'dropmark-sync init: warning: https://shah.dropmark.com/616548 is not a collection number followed by .json, ' +
        'so it may not be a Dropmark collection feed. A feed URL looks like https://USER.dropmark.com/ID.json',
    );
    expect(await readFile(path.join(cwd, 'dropmark-sync.yaml'), 'utf8')).toMatch(
      /^ {2}- endpoint: "https:\/\/shah\.dropmark\.com\/616548"$/m,
    );
  });

  it('says nothing of the kind for a feed URL', async () => {
    const cwd = await tempDir();
    const init = await runCli(['init', '--endpoint', 'https://shah.dropmark.com/616548.json', '--yes'], { cwd });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).not.toMatch(/warning/);
  });
});

describe("init's next steps run the tool the way the site has it", () => {
  it('without a local install, from its repository at this version (it is in no registry)', async () => {
    const cwd = await tempDir();
    const init = await runCli(['init', '--endpoint', 'https://me.dropmark.com/1.json', '--yes'], { cwd });
    expect(init.stdout).toContain('Detected: no known generator; the default profile (bookmark), no layout written.');
    expect(init.stdout).toContain('  npx --yes git+https://github.com/OWNER/dropmark-sync.git#v0.5.0 sync --dry-run');
    // No node_modules to point editors to: the schema of this version in its repository.
    expect((await readFile(path.join(cwd, 'dropmark-sync.yaml'), 'utf8')).split('\n')[0]).toBe(
      '# yaml-language-server: $schema=' +
        'https://raw.githubusercontent.com/OWNER/dropmark-sync/v0.5.0/schema/dropmark-sync.schema.json',
    );
  });
  it('with one in package.json, the installed copy', async () => {
    const cwd = await tempDir();
    const spec = { devDependencies: { 'dropmark-sync': 'git+https://github.com/OWNER/dropmark-sync.git#v0.5.0' } };
    await writeFile(path.join(cwd, 'package.json'), JSON.stringify(spec));
    const init = await runCli(['init', '--endpoint', 'https://me.dropmark.com/1.json', '--yes'], { cwd });
    expect(init.stdout).toContain('\n  npx dropmark-sync sync --dry-run    # see what the first sync would write\n');
    expect(await readFile(path.join(cwd, 'dropmark-sync.yaml'), 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=\.\/node_modules\/dropmark-sync\/schema\/dropmark-sync\.schema\.json\n/,
    );
  });
});

describe('init --action', () => {
  it('refuses what a workflow cannot use (a space, a line break, no @REF), writing nothing', async () => {
    for (const action of ['bad ref', 'me/dropmark-sync@v1\n      run: echo', 'me/dropmark-sync']) {
      const cwd = await tempDir();
      const init = await runCli(
        ['init', '--endpoint', 'https://me.dropmark.com/1.json', '--yes', '--github', '--action', action],
        {
          cwd,
        },
      );
      expect(init.code).toBe(1);
      expect(init.stderr).toBe(
        `dropmark-sync init: --action ${JSON.stringify(action)} is not an action the workflow can use: give ` +
          'OWNER/REPO@REF (a tag, a branch or a commit) or ./PATH; nothing was written\n',
      );
      expect(await readdir(cwd)).toEqual([]);
    }
  });

  it('takes OWNER/REPO@REF and ./PATH into the workflow', async () => {
    for (const action of ['me/dropmark-sync@v0.5.0', './tools/dropmark-sync']) {
      const cwd = await tempDir();
      const init = await runCli(
        ['init', '--endpoint', 'https://me.dropmark.com/1.json', '--yes', '--github', '--action', action],
        {
          cwd,
        },
      );
      expect(init.code, init.stderr).toBe(0);
      const workflow = await readFile(path.join(cwd, '.github/workflows/dropmark-sync.yml'), 'utf8');
      expect(workflow).toContain(`uses: ${action}\n`);
    }
  });
});
