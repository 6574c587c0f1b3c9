import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseDuration, runStatus } from '../../../src/commands/status.js';
import type { Heartbeat } from '../../../src/state/heartbeat.js';
import type { StatusFlags } from '../../../src/commands/catalog.js';

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

async function setup(heartbeat?: Partial<Heartbeat> | string, config = '', at = '2026-11-26T10:30:00Z') {
  const cwd = await mkdtemp(path.join(tmpdir(), 'dms-status-'));
  await writeFile(
    path.join(cwd, 'c.yaml'),
    `cacheDir: cache\ncollections:\n  - endpoint: https://a.dropmark.com/1.json\n${config}`,
  );
  if (typeof heartbeat === 'string') {
    await mkdir(path.join(cwd, 'cache'), { recursive: true });
    await writeFile(path.join(cwd, 'cache', 'last-run.json'), heartbeat);
  } else if (heartbeat) {
    // Written by hand, not by the product's writer: the test pins the file format status reads.
    await mkdir(path.join(cwd, 'cache'), { recursive: true });
    const file = path.join(cwd, 'cache', 'last-run.json');
    await writeFile(
      file,
      JSON.stringify({
        version: '0',
        startedAt: '2026-11-26T09:59:00Z',
        finishedAt: '2026-11-26T10:00:00Z',
        durationMs: 1200,
        result: 'ok',
        lastSuccessAt: '2026-11-26T10:00:00Z',
        consecutiveFailures: 0,
        collections: [
          {
            endpoint: 'https://a.dropmark.com/1.json',
            result: 'ok',
            created: 1,
            updated: 2,
            deleted: 0,
            unchanged: 3,
            failed: 0,
          },
        ],
        ...heartbeat,
      }),
    );
  }
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (out += d));
  const io = { env: {}, cwd, stdout, stderr };
  const now = () => new Date(at);
  return {
    run: async (flags: StatusFlags) => ({ code: await runStatus({ config: 'c.yaml', ...flags }, io, now), out }),
  };
}

