/**
 * When a cron expression fires, for `status` to tell a stopped worker from one between runs.
 * A small reading of node-cron's own syntax (numbers, names, `*`, ranges, steps, lists, the
 * @nicknames, an optional seconds field, day of month AND day of week as node-cron matches
 * them), kept here because `status` is a probe that must start fast: loading node-cron costs
 * more than the rest of the command. test/unit/cron-times.test.ts checks it against node-cron.
 */

export interface CronFields {
  /** Seconds of the day at which a matching day fires, ascending. */
  times: number[];
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
}

const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** second, minute, hour, day of month, month, day of week; 7 is Sunday too, but `*` and wrapping stop at 6. */
const BOUNDS: [min: number, max: number, top: number][] = [
  [0, 59, 59],
  [0, 59, 59],
  [0, 23, 23],
  [1, 31, 31],
  [1, 12, 12],
  [0, 6, 7],
];

/**
 * The values of a node-cron expression, or undefined for one this reading does not cover
 * (node-cron's L, W and # tokens): the caller then says so instead of guessing.
 */
export function parseCron(expression: string): CronFields | undefined {
  const text = NICKNAMES[expression.trim().toLowerCase()] ?? expression;
  const raw = text.trim().split(/\s+/);
  const fields = raw.length === 5 ? ['0', ...raw] : raw;
  if (fields.length !== 6) return undefined;
  const values: number[][] = [];
  for (const [i, field] of fields.entries()) {
    const named = i === 4 ? byName(field, MONTHS, 1) : i === 5 ? byName(field, WEEKDAYS, 0) : field;
    const list = expandField(
      i === 3 || i === 5 ? named.replace(/^\?$/, '*') : named,
      BOUNDS[i] as [number, number, number],
    );
    if (!list) return undefined;
    values.push(list);
  }
  const [seconds, minutes, hours, days, months, weekdays] = values as [
    number[],
    number[],
    number[],
    number[],
    number[],
    number[],
  ];
  const times = hours.flatMap((h) => minutes.flatMap((m) => seconds.map((s) => h * 3600 + m * 60 + s)));
  return {
    times: [...new Set(times)].sort((a, b) => a - b),
    days: new Set(days),
    months: new Set(months),
    weekdays: new Set(weekdays.map((d) => d % 7)),
  };
}

function byName(field: string, names: string[], first: number): string {
  return field.toLowerCase().replace(/[a-z]+/g, (word) => {
    const i = names.indexOf(word.slice(0, 3));
    return i === -1 ? word : String(i + first);
  });
}

/** One field's values: `*`, `n`, `a-b` (wrapping round when a > b, as node-cron does), `/step`, lists. */
function expandField(field: string, [min, max, top]: [number, number, number]): number[] | undefined {
  const out: number[] = [];
  for (const part of field.split(',')) {
    // node-cron reads `5/15` (a step without a range) as no value at all.
    const m = /^(?:(\*)|(\d+)-(\d+)|(\d+))(?:\/(\d+))?$/.exec(part);
    if (!m || (m[4] !== undefined && m[5] !== undefined)) return undefined;
    const first = m[1] ? min : Number(m[2] ?? m[4]);
    const last = m[1] ? max : Number(m[3] ?? m[4]);
    const step = m[5] === undefined ? 1 : Number(m[5]);
    if (first < min || first > top || last < min || last > top || step < 1) return undefined;
    const size = max - min + 1;
    const span = first <= last ? last - first : last - first + size;
    for (let offset = 0; offset <= span; offset += step)
      out.push(first + offset > max ? first + offset - size : first + offset);
  }
  return out;
}

const DAY_MS = 86_400_000;
/** As far as node-cron looks: 1 December on a Tuesday comes back only after 11 years, some dates later. */
const MAX_DAYS = 366 * 100;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds the wall clock of `timezone` (undefined: this system's) is ahead of UTC at `ms`. */
function offsetAt(ms: number, timezone: string | undefined): number {
  // The system's zone needs no Intl formatter, whose making is most of what `status` would spend here.
  if (timezone === undefined) return -new Date(ms).getTimezoneOffset() * 60_000;
  const key = timezone;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(key, format);
  }
  const p = Object.fromEntries(format.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
  const wall = Date.UTC(p['year'] ?? 0, (p['month'] ?? 1) - 1, p['day'] ?? 1, p['hour'], p['minute'], p['second']);
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a wall-clock time (as UTC milliseconds) has in `timezone`; undefined for a time
 * the clocks skip (spring forward), which node-cron never fires either.
 */
function instantOf(wallMs: number, timezone: string | undefined): number | undefined {
  const guess = wallMs - offsetAt(wallMs, timezone);
  for (const candidate of [guess, wallMs - offsetAt(guess, timezone)]) {
    if (candidate + offsetAt(candidate, timezone) === wallMs) return candidate;
  }
  return undefined;
}

/** Pure: the next `count` times (ms) after `afterMs` at which the schedule fires in `timezone`. */
export function fireTimesAfter(
  fields: CronFields,
  timezone: string | undefined,
  afterMs: number,
  count: number,
): number[] {
  const found: number[] = [];
  const afterWall = afterMs + offsetAt(afterMs, timezone);
  // Offsets move by at most a few hours across a day: wall times earlier than this never come after `afterMs`.
  const earliestWall = afterWall - 3 * 3_600_000;
  const firstDay = Math.floor(afterWall / DAY_MS) * DAY_MS;
  for (let day = firstDay; day < firstDay + MAX_DAYS * DAY_MS; day += DAY_MS) {
    const date = new Date(day);
    const matches =
      fields.months.has(date.getUTCMonth() + 1) &&
      fields.days.has(date.getUTCDate()) &&
      fields.weekdays.has(date.getUTCDay());
    if (!matches) continue;
    for (const time of fields.times) {
      const wall = day + time * 1000;
      if (wall < earliestWall) continue;
      const at = instantOf(wall, timezone);
      if (at === undefined || at <= afterMs) continue;
      found.push(at);
      if (found.length === count) return found;
    }
  }
  return found;
}
