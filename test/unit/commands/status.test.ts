import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseDuration, runStatus } from '../../../src/commands/status.js';
import { writeHeartbeat, type Heartbeat } from '../../../src/state/heartbeat.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['250ms', 250],
    ['1.5h', 5_400_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '2', 'h', 'two hours', '-1h'])('refuses %j', (text) => expect(parseDuration(text)).toBeUndefined());
});

async function setup(heartbeat?: Partial<Heartbeat>) {
  const cwd = await mkdtemp(path.join(tmpdir(), 'dms-status-'));
  await writeFile(path.join(cwd, 'c.yaml'), 'cacheDir: cache\ncollections:\n  - endpoint: https://a.dropmark.com/1.json\n');
  if (heartbeat) {
    await writeHeartbeat(path.join(cwd, 'cache'), {
      version: '0',
      startedAt: '2026-11-26T09:59:00Z',
      finishedAt: '2026-11-26T10:00:00Z',
      durationMs: 1200,
      result: 'ok',
      collections: [{ endpoint: 'https://a.dropmark.com/1.json', result: 'ok', created: 1, updated: 2, deleted: 0, unchanged: 3, failed: 0 }],
      ...heartbeat,
    });
  }
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (out += d));
  const io = { env: {}, cwd, stdout, stderr };
  const now = () => new Date('2026-11-26T10:30:00Z');
  return { run: async (flags: Record<string, string>) => ({ code: await runStatus({ config: 'c.yaml', ...flags }, io, now), out }) };
}

describe('status', () => {
  it('prints the last run and exits 0 when it succeeded', async () => {
    const { run } = await setup({});
    const { code, out } = await run({});
    expect(code).toBe(0);
    expect(out).toMatch(/last run: ok, finished 2026-11-26T10:00:00Z \(30 min ago\), took 1\.2 s/);
    expect(out).toMatch(/1 created, 2 updated, 0 deleted, 3 unchanged, 0 failed/);
  });
  it('exits 1 when the last run failed', async () => {
    const { run } = await setup({ result: 'failed' });
    expect((await run({})).code).toBe(1);
  });
  it('exits 1 when the last run is older than --max-age, 0 when it is not', async () => {
    const { run } = await setup({});
    expect((await run({ 'max-age': '20m' })).code).toBe(1);
    expect((await run({ 'max-age': '1h' })).code).toBe(0);
  });
  it('exits 1 when there is no heartbeat yet, saying what to do', async () => {
    const { run } = await setup();
    const { code, out } = await run({});
    expect(code).toBe(1);
    expect(out).toMatch(/no run recorded yet.*dropmark-sync sync/);
  });
  it('refuses a bad --max-age', async () => {
    const { run } = await setup({});
    const { code, out } = await run({ 'max-age': 'soon' });
    expect(code).toBe(1);
    expect(out).toMatch(/not a duration/);
  });
});
