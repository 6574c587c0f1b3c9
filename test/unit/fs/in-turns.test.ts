import { describe, expect, it } from 'vitest';
import { mapInTurns } from '../../../src/fs/in-turns.js';

describe('mapInTurns', () => {
  it('maps every item in order', async () => {
    expect(await mapInTurns([1, 2, 3], (n) => n * 10)).toEqual([10, 20, 30]);
  });

  it('lets the event loop run between batches of 64 steps, not only at the end', async () => {
    const done: number[] = [];
    let seenAt: number | undefined;
    setImmediate(() => {
      seenAt = done.length;
    });
    await mapInTurns(
      Array.from({ length: 200 }, (_, i) => i),
      (i) => done.push(i),
    );
    expect(seenAt).toBe(64);
  });

  it('with another batch size, after that many steps', async () => {
    let steps = 0;
    let seenAt: number | undefined;
    setImmediate(() => {
      seenAt = steps;
    });
    await mapInTurns(Array.from({ length: 10 }), () => steps++, 3);
    expect(seenAt).toBe(3);
  });
});
