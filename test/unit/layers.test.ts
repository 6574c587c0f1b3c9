import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.mjs');
const PURITY_CONFIG = path.join(ROOT, '.dependency-cruiser-purity.mjs');

// A tiny src/ tree laid out like the real one, with one import of each kind the rules must refuse, and some
// they must let through (a lower layer, a type-only import of site/).
const TREE: Record<string, string> = {
  'src/errors.ts': 'export class SyncError extends Error {}\n',
  'src/text/escape.ts': "import { run } from '../sync/run.js';\nexport const escape = run;\n",
  'src/fs/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
  'src/fs/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
  'src/frontmatter/keys.ts': "import { profile } from '../config/schema.js';\nexport const keys = profile;\n",
  'src/config/schema.ts': 'export const profile = 1;\n',
  'src/config/load.ts': "import { keys } from '../frontmatter/keys.js';\nexport const load = keys;\n",
  'src/map/item.ts': "import type { Run } from '../sync/run.js';\nexport type Item = Run;\n",
  'src/map/read.ts': "import { readFileSync } from 'node:fs';\nimport Q from 'p-queue';\nexport const r = [Q];\n",
  'src/site/read.ts': 'export type Site = { posts: string[] };\nexport const readSite = (): Site => ({ posts: [] });\n',
  'src/plan/typed.ts': "import type { Site } from '../site/read.js';\nexport type Plan = Site;\n",
  'src/plan/called.ts': "import { readSite } from '../site/read.js';\nexport const plan = readSite;\n",
  'src/report/diff.ts': 'export const diff = 1;\n',
  'src/sync/run.ts': "import { diff } from '../report/diff.js';\nexport type Run = number;\nexport const run = diff;\n",
  // A pure module that reaches I/O only through another module (the breach a direct-import rule misses), and one
  // that takes a type of such a module (erased at compile time: no I/O).
  'src/images/fetch.ts':
    "import PQueue from 'p-queue';\nexport type Fetched = string;\nexport const q = () => new PQueue();\n",
  'src/images/disk.ts': "import { readFile } from 'node:fs/promises';\nexport const disk = readFile;\n",
  'src/images/book.ts': "import { disk } from './disk.js';\nexport const book = disk;\n",
  'src/render/via.ts':
    "import { book } from '../images/book.js';\nimport { q } from '../images/fetch.js';\nexport const v = [book, q];\n",
  'src/render/typed.ts': "import type { Fetched } from '../images/fetch.js';\nexport type T = Fetched;\n",
  // A resolver is I/O too: a pure step that reaches DNS through a lower layer's module.
  'src/http/lookup.ts': "import { lookup } from 'node:dns';\nexport const resolve = lookup;\n",
  'src/render/resolve.ts': "import { resolve } from '../http/lookup.js';\nexport const r = resolve;\n",
  // And the socket layer, though the function taken is pure (node:net's isIP).
  'src/http/literal.ts': "import { isIP } from 'node:net';\nexport const literal = isIP;\n",
  'src/render/literal-host.ts': "import { literal } from '../http/literal.js';\nexport const l = literal;\n",
};

let root = '';
let result: ICruiseResult;
let purity: ICruiseResult;

async function cruiseWith(config: string): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(config);
  const output = (await cruise(['src'], { ...options, baseDir: root })).output;
  if (typeof output === 'string') throw new Error(`dependency-cruiser returned text, not a result: ${output}`);
  return output;
}

beforeAll(async () => {
  root = await tempDir('dms-layers-');
  for (const [file, text] of Object.entries(TREE)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  result = await cruiseWith(CONFIG);
  purity = await cruiseWith(PURITY_CONFIG);
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the layer rules of .dependency-cruiser.mjs', () => {
  it('refuse exactly the imports that break a rule, each as an error', () => {
    const violations = result.summary.violations.map((v) => `${v.rule.severity} ${v.rule.name}: ${v.from} -> ${v.to}`);
    expect(violations.sort()).toEqual([
      'error layer-foundations: src/text/escape.ts -> src/sync/run.ts',
      'error layer-frontmatter: src/frontmatter/keys.ts -> src/config/schema.ts',
      'error layer-map: src/map/item.ts -> src/sync/run.ts',
      'error layer-sync: src/sync/run.ts -> src/report/diff.ts',
      'error no-circular: src/fs/a.ts -> src/fs/b.ts',
      'error pure-no-io: src/map/read.ts -> fs',
      'error pure-no-io: src/map/read.ts -> p-queue',
      'error pure-site-types-only: src/plan/called.ts -> src/site/read.ts',
    ]);
    expect(result.summary.error).toBe(8);
  });
});

describe('the purity rule of .dependency-cruiser-purity.mjs', () => {
  it('refuses a pure module that reaches I/O through another module, and lets a type-only import through', () => {
    const violations = purity.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
    expect(violations.sort()).toEqual([
      'pure-reaches-no-io: src/map/read.ts -> p-queue',
      'pure-reaches-no-io: src/render/literal-host.ts -> net',
      'pure-reaches-no-io: src/render/resolve.ts -> dns',
      'pure-reaches-no-io: src/render/via.ts -> fs/promises',
      'pure-reaches-no-io: src/render/via.ts -> p-queue',
    ]);
    expect(purity.summary.error).toBe(5);
  });
});
