// @ts-check
/**
 * `npm run build:action`: the GitHub Action as JavaScript actions ship, bundled and committed
 * (action.yml runs dist-action/action.js with `using: node24`), so `uses: OWNER/dropmark-sync@REF`
 * runs from the checked-out tree alone: no npm ci, no build on the runner. Self-contained files
 * with every dependency inlined: action.js (inputs, outputs, job summary), cli.js, the CLI it
 * runs, and stat-worker.js, the worker thread cli.js starts for a large site's picture. No
 * chunks and no minifying: a rebuild changes only what the source changed, and a reviewer can
 * read the diff. test/e2e/action-bundle.test.ts rebuilds into a temporary folder and
 * fails when the committed files differ.
 *
 * Usage: node scripts/bundle-action.mjs [OUT_DIR]   (default dist-action)
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.resolve(root, process.argv[2] ?? 'dist-action');

const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));

/**
 * src/version.ts reads package.json beside dist/ when the CLI runs; the bundle carries the version instead, so it
 * runs from wherever its two files are (a trimmed release tree, a vendored copy).
 */
const versionInlined = {
  name: 'version-inlined',
  /** @param {import('esbuild').PluginBuild} b */
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({
      contents: `export const VERSION = ${JSON.stringify(version)};\n`,
      loader: 'ts',
    }));
  },
};

await rm(outdir, { recursive: true, force: true });
await build({
  plugins: [versionInlined],
  absWorkingDir: root,
  // The stat picture's worker thread (src/site/stat-worker.ts), which cli.js starts from its own folder.
  entryPoints: { action: 'src/action.ts', cli: 'src/cli.ts', 'stat-worker': 'src/site/stat-worker.ts' },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  // The oldest Node the CLI supports: the same files run under the runner's node24 and in tests.
  target: 'node20.18',
  legalComments: 'eof',
  // The CommonJS packages (gray-matter, pino) call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __dmsRequire } from 'node:module'; const require = __dmsRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
