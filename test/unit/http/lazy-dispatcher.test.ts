import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { type LazyDispatcher, lazyDispatcher } from '../../../src/http/lazy-dispatcher.js';
import type { Logger } from '../../../src/log.js';

function debugLines(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger: Logger = { debug: (_obj, msg) => lines.push(msg ?? ''), info() {}, warn() {}, error() {} };
  return { logger, lines };
}

/** A stand-in for undici's Agent: only close() is used here. */
function fakeAgent(): { agent: Dispatcher; closes: () => number } {
  let closes = 0;
  const agent = {
    close: async () => {
      closes++;
    },
  } as unknown as Dispatcher;
  return { agent, closes: () => closes };
}

/** A lazy dispatcher over a fake Agent, counting how many times it was made and closed. */
function counted(): { lazy: LazyDispatcher; agent: Dispatcher; made: () => number; closes: () => number } {
  const { agent, closes } = fakeAgent();
  let made = 0;
  const lazy = lazyDispatcher(async () => {
    made++;
    return agent;
  }, debugLines().logger);
  return { lazy, agent, made: () => made, closes };
}

describe('lazyDispatcher', () => {
  it('makes nothing until asked, then one dispatcher for every caller, closed once at the end', async () => {
    const { lazy, agent, made, closes } = counted();
    expect(made()).toBe(0);
    const [a, b] = await Promise.all([lazy.get(), lazy.get()]);
    expect(a).toBe(agent);
    expect(b).toBe(agent);
    expect(made()).toBe(1);
    await lazy.close();
    expect(closes()).toBe(1);
  });

  it('closing what was never made does nothing', async () => {
    const { lazy, made, closes } = counted();
    await lazy.close();
    expect(made()).toBe(0);
    expect(closes()).toBe(0);
  });

  it('a dispatcher that could not be made fails its request; closing does not throw (the lock goes)', async () => {
    const { logger, lines } = debugLines();
    const lazy = lazyDispatcher(() => Promise.reject(new Error('Cannot find module guarded-agent.js')), logger);
    await expect(lazy.get()).rejects.toThrow('Cannot find module guarded-agent.js');
    await expect(lazy.close()).resolves.toBeUndefined();
    expect(lines).toEqual(['the dispatcher was never made; nothing to close']);
  });

  it('after close, a late task gets an error, not a new dispatcher nobody would close', async () => {
    const { lazy, made } = counted();
    await lazy.close();
    await expect(lazy.get()).rejects.toThrow('the sync has ended; no new request starts');
    expect(made()).toBe(0);
  });
});
