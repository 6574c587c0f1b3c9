/** What identifies an image: its URL without the query (the signature changes on every fetch, the path does not). */
export function imageIdentity(url: string): string {
  const u = new URL(url);
  u.search = '';
  u.hash = '';
  u.username = '';
  u.password = '';
  return u.toString();
}

/** A CloudFront signed URL whose `Expires` (unix seconds) has passed. */
export function isExpired(url: string, nowMs: number): boolean {
  const expires = new URL(url).searchParams.get('Expires');
  if (expires === null || !/^\d+$/.test(expires)) return false;
  return Number(expires) * 1000 <= nowMs;
}

/** `*.example.com` matches any subdomain of example.com (not example.com itself); other patterns match exactly. */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase().trim();
    if (p === '*') return true;
    if (p.startsWith('*.')) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
    return h === p;
  });
}
