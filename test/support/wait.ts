/**
 * Polls `check` until it holds (for child processes, which no fake timer reaches). The
 * timeout only turns a hang into a failure with a name; no test depends on how soon the
 * condition holds, so it is generous enough for a loaded 2-core machine.
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
