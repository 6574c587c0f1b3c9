import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * A program of a library user, as written against the package's entry (`dropmark-sync`, its
 * exports and its declaration files in dist/): it meets the errors `loadConfig` and `sync` throw,
 * builds the others with their options objects, and tells each apart with `instanceof` only,
 * reading its fields. Compiled under `strict` and `exactOptionalPropertyTypes`, then run.
 */
const CONSUMER = `
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import {
  BodyTooLargeError, ConfigError, DropmarkSyncError, FeedError, FeedItemError, HttpError, ImageError,
  LockHeldError, NameTakenError, RenderError, StateFileError, SymlinkRefusedError, SyncRefusedError,
  loadConfig, silentLogger, sync, type HttpFailureKind,
} from 'dropmark-sync';

function fields(e: unknown): Record<string, unknown> {
  if (!(e instanceof DropmarkSyncError)) return { class: 'not ours', message: String(e) };
  if (e instanceof LockHeldError) return { class: 'LockHeldError', pid: e.holder.pid, lockFile: e.lockFile };
  if (e instanceof StateFileError) return { class: 'StateFileError', file: e.file };
  if (e instanceof ConfigError) return { class: 'ConfigError', keyPath: e.keyPath ?? null, file: e.file ?? null };
  if (e instanceof BodyTooLargeError) return { class: 'BodyTooLargeError', url: e.url, maxBytes: e.maxBytes };
  if (e instanceof HttpError) {
    const kind: HttpFailureKind = e.kind;
    return { class: 'HttpError', url: e.url, kind, status: e.status ?? null, retryable: e.retryable };
  }
  if (e instanceof ImageError)
    return { class: 'ImageError', expired: e.expired, retryable: e.retryable, byConfig: e.byConfig?.key ?? null };
  if (e instanceof FeedError) return { class: 'FeedError', url: e.url, status: e.status ?? null };
  if (e instanceof FeedItemError) return { class: 'FeedItemError', itemIds: [...e.itemIds] };
  if (e instanceof RenderError) return { class: 'RenderError', itemId: e.itemId };
  if (e instanceof SymlinkRefusedError) return { class: 'SymlinkRefusedError', file: e.file };
  if (e instanceof NameTakenError) return { class: 'NameTakenError', file: e.file };
  if (e instanceof SyncRefusedError) return { class: 'SyncRefusedError' };
  return { class: 'DropmarkSyncError' };
}

const caught = async (run: () => Promise<unknown>) => run().then(() => ({ class: 'none' }), fields);
const dir = process.argv[2] as string;
const env = {};
const deps = { logger: silentLogger, now: () => new Date(), env };
const out: Record<string, unknown>[] = [];

out.push(await caught(() => loadConfig({ cwd: dir + '/bad', env })));
const { config } = await loadConfig({ cwd: dir, env });
const lock = config.siteDir + '/.dropmark-sync.lock';
// Held by a live process of this host: the test runner that started this one.
const holder = { pid: process.ppid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'sync', token: 't' };
writeFileSync(lock, JSON.stringify(holder));
out.push(await caught(() => sync(config, deps)));
writeFileSync(lock, 'not a lock');
out.push(await caught(() => sync(config, deps)));

const url = 'https://cdn.example/a.jpg';
for (const error of [
  new HttpError('HTTP 503', { url, kind: 'status', retryable: true, status: 503 }),
  new BodyTooLargeError({ url, maxBytes: 10 }),
  new ImageError('the signed URL has expired', { expired: true }),
  ImageError.byConfig({ message: 'host refused', key: 'images.allowedHosts', policy: false }),
  new FeedError('GET https://x.example/1.json: HTTP 404', { url: 'https://x.example/1.json', status: 404 }),
  new FeedItemError('item 7: not a valid date', { itemIds: ['7'] }),
  new RenderError('item 7: does not read back', { itemId: '7' }),
  new SymlinkRefusedError('/s/a.md is a symbolic link', { file: '/s/a.md' }),
  new NameTakenError('a file of this name is already there', { file: '/s/b.md' }),
  new SyncRefusedError('would delete 9 of 10 posts'),
  new ConfigError('LOG_LEVEL "loud" is not a level', { file: 'LOG_LEVEL', cause: new Error('inner') }),
]) {
  out.push(fields(error));
}
console.log(JSON.stringify(out));
`;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'dms-library-'));
  // Installed as a user's project has it: node_modules/dropmark-sync, resolved through its package.json.
  await mkdir(path.join(work, 'node_modules'));
  await symlink(ROOT, path.join(work, 'node_modules', 'dropmark-sync'), 'dir');
  await writeFile(path.join(work, 'package.json'), '{ "type": "module" }\n');
  await writeFile(path.join(work, 'consumer.ts'), CONSUMER);
  await writeFile(
    path.join(work, 'dropmark-sync.yaml'),
    'siteDir: ./site\ncollections:\n  - endpoint: https://x.example/1.json\n',
  );
  await mkdir(path.join(work, 'site'));
  await mkdir(path.join(work, 'bad'));
  await writeFile(path.join(work, 'bad', 'dropmark-sync.yaml'), 'collections: 5\n');
});

describe('a library user catches every error of the package by its class', () => {
  it('the program compiles under strict against the built package, and tells each error apart', async () => {
    const program = ts.createProgram([path.join(work, 'consumer.ts')], {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules/@types')],
      outDir: work,
    });
    const emitted = program.emit();
    const problems = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) =>
      ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    );
    expect(problems).toEqual([]);

    const { stdout } = await promisify(execFile)(process.execPath, [path.join(work, 'consumer.js'), work]);
    const site = path.join(work, 'site');
    expect(JSON.parse(stdout)).toEqual([
      { class: 'ConfigError', keyPath: 'collections', file: path.join(work, 'bad', 'dropmark-sync.yaml') },
      { class: 'LockHeldError', pid: process.pid, lockFile: path.join(site, '.dropmark-sync.lock') },
      { class: 'StateFileError', file: path.join(site, '.dropmark-sync.lock') },
      { class: 'HttpError', url: 'https://cdn.example/a.jpg', kind: 'status', status: 503, retryable: true },
      { class: 'BodyTooLargeError', url: 'https://cdn.example/a.jpg', maxBytes: 10 },
      { class: 'ImageError', expired: true, retryable: false, byConfig: null },
      { class: 'ImageError', expired: false, retryable: false, byConfig: 'images.allowedHosts' },
      { class: 'FeedError', url: 'https://x.example/1.json', status: 404 },
      { class: 'FeedItemError', itemIds: ['7'] },
      { class: 'RenderError', itemId: '7' },
      { class: 'SymlinkRefusedError', file: '/s/a.md' },
      { class: 'NameTakenError', file: '/s/b.md' },
      { class: 'SyncRefusedError' },
      { class: 'ConfigError', keyPath: null, file: 'LOG_LEVEL' },
    ]);
  });
});
