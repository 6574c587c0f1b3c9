// @ts-check
/**
 * `npm run build`, second step: the CLI as a bundle. tsc has written dist/ (the library and
 * its types); this replaces dist/cli.js by an esbuild bundle whose commands are split into
 * chunks loaded on demand, because a cron job or a probe pays the start-up on every call and
 * Node resolving, reading and compiling ~300 module files (zod alone is 229) was most of it
 * (bench/RESULTS.md, start-up section). The chunks sit beside cli.js, so `../package.json`
 * (src/version.ts) still resolves to the package's own file.
 *
 * dist/cli-bundle.json maps each chunk to the packages and source folders it holds: the
 * start-up test reads it to check what a command loads. It is not published.
 */
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

// Chunks of an earlier build would otherwise pile up (their names carry a content hash).
for (const name of await readdir(dist)) if (name.startsWith('cli-')) await rm(path.join(dist, name));
// tsc's map describes the cli.js this replaces.
await rm(path.join(dist, 'cli.js.map'), { force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  chunkNames: 'cli-[name]-[hash]',
  // Whitespace and syntax only: identifiers stay, so a LOG_LEVEL=debug stack trace still names functions.
  minifyWhitespace: true,
  minifySyntax: true,
  // The CommonJS packages (gray-matter, pino) call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __dmsRequire } from 'node:module'; const require = __dmsRequire(import.meta.url);",
  },
  metafile: true,
  logLevel: 'warning',
});

/** "node_modules/zod/v4/core/x.js" -> "zod"; "src/render/post.ts" -> "src/render". */
const origin = (input) => {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return pkg ? pkg[1] : path.posix.dirname(input);
};
const chunks = Object.fromEntries(
  Object.entries(result.metafile.outputs).map(([file, output]) => [
    path.posix.basename(file),
    [...new Set(Object.keys(output.inputs).map(origin))].sort(),
  ]),
);
await writeFile(path.join(dist, 'cli-bundle.json'), `${JSON.stringify(chunks, null, 2)}\n`);
