import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

it('runs from wherever its files are, with nothing beside them (no package.json, no node_modules)', async () => {
  const alone = await tempDir('dms-action-alone-');
  const copy = path.join(alone, 'da');
  execFileSync('cp', ['-r', path.join(repo, 'dist-action'), copy]);
  const version = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')).version;
  expect(
    execFileSync(process.execPath, [path.join(copy, 'cli.js'), '--version'], { cwd: alone, encoding: 'utf8' }).trim(),
  ).toBe(version);
});

// The runner runs the committed dist-action/ as it is (action.yml): a change to src/ that is not
// bundled there would never reach a site's workflow.
it('the committed action bundle (dist-action/) is the one src/ builds now', async () => {
  const fresh = path.join(await tempDir('dms-action-bundle-'), 'dist-action');
  execFileSync(process.execPath, [path.join(repo, 'scripts/bundle-action.mjs'), fresh], { cwd: repo, stdio: 'pipe' });
  const committed = path.join(repo, 'dist-action');
  const names = (await readdir(fresh)).sort();
  expect(names).toEqual(['action.js', 'cli.js', 'stat-worker.js']);
  expect((await readdir(committed)).sort(), 'run npm run build:action and commit dist-action/').toEqual(names);
  for (const name of names) {
    const same = (await readFile(path.join(fresh, name))).equals(await readFile(path.join(committed, name)));
    expect(same, `dist-action/${name} is out of date with src/: run npm run build:action and commit dist-action/`).toBe(
      true,
    );
  }
});
