import type { FeedItem } from '../feed/parse.js';
import { postDateSource, type ProfileName } from '../frontmatter/profiles.js';

const FEED_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Reads the feed's date formats (`2024-03-07 22:29:46 UTC`, `2015-05-27 10:10:06 +0000`,
 * `2016-08-16T15:35:16Z`, with or without milliseconds, offsets `+0000`, `+00:00`, `+00`) and
 * returns RFC 3339 in UTC with whole seconds (`2019-02-26T11:47:13Z`), or undefined when the
 * text is not such a date. Refused: a day its month does not have (Feb 29 outside leap
 * years), hour 24, minute or second 60 (a leap second cannot be written as a Date), an offset
 * past 23:59, and a result outside the years 0001-9999 once in UTC (RFC 3339 has four digits).
 */
export function toRfc3339Utc(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const m = FEED_DATE.exec(text.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  const zone = m[7];
  if (zone && !/^(z|utc|gmt)$/i.test(zone)) {
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2, 4) || '0');
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  // setUTCFullYear takes the year as written; Date.UTC would turn 0019 into 1919.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, second, 0);
  const utcYear = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || utcYear < 1 || utcYear > 9999) return undefined;
  return formatRfc3339Utc(date);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function formatRfc3339Utc(date: Date): string {
  // toISOString always ends in `.sssZ` (it throws for an invalid date): the milliseconds are cut, no regex needed.
  return `${date.toISOString().slice(0, -5)}Z`;
}

/**
 * The UTC day of an item's post date (its file name's {date}): the date the profile writes as `date` (the
 * bookmark profile: its last update; the others: its creation), else its other date; undefined when it has none.
 */
export function itemDay(item: Pick<FeedItem, 'createdAt' | 'updatedAt'>, profile: ProfileName): string | undefined {
  const [first, then] =
    postDateSource(profile) === 'updated' ? [item.updatedAt, item.createdAt] : [item.createdAt, item.updatedAt];
  return (toRfc3339Utc(first) ?? toRfc3339Utc(then))?.slice(0, 10);
}
