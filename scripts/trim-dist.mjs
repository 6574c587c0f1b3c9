// @ts-check
/**
 * `npm run build`, second step. tsc has compiled src/ into dist/, one file per module, with a
 * declaration file beside each. The package ships what its entry points (package.json's bin and
 * exports) load, and nothing else: this follows their imports (the JavaScript's for the modules,
 * the declarations' for the types) and deletes every other file of dist/ (the Action's entry,
 * bundled apart into dist-action/; a module that holds only types; the declarations of the CLI's
 * modules; the leftovers of an earlier build). The dependencies stay bare imports, resolved from
 * node_modules when the code runs: no copy of them is made here.
 */
import { chmod, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));

/** Every file named by package.json's bin, main, types and exports (every condition). */
function entryFiles() {
  /** @type {string[]} */
  const files = [...Object.values(pkg.bin), pkg.main, pkg.types];
  /** @param {unknown} target */
  const walk = (target) => {
    if (typeof target === 'string') files.push(target);
    else if (target && typeof target === 'object') Object.values(target).forEach(walk);
  };
  walk(pkg.exports);
  return files.map((f) => path.join(root, f)).filter((f) => f.startsWith(`${dist}${path.sep}`));
}

const WORKER_URL = /new URL\(\s*['"](\.\.?\/[^'"]+\.js)['"]\s*,\s*import\.meta\.url\s*\)/g;

/**
 * The files of dist/ that `file` imports: relative specifiers only (a package is resolved at run time).
 * @param {string} file
 */
async function importsOf(file) {
  const text = await readFile(file, 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  // A worker thread's module is named by `new URL('./x.js', import.meta.url)`, not imported: kept as if it were.
  const workers = [...text.matchAll(WORKER_URL)].map((m) => m[1] ?? '');
  return [...importedFiles.map((i) => i.fileName), ...workers]
    .filter((name) => name.startsWith('./') || name.startsWith('../'))
    .map((name) => {
      const target = path.resolve(path.dirname(file), name);
      // A declaration names the module it describes ("./x.js"); its own types are in x.d.ts.
      return file.endsWith('.d.ts') ? target.replace(/\.js$/, '.d.ts') : target;
    });
}

/** The closure of the entry files under their imports; a missing file is a broken build. */
async function reachable() {
  /** @type {Set<string>} */
  const seen = new Set();
  const queue = entryFiles();
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    try {
      queue.push(...(await importsOf(file)));
    } catch (error) {
      throw new Error(`${path.relative(root, file)} is imported but was not built: ${error}`);
    }
  }
  return seen;
}

/**
 * Deletes what `keep` does not hold; true when the folder is left empty.
 * @param {string} folder
 * @param {Set<string>} keep
 * @returns {Promise<boolean>}
 */
async function trim(folder, keep) {
  let left = 0;
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    const empty = entry.isDirectory() ? await trim(full, keep) : !keep.has(full);
    if (empty) await rm(full, { recursive: true });
    else left++;
  }
  return left === 0;
}

await trim(dist, await reachable());
// npm sets the mode of an installed bin; a checkout runs dist/cli.js directly (Docker, systemd).
for (const bin of Object.values(pkg.bin)) await chmod(path.join(root, bin), 0o755);
