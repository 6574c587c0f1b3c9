/**
 * A dead image (a 404 thumbnail, a host that refuses us) must not cost a request on every run
 * for months: after a failure its URL path waits 1 h before the next try, then 2 h, 4 h, ...
 * up to 7 days. A success forgets it; so does the item leaving the feed.
 */
export interface ImageFailureRecord {
  /** Failed tries in a row. */
  count: number;
  firstFailedAt: string;
  lastFailedAt: string;
  /** No request for this image before this time (unless --retry-images). */
  retryAt: string;
  /** Why the last try failed, as shown to a person. */
  reason: string;
}

/** Image identity (URL without signature) -> its failures. */
export type ImageBackoff = ReadonlyMap<string, ImageFailureRecord>;

export const FIRST_BACKOFF_MS = 60 * 60 * 1000;
export const MAX_BACKOFF_MS = 7 * 24 * 60 * 60 * 1000;

/** The wait after the `count`-th failure in a row: 1 h doubling, never above 7 days. */
export function backoffDelayMs(count: number): number {
  const doublings = Math.max(0, Math.min(count - 1, 30));
  return Math.min(FIRST_BACKOFF_MS * 2 ** doublings, MAX_BACKOFF_MS);
}

/** Whether the image must not be requested at `now`. */
export function isBackedOff(record: ImageFailureRecord | undefined, now: Date): boolean {
  return record !== undefined && Date.parse(record.retryAt) > now.getTime();
}

export interface ImageAttempts {
  /** Identities requested in this run that failed, with the reason. */
  failed: ReadonlyMap<string, string>;
  /** Identities requested in this run that succeeded, or whose image is on disk. */
  succeeded: ReadonlySet<string>;
  /** Every identity the feed still names: records of the others are dropped. */
  inFeed: ReadonlySet<string>;
}

/** Pure: the backoff records after a run's attempts. */
export function nextBackoff(
  previous: ImageBackoff,
  attempts: ImageAttempts,
  now: Date,
): Map<string, ImageFailureRecord> {
  const next = new Map<string, ImageFailureRecord>();
  for (const [identity, record] of previous) {
    if (attempts.inFeed.has(identity) && !attempts.succeeded.has(identity)) next.set(identity, record);
  }
  for (const [identity, reason] of attempts.failed) {
    const before = previous.get(identity);
    const count = (before?.count ?? 0) + 1;
    const at = now.toISOString();
    next.set(identity, {
      count,
      firstFailedAt: before?.firstFailedAt ?? at,
      lastFailedAt: at,
      retryAt: new Date(now.getTime() + backoffDelayMs(count)).toISOString(),
      reason,
    });
  }
  return next;
}

/** The earliest time one of the records may be tried again, or undefined when there is none. */
export function earliestRetry(records: ImageBackoff): string | undefined {
  let earliest: string | undefined;
  for (const record of records.values())
    if (earliest === undefined || record.retryAt < earliest) earliest = record.retryAt;
  return earliest;
}
