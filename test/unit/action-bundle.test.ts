import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// The runner runs the committed dist-action/ as it is (action.yml): a change to src/ that is not
// bundled there would never reach a site's workflow.
it('the committed action bundle (dist-action/) is the one src/ builds now', async () => {
  const fresh = path.join(await tempDir('dms-action-bundle-'), 'dist-action');
  execFileSync(process.execPath, [path.join(repo, 'scripts/bundle-action.mjs'), fresh], { cwd: repo, stdio: 'pipe' });
  const committed = path.join(repo, 'dist-action');
  const names = (await readdir(fresh)).sort();
  expect(names).toEqual(['action.js', 'cli.js']);
  expect((await readdir(committed)).sort(), 'run npm run build:action and commit dist-action/').toEqual(names);
  for (const name of names) {
    const same = (await readFile(path.join(fresh, name))).equals(await readFile(path.join(committed, name)));
    expect(same, `dist-action/${name} is out of date with src/: run npm run build:action and commit dist-action/`).toBe(
      true,
    );
  }
});
