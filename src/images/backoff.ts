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
  /**
   * Set when a rule of the config refused it (size cap, SVG policy, files.types, a private
   * address): the refusalFingerprint of that config. Once the config differs, the record is void.
   */
  config?: string | undefined;
  /** The config's rule was the owner's choice of what to mirror (images.svg, files.types): left out, not missing. */
  policy?: true | undefined;
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

/** A download that failed in this run: why, and whether a rule of the config refused it. */
export interface FailedRequest {
  reason: string;
  byConfig: boolean;
  policy: boolean;
}

export interface ImageAttempts {
  /** Identities requested in this run that failed, with the reason. */
  failed: ReadonlyMap<string, FailedRequest>;
  /** Identities requested in this run that succeeded, or whose image is on disk. */
  succeeded: ReadonlySet<string>;
  /** Every identity the feed still names: records of the others are dropped. */
  inFeed: ReadonlySet<string>;
  /** The refusalFingerprint of the config of this run. */
  config: string;
}

/**
 * Pure: the records that still hold under the config `fingerprint`: a refusal by another config
 * (allowedHosts fixed since, a larger maxBytes) is no reason to wait; an outage record stays.
 */
export function currentRecords(records: ImageBackoff, fingerprint: string): Map<string, ImageFailureRecord> {
  return new Map([...records].filter(([, record]) => record.config === undefined || record.config === fingerprint));
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
  for (const [identity, { reason, byConfig, policy }] of attempts.failed) {
    const before = previous.get(identity);
    const count = (before?.count ?? 0) + 1;
    const at = now.toISOString();
    next.set(identity, {
      count,
      firstFailedAt: before?.firstFailedAt ?? at,
      lastFailedAt: at,
      retryAt: new Date(now.getTime() + backoffDelayMs(count)).toISOString(),
      reason,
      ...(byConfig ? { config: attempts.config } : {}),
      ...(policy ? { policy: true as const } : {}),
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
