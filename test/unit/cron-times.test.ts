import fc from 'fast-check';
import { createTask } from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireTimesAfter, parseCron } from '../../src/cron-times.js';
import { propertyOptions } from '../support/property.js';

const iso = (ms: number[]) => ms.map((t) => new Date(t).toISOString());

function firesAfter(expression: string, timezone: string | undefined, from: string, count: number): string[] {
  const fields = parseCron(expression);
  if (!fields) throw new Error(`${expression} not read`);
  return iso(fireTimesAfter(fields, timezone, Date.parse(from), count));
}

describe('fireTimesAfter', () => {
  it('the init default "17 */3 * * *": every three hours at minute 17', () => {
    expect(firesAfter('17 */3 * * *', 'UTC', '2026-12-07T00:20:00Z', 3)).toEqual([
      '2026-12-07T03:17:00.000Z',
      '2026-12-07T06:17:00.000Z',
      '2026-12-07T09:17:00.000Z',
    ]);
  });
  it('counts in the time zone of the config, across the night the clocks go back', () => {
    // Berlin, 25 Oct 2026: 03:00 CEST becomes 02:00 CET; 00:17 CEST is 22:17Z, 03:17 CET is 02:17Z.
    expect(firesAfter('17 */3 * * *', 'Europe/Berlin', '2026-10-24T22:00:00Z', 2)).toEqual([
      '2026-10-24T22:17:00.000Z',
      '2026-10-25T02:17:00.000Z',
    ]);
  });
  it('skips a wall time the clocks jump over, as node-cron does', () => {
    // Berlin, 29 Mar 2026: 02:00 CET becomes 03:00 CEST; 02:30 never happens that day.
    expect(firesAfter('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 2)).toEqual([
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
    ]);
  });
  it('weekdays, month names, a seconds field and nicknames', () => {
    expect(firesAfter('0 9 * * mon-fri', 'UTC', '2026-12-04T10:00:00Z', 2)).toEqual([
      '2026-12-07T09:00:00.000Z',
      '2026-12-08T09:00:00.000Z',
    ]);
    expect(firesAfter('0 0 1 jan,jul *', 'UTC', '2026-12-07T00:00:00Z', 2)).toEqual([
      '2027-01-01T00:00:00.000Z',
      '2027-07-01T00:00:00.000Z',
    ]);
    expect(firesAfter('*/20 * * * * *', 'UTC', '2026-12-07T00:00:50Z', 2)).toEqual([
      '2026-12-07T00:01:00.000Z',
      '2026-12-07T00:01:20.000Z',
    ]);
    expect(firesAfter('@hourly', 'UTC', '2026-12-07T00:00:00Z', 1)).toEqual(['2026-12-07T01:00:00.000Z']);
  });
  it('leaves the L, W and # forms to node-cron: not read', () => {
    expect(parseCron('0 0 L * *')).toBeUndefined();
    expect(parseCron('0 0 * * 5#2')).toBeUndefined();
    expect(parseCron('0 0 15W * *')).toBeUndefined();
  });
});

describe('fireTimesAfter agrees with node-cron, the scheduler that runs the schedule', () => {
  afterEach(() => vi.useRealTimers());

  const part = (max: number, min: number) =>
    fc.oneof(
      fc.constant('*'),
      fc.integer({ min: 1, max: Math.max(1, Math.floor(max / 2)) }).map((n) => `*/${n}`),
      fc.integer({ min, max }).map(String),
      fc
        .tuple(fc.integer({ min, max }), fc.integer({ min, max }), fc.integer({ min: 1, max: 4 }))
        .map(([a, b, s]) => `${a}-${b}/${s}`),
    );
  const field = (max: number, min: number) =>
    fc.array(part(max, min), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(','));
  const expression = fc
    .tuple(field(59, 0), field(23, 0), field(28, 1), field(12, 1), field(7, 0))
    .map((fields) => fields.join(' '));
  const zone = fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe');
  // 2026-01-01 to 2028-12-31, on whole seconds.
  const start = fc.integer({ min: 1_767_225_600, max: 1_861_919_999 }).map((s) => s * 1000);

  it('the next three fire times, for random expressions, zones and instants', () => {
    fc.assert(
      fc.property(expression, zone, start, (expr, tz, from) => {
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime(from);
        const task = createTask(expr, () => {}, { timezone: tz });
        try {
          const theirs = task.getNextRuns(3).map((d) => d.getTime());
          const fields = parseCron(expr);
          expect(fields).toBeDefined();
          expect(iso(fireTimesAfter(fields as NonNullable<typeof fields>, tz, from, 3))).toEqual(iso(theirs));
        } finally {
          void task.destroy();
          vi.useRealTimers();
        }
      }),
      propertyOptions(150),
    );
  });

  it('in the system zone (no timezone in the config), as node-cron reads it: a zone with DST', () => {
    const saved = process.env['TZ'];
    process.env['TZ'] = 'Europe/Berlin';
    try {
      fc.assert(
        fc.property(expression, start, (expr, from) => {
          vi.useFakeTimers({ toFake: ['Date'] });
          vi.setSystemTime(from);
          const task = createTask(expr, () => {});
          try {
            const theirs = task.getNextRuns(3).map((d) => d.getTime());
            const fields = parseCron(expr) as NonNullable<ReturnType<typeof parseCron>>;
            expect(iso(fireTimesAfter(fields, undefined, from, 3))).toEqual(iso(theirs));
          } finally {
            void task.destroy();
            vi.useRealTimers();
          }
        }),
        propertyOptions(80),
      );
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });
});
