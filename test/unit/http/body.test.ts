import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buffer } from 'node:stream/consumers';
import { cappedBody } from '../../../src/http/body.js';
import { silentLogger } from '../../../src/log.js';

/** The timer's calls, in order. */
function recordingTimer(): { calls: string[]; touch(): void; clear(): void } {
  const calls: string[] = [];
  return { calls, touch: () => calls.push('touch'), clear: () => calls.push('clear') };
}

const limits = { url: 'http://127.0.0.1/feed.json', maxBytes: 8 };

/** A Node stream as node-get.ts hands it on: chunks pushed by the test. */
function source(): Readable {
  return new Readable({ read() {} });
}

describe("cappedBody over Node's own stream", () => {
  it('hands on every chunk, restarts the timer for each, and clears it at the end', async () => {
    const from = source();
    const timer = recordingTimer();
    const body = cappedBody(from, limits, timer, (e) => e, silentLogger);
    from.push('abc');
    from.push('de');
    from.push(null);
    expect((await buffer(body)).toString()).toBe('abcde');
    // Cleared at the end, and again as the finished body is destroyed.
    expect(timer.calls).toEqual(['touch', 'touch', 'clear', 'clear']);
  });

  it('fails past maxBytes and lets go of its source', async () => {
    const from = source();
    const body = cappedBody(from, limits, recordingTimer(), (e) => e, silentLogger);
    from.push('12345');
    from.push('6789');
    await expect(buffer(body)).rejects.toMatchObject({ name: 'BodyTooLargeError' });
    expect(from.destroyed).toBe(true);
  });

  it("fails with what `describe` makes of the source's error", async () => {
    const from = source();
    const body = cappedBody(from, limits, recordingTimer(), () => new Error('described'), silentLogger);
    from.push('abc');
    body.once('data', () => from.destroy(new Error('socket hang up')));
    await expect(buffer(body)).rejects.toThrow('described');
  });

  it('fails when its source closes before its end without an error: the reader does not wait for ever', async () => {
    const from = source();
    const body = cappedBody(from, limits, recordingTimer(), (e) => e, silentLogger);
    from.push('abc');
    body.once('data', () => from.destroy());
    await expect(buffer(body)).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('destroying the body destroys its source (the connection is let go)', () => {
    const from = source();
    cappedBody(from, limits, recordingTimer(), (e) => e, silentLogger).destroy();
    expect(from.destroyed).toBe(true);
  });
});
