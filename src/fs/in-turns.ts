import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * `step` on each item in order, with a turn of the event loop every `perTurn` items. File system work done in
 * synchronous calls (faster on a local disk: a call through libuv's pool costs a thread hop each) still lets a stop
 * signal, a deadline or another collection's download be heard between batches.
 */
export async function eachInTurns<T>(
  items: readonly T[],
  step: (item: T, index: number) => void,
  perTurn = 64,
): Promise<void> {
  for (const [i, item] of items.entries()) {
    if (i > 0 && i % perTurn === 0) await nextTurn();
    step(item, i);
  }
}

/** eachInTurns collecting what each step gives. */
export async function mapInTurns<T, R>(items: readonly T[], step: (item: T) => R, perTurn = 64): Promise<R[]> {
  const out: R[] = [];
  await eachInTurns(items, (item) => out.push(step(item)), perTurn);
  return out;
}
