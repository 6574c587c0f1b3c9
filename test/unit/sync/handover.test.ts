import { describe, expect, it } from 'vitest';
import { Handover } from '../../../src/sync/handover.js';

describe('Handover', () => {
  it('gives its value once, then holds it no more', () => {
    const feed = { items: [1, 2, 3] };
    const handover = new Handover(feed);
    expect(handover.take()).toBe(feed);
    expect(() => handover.take()).toThrow('a value was taken twice from its handover (a bug of the tool)');
  });
});
