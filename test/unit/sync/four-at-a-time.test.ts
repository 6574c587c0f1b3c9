import { describe, expect, it } from 'vitest';
import { fourAtATime } from '../../../src/sync/run.js';

/** A task that waits until the test lets it finish. */
function gate() {
  let open = (_value: string) => {};
  const done = new Promise<string>((resolve) => {
    open = resolve;
  });
  return { done, open };
}

describe('collections four at a time', () => {
  it('starts at most four tasks until one ends, then the next; the results keep the items order', async () => {
    const gates = Array.from({ length: 6 }, gate);
    const started: number[] = [];
    const all = fourAtATime([0, 1, 2, 3, 4, 5], (i) => {
      started.push(i);
      return (gates[i] as ReturnType<typeof gate>).done;
    });
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2, 3]);
    gates[2]?.open('c');
    await gates[2]?.done;
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    for (const [i, g] of gates.entries()) g.open('abcdef'[i] as string);
    expect(await all).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('runs fewer than four at once when there are fewer', async () => {
    expect(await fourAtATime(['x'], async (s) => `${s}!`)).toEqual(['x!']);
    expect(await fourAtATime([], async (s: string) => s)).toEqual([]);
  });
});
