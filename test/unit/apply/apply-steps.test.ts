import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyOps } from '../../../src/apply/apply.js';
import { nodeFs, type WriteFs } from '../../../src/fs/atomic-write.js';
import type { FileOp } from '../../../src/plan/post-plan.js';

let site: string;
beforeEach(async () => {
  site = await mkdtemp(path.join(tmpdir(), 'dms-apply-pool-'));
});

const writes = (phase: number, dir: string, count: number): FileOp[] =>
  Array.from({ length: count }, (_, i) => ({ phase, op: 'write', relPath: `${dir}/${i}.md`, data: `${i}` }));

/** The file system with `around` wrapped around each step's write of its temp file (the folder's name given). */
function watchedWrites(around: (dir: string, write: () => Promise<void>) => Promise<void>): WriteFs {
  return {
    ...nodeFs,
    writeFile: ((...args: Parameters<WriteFs['writeFile']>) =>
      around(path.basename(path.dirname(String(args[0]))), () => nodeFs.writeFile(...args))) as WriteFs['writeFile'],
  };
}

/**
 * The file system with `queued` put on the event loop (setImmediate) as the first step writes: the folder checks
 * before the first step take turns of their own. It is given how many writes had started by then.
 */
function onTurnAfterFirstWrite(queued: (count: number) => void): WriteFs {
  let started = 0;
  return watchedWrites(async (_dir, write) => {
    if (started++ === 0) setImmediate(() => queued(started));
    await write();
  });
}

describe('applyOps runs the steps of a phase one at a time, giving the event loop a turn between batches', () => {
  it('one step at a time, and a phase starts only when the one before has finished', async () => {
    let active = 0;
    let most = 0;
    const events: string[] = [];
    const fs = watchedWrites(async (dir, write) => {
      active++;
      most = Math.max(most, active);
      events.push(`start ${dir}`);
      await write();
      events.push(`end ${dir}`);
      active--;
    });
    const result = await applyOps(site, [...writes(0, 'a', 40), ...writes(1, 'b', 3)], { fs });
    expect(result.failed).toEqual([]);
    expect(result.written).toHaveLength(43);
    expect(most).toBe(1);
    // Every step of phase 0 ended before the first of phase 1 started.
    expect(events.lastIndexOf('end a')).toBeLessThan(events.indexOf('start b'));
  });

  it('a callback waiting on the event loop runs after 64 steps, not after the whole phase', async () => {
    let seen: number | undefined;
    const fs = onTurnAfterFirstWrite((started) => {
      seen = started;
    });
    const result = await applyOps(site, writes(0, 'a', 200), { fs });
    expect(result.written).toHaveLength(200);
    expect(seen).toBe(64);
  });

  it('a stop that arrives through the event loop (a signal) ends a long phase at the next batch', async () => {
    let stop = false;
    const fs = onTurnAfterFirstWrite(() => {
      stop = true;
    });
    const result = await applyOps(site, [...writes(0, 'a', 200), ...writes(1, 'b', 3)], {
      fs,
      shouldStop: () => stop,
    });
    expect(result.stopped).toBe(true);
    expect(result.written).toHaveLength(64);
    expect((await readdir(path.join(site, 'a'))).filter((n) => n.endsWith('.md'))).toHaveLength(64);
    expect(await readdir(site)).toEqual(['a']);
  });

  it('a stop asked during a step lets that step finish, starts no other, and runs no later phase', async () => {
    let stop = false;
    let started = 0;
    const fs = watchedWrites(async (_dir, write) => {
      started++;
      stop = true;
      await write();
    });
    const result = await applyOps(site, [...writes(0, 'a', 40), ...writes(1, 'b', 3)], {
      fs,
      shouldStop: () => stop,
    });
    expect(result.stopped).toBe(true);
    expect(started).toBe(1);
    expect(result.written).toEqual(['a/0.md']);
    expect(await readdir(path.join(site, 'a'))).toEqual(['0.md']);
    expect(await readdir(site)).toEqual(['a']);
  });
});
