import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, tempDir } from '../support/cli.js';

const MODULE_LOG = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'module-log.mjs');

/** The module URLs a CLI run loads. */
function loadedBy(args: string[], cwd: string): string[] {
  const run = spawnSync(process.execPath, ['--import', MODULE_LOG, CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '' },
  });
  return run.stderr
    .split('\n')
    .filter((l) => l.startsWith('loaded: '))
    .map((l) => l.slice('loaded: '.length));
}

const HEAVY = [
  /node_modules\/undici\//,
  /node_modules\/pino\//,
  /node_modules\/pino-pretty\//,
  /\/dist\/render\//,
  /\/dist\/sync/,
  /node_modules\/saxes\//,
];

describe('a command loads only what it uses', () => {
  it('status (a Kubernetes probe) loads no HTTP, logging or YAML-emitter stack', async () => {
    const cwd = await tempDir();
    await writeFile(
      path.join(cwd, 'dropmark-sync.yaml'),
      'cacheDir: cache\ncollections:\n  - endpoint: https://a.dropmark.com/1.json\n',
    );
    await mkdir(path.join(cwd, 'cache'));
    const loaded = loadedBy(['status'], cwd);
    expect(loaded.some((u) => u.endsWith('/dist/commands/status.js'))).toBe(true);
    for (const heavy of HEAVY)
      expect(
        loaded.filter((u) => heavy.test(u)),
        String(heavy),
      ).toEqual([]);
  });

  it('--version loads no package at all: only the entry point, the command catalog and a few small modules', async () => {
    const loaded = [...new Set(loadedBy(['--version'], await tempDir()).filter((u) => u.startsWith('file:')))];
    expect(loaded.filter((u) => u.includes('/node_modules/'))).toEqual([]);
    expect(loaded.length).toBeLessThanOrEqual(8);
  });
});