describe('status', () => {
  it('prints the last run and exits 0 when it succeeded', async () => {
    const { run } = await setup({});
    const { code, out } = await run({});
    expect(code).toBe(0);
    expect(out).toMatch(/^ok: last success 30 min ago\n/);
    expect(out).toMatch(/last run: ok, finished 2026-11-26T10:00:00Z \(30 min ago\), took 1\.2 s/);
    expect(out).toMatch(/1 created, 2 updated, 0 deleted, 3 unchanged, 0 failed/);
  });
  it('failing: since when and for how many runs, with the last success; exit 1', async () => {
    const { run } = await setup({
      result: 'failed',
      failingSince: '2026-11-26T05:00:00Z',
      consecutiveFailures: 5,
      lastSuccessAt: '2026-11-26T04:30:00Z',
    });
    const { code, out } = await run({ 'max-age': '1h' });
    expect(code).toBe(1);
    expect(out).toMatch(/^failing since 2026-11-26T05:00:00Z \(5 runs\); last success 6 h ago\n/);
  });
  it('degraded: the missing images counted, exit 0', async () => {
    const { run } = await setup({ result: 'degraded', imagesMissing: 2 });
    const { code, out } = await run({ 'max-age': '1h' });
    expect(code).toBe(0);
    expect(out).toMatch(/^degraded \(2 images missing\); last success 30 min ago\n/);
  });
  it(
    'stale counts from the last success, not the last run: ' + 'a recent stopped run does not hide an old success',
    async () => {
      const { run } = await setup({
        result: 'stopped',
        finishedAt: '2026-11-26T10:29:00Z',
        lastSuccessAt: '2026-11-26T07:30:00Z',
      });
      const { code, out } = await run({ 'max-age': '2h' });
      expect(code).toBe(1);
      expect(out).toMatch(/^stale: last success 3 h ago \(--max-age 2 h\); is the scheduler running\?\n/);
      expect((await run({ 'max-age': '4h' })).code).toBe(0);
    },
  );
  it('stale when no run ever succeeded and --max-age is asked', async () => {
    const { run } = await setup({ result: 'stopped', lastSuccessAt: undefined });
    const { code, out } = await run({ 'max-age': '1d' });
    expect(code).toBe(1);
    expect(out).toMatch(/^stale: no successful run recorded/);
  });
  it('--json carries the state and the history fields', async () => {
    const { run } = await setup({ result: 'failed', failingSince: '2026-11-26T05:00:00Z', consecutiveFailures: 3 });
    const { code, out } = await run({ json: true });
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({
      state: 'failing',
      result: 'failed',
      failingSince: '2026-11-26T05:00:00Z',
      consecutiveFailures: 3,
      lastSuccessAt: '2026-11-26T10:00:00Z',
    });
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
  it.each([
    ['garbage{', /is not valid JSON/],
    ['{}', /is not a heartbeat the tool wrote/],
    ['[]', /is not a heartbeat the tool wrote/],
    [
      '{"version":"1","startedAt":"x","finishedAt":"y","durationMs":1,"result":"ok","collections":[]}',
      /must be a date/,
    ],
    [
      '{"version":"1","startedAt":"2026-01-01T00:00:00Z","finishedAt":"2026-01-01T00:00:00Z",' +
        '"durationMs":1,"result":"great","collections":[]}',
      // zod/mini has no messages of its own ("Invalid input"): these are the English ones the tool sets.
      /\(Invalid option: expected one of "ok"\|"degraded"\|"failed"\|"stopped" at result\)/,
    ],
  ])('a corrupt heartbeat %s is one line naming the file, exit 1', async (text, message) => {
    const { run } = await setup(text);
    const { code, out } = await run({});
    expect(code).toBe(1);
    expect(out).toMatch(message);
    expect(out).toMatch(/^dropmark-sync status: corrupt heartbeat: .*last-run\.json/);
    expect(out.trim().split('\n')).toHaveLength(1);
  });
  it('a heartbeat dated in the future is reported as such, not as "0 s ago", and exits 1', async () => {
    const { run } = await setup({ finishedAt: '2026-11-26T12:30:00Z' });
    const { code, out } = await run({ 'max-age': '1h' });
    expect(code).toBe(1);
    expect(out).toMatch(/^clock wrong: the last run finished 2 h in the future \(2026-11-26T12:30:00Z\)/);
    expect(out).not.toMatch(/0 s ago/);
  });
  it('refuses a bad --max-age', async () => {
    const { run } = await setup({});
    const { code, out } = await run({ 'max-age': 'soon' });
    expect(code).toBe(1);
    expect(out).toMatch(/not a duration/);
  });
});

describe('status without --max-age: stale after two runs of the schedule plus deadlineMs', () => {
  // The init default; the last success at 00:20 (the 00:17 run), so due again at 03:17 and 06:17.
  const schedule = 'schedule: "17 */3 * * *"\ntimezone: UTC\n';
  const success = { finishedAt: '2026-12-07T00:20:00Z', lastSuccessAt: '2026-12-07T00:20:00Z' };

  it('2 h 50 min after the last success a worker on "17 */3 * * *" is healthy', async () => {
    const { run } = await setup(success, schedule, '2026-12-07T03:10:00Z');
    const { code, out } = await run({});
    expect(code).toBe(0);
    expect(out).toMatch(/^ok: last success 3 h ago\n/);
  });
  it('6 h 30 min after it, stale: both runs and their deadline have passed', async () => {
    const { run } = await setup(success, schedule, '2026-12-07T06:50:00Z');
    const { code, out } = await run({});
    expect(code).toBe(1);
    expect(out.split('\n')[0]).toBe(
      'stale: last success 7 h ago (allowed 6 h: two runs of the schedule "17 */3 * * *" in UTC plus deadlineMs); ' +
        'is the scheduler running?',
    );
  });
  it('deadlineMs is part of the allowance: 06:27 is the last healthy minute', async () => {
    expect((await (await setup(success, schedule, '2026-12-07T06:26:59Z')).run({})).code).toBe(0);
    expect((await (await setup(success, schedule, '2026-12-07T06:27:01Z')).run({})).code).toBe(1);
  });
  it('counts in the configured time zone: the night Berlin turns the clocks back has a 4-hour gap', async () => {
    // 00:17 CEST is 22:17Z; the next run, 03:17 CET, is 02:17Z; then 06:17 CET, 05:17Z.
    const berlin = 'schedule: "17 */3 * * *"\ntimezone: Europe/Berlin\n';
    const last = { finishedAt: '2026-10-24T22:20:00Z', lastSuccessAt: '2026-10-24T22:20:00Z' };
    expect((await (await setup(last, berlin, '2026-10-25T05:20:00Z')).run({})).code).toBe(0);
    expect((await (await setup(last, berlin, '2026-10-25T05:28:00Z')).run({})).code).toBe(1);
  });
  it('--max-age still overrides the schedule', async () => {
    const { run } = await setup(success, schedule, '2026-12-07T03:10:00Z');
    const { code, out } = await run({ 'max-age': '2h' });
    expect(code).toBe(1);
    expect(out).toMatch(/^stale: last success 3 h ago \(--max-age 2 h\)/);
  });
  it('a schedule in a form status cannot count is said, not guessed', async () => {
    const { run } = await setup(success, 'schedule: "0 3 L * *"\n', '2026-12-07T03:10:00Z');
    const { code, out } = await run({});
    expect(code).toBe(0);
    expect(out).toMatch(/\nnot checked for staleness: "0 3 L \* \*" uses a form status cannot count; pass --max-age\n/);
  });
});

describe('status --liveness: is the worker still running its schedule? (a restart mends nothing else)', () => {
  const schedule = 'schedule: "17 */3 * * *"\ntimezone: UTC\n';
  const failing = {
    result: 'failed' as const,
    finishedAt: '2026-12-07T03:20:00Z',
    lastSuccessAt: '2026-12-06T00:20:00Z',
    failingSince: '2026-12-06T03:17:00Z',
    consecutiveFailures: 9,
  };
  it('a worker whose runs keep failing an item is alive: exit 0', async () => {
    const { run } = await setup(failing, schedule, '2026-12-07T04:00:00Z');
    const { code, out } = await run({ liveness: true });
    expect([code, out]).toEqual([0, 'alive: last run failed, 40 min ago\n']);
    expect((await (await setup(failing, schedule, '2026-12-07T04:00:00Z')).run({})).code).toBe(1);
  });
  it('a last run older than two runs of the schedule plus deadlineMs: stale, exit 1', async () => {
    const { run } = await setup(failing, schedule, '2026-12-07T09:30:00Z');
    const { code, out } = await run({ liveness: true });
    expect(code).toBe(1);
    expect(out).toBe(
      'stale: last run failed, 6 h ago (allowed 6 h: two runs of the schedule "17 */3 * * *" in UTC plus ' +
        'deadlineMs); is the scheduler running?\n',
    );
  });
  it('before the first run ends: alive (a long first sync is not cut short)', async () => {
    const { run } = await setup(undefined, schedule);
    const { code, out } = await run({ liveness: true });
    expect(code).toBe(0);
    expect(out).toContain('alive: no run has ended yet');
  });
});
