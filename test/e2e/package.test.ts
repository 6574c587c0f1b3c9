import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';

/**
 * The npm package as `npm publish` would make it, from the built dist/: packed into a temporary
 * folder and unpacked as node_modules/dropmark-sync, its dependencies the repository's own
 * node_modules (installing it is test/e2e/adoption.test.ts's part).
 */
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));

/** Strings of a dependency's code that ours never holds: one in a packed file is a bundled copy. */
const DEPENDENCY_CODE: Record<string, { file: string; text: string }> = {
  zod: { file: 'v4/core/schemas.js', text: '$ZodType' },
  undici: { file: 'lib/core/errors.js', text: 'undici.error.UND_ERR' },
  yaml: { file: 'dist/compose/resolve-block-map.js', text: 'Implicit map keys need to be followed by map values' },
  pino: { file: 'lib/symbols.js', text: 'pino.serializers' },
};

let project: string;
let installed: string;
let files: string[];

beforeAll(async () => {
  project = await tempDir('dms-pack-');
  const tarball = execFileSync(
    'npm',
    ['pack', '--ignore-scripts', '--silent', '--json', '--pack-destination', project],
    { cwd: repo, encoding: 'utf8' },
  );
  const [packed] = JSON.parse(tarball) as [{ filename: string; files: { path: string }[] }];
  files = packed.files.map((f) => f.path).sort();
  installed = path.join(project, 'node_modules', 'dropmark-sync');
  await mkdir(installed, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(project, packed.filename), '-C', installed, '--strip-components=1']);
  await symlink(path.join(repo, 'node_modules'), path.join(installed, 'node_modules'));
}, 60_000);

/**
 * The files of the package that `file` imports by a relative specifier (a package's are resolved at run time), and
 * the worker threads it starts from its own folder (`new URL('./x.js', import.meta.url)`).
 */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(installed, file), 'utf8');
  const workers = [...text.matchAll(/new URL\(\s*'(\.[^']+\.js)',\s*import\.meta\.url\s*\)/g)].map((m) => m[1] ?? '');
  return [...ts.preProcessFile(text, true, true).importedFiles.map((i) => i.fileName), ...workers]
    .filter((name) => name.startsWith('.'))
    .map((name) => {
      const target = path.posix.join(path.posix.dirname(file), name);
      return file.endsWith('.d.ts') ? target.replace(/\.js$/, '.d.ts') : target;
    });
}

/** Every file that package.json names as a way in: the bin, main, types and each export's every condition. */
function entries(): string[] {
  const targets: string[] = [...Object.values<string>(pkg.bin), pkg.main, pkg.types];
  const walk = (target: unknown): void => {
    if (typeof target === 'string') targets.push(target);
    else if (target && typeof target === 'object') Object.values(target).forEach(walk);
  };
  walk(pkg.exports);
  return [...new Set(targets.map((t) => path.posix.normalize(t)))];
}

/** The package's files that its entries load, following imports from there. */
function loadedFromEntries(): Set<string> {
  const seen = new Set<string>();
  const queue = entries();
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (!seen.has(file)) queue.push(...importsOf(file));
    seen.add(file);
  }
  return seen;
}

describe('the npm package', () => {
  it('declares the library and its types in exports, and the CLI as its bin; each file is packed', () => {
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(pkg.bin).toEqual({ 'dropmark-sync': 'dist/cli.js' });
    for (const [name, target] of Object.entries<string | Record<string, string>>(pkg.exports)) {
      if (typeof target !== 'string') expect(Object.keys(target), name).toEqual(['types', 'default']);
    }
    expect(entries().filter((file) => !files.includes(file))).toEqual([]);
  });

  it("holds our compiled modules, not a copy of a dependency's code", () => {
    const ours = files.filter((f) => f.startsWith('dist/'));
    const withoutSource = ours.filter(
      (f) => !existsSync(path.join(repo, f.replace(/^dist\//, 'src/').replace(/(\.d)?\.js$|\.d\.ts$/, '.ts'))),
    );
    expect(withoutSource, 'files of dist/ that compile no file of src/').toEqual([]);
    for (const [dependency, { file, text }] of Object.entries(DEPENDENCY_CODE)) {
      // The string is the dependency's own: the check below would otherwise prove nothing.
      expect(readFileSync(path.join(repo, 'node_modules', dependency, file), 'utf8')).toContain(text);
      const copies = ours.filter((f) => readFileSync(path.join(installed, f), 'utf8').includes(text));
      expect(copies, `files holding ${dependency}'s code`).toEqual([]);
      expect(Object.keys(pkg.dependencies)).toContain(dependency);
    }
  });

  it('holds no file that neither the bin nor the library loads', () => {
    const loaded = loadedFromEntries();
    const other = ['package.json', 'README.md', 'LICENSE', 'schema/dropmark-sync.schema.json'];
    expect(files.filter((f) => !loaded.has(f) && !other.includes(f))).toEqual([]);
    // The picture's worker thread, which the CLI starts by its path, not by an import.
    expect(files).toContain('dist/site/stat-worker.js');
  });

  it('runs from its own files and the dependencies in node_modules: the bin, the library', async () => {
    const version = execFileSync(process.execPath, [path.join(installed, 'dist/cli.js'), '--version'], {
      encoding: 'utf8',
    });
    expect(version).toBe(`${pkg.version}\n`);
    const library = await import(pathToFileURL(path.join(installed, 'dist/index.js')).href);
    expect(Object.keys(library)).toEqual(
      expect.arrayContaining(['sync', 'loadConfig', 'startScheduler', 'ConfigError']),
    );
  });
});
