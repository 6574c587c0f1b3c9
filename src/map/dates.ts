const FEED_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Reads the feed's date formats (`2024-03-07 22:29:46 UTC`, `2015-05-27 10:10:06 +0000`,
 * `2016-08-16T15:35:16Z`, with or without milliseconds) and returns RFC 3339 in UTC with
 * whole seconds (`2019-02-26T11:47:13Z`), or undefined when the text is not such a date.
 */
export function toRfc3339Utc(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const m = FEED_DATE.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  let offsetMinutes = 0;
  if (zone && !/^(z|utc|gmt)$/i.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  const ms =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offsetMinutes * 60_000;
  const date = new Date(ms);
  // Date.UTC rolls 2019-02-31 over into March; such a date is not a date.
  if (Number.isNaN(ms) || Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  return formatRfc3339Utc(date);
}

export function formatRfc3339Utc(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
