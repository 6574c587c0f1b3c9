import { describe, expect, it } from 'vitest';
import { nextHeartbeat, type Heartbeat, type RunRecord } from '../../../src/state/heartbeat.js';

const run = (result: RunRecord['result'], startedAt: string, finishedAt: string): RunRecord => ({
  version: '1',
  startedAt,
  finishedAt,
  durationMs: 1,
  result,
  imagesMissing: result === 'degraded' ? 1 : 0,
  collections: [],
});

describe('the heartbeat keeps the history a monitor needs', () => {
  it('a run of failures counts up from the first failed start; a success resets it', () => {
    let hb: Heartbeat | undefined;
    hb = nextHeartbeat(hb, run('ok', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z'));
    expect(hb).toMatchObject({ lastSuccessAt: '2026-01-01T00:01:00Z', consecutiveFailures: 0 });
    expect(hb.failingSince).toBeUndefined();
    hb = nextHeartbeat(hb, run('failed', '2026-01-01T01:00:00Z', '2026-01-01T01:01:00Z'));
    expect(hb).toMatchObject({
      lastSuccessAt: '2026-01-01T00:01:00Z',
      failingSince: '2026-01-01T01:00:00Z',
      consecutiveFailures: 1,
    });
    hb = nextHeartbeat(hb, run('failed', '2026-01-01T02:00:00Z', '2026-01-01T02:01:00Z'));
    expect(hb).toMatchObject({ failingSince: '2026-01-01T01:00:00Z', consecutiveFailures: 2 });
    hb = nextHeartbeat(hb, run('degraded', '2026-01-01T03:00:00Z', '2026-01-01T03:01:00Z'));
    expect(hb).toMatchObject({ result: 'degraded', lastSuccessAt: '2026-01-01T03:01:00Z', consecutiveFailures: 0 });
    expect(hb.failingSince).toBeUndefined();
  });

  it('a stopped run changes no history', () => {
    const failing = nextHeartbeat(undefined, run('failed', '2026-01-01T01:00:00Z', '2026-01-01T01:01:00Z'));
    const after = nextHeartbeat(failing, run('stopped', '2026-01-01T02:00:00Z', '2026-01-01T02:00:30Z'));
    expect(after).toMatchObject({ result: 'stopped', failingSince: '2026-01-01T01:00:00Z', consecutiveFailures: 1 });
    expect(after.lastSuccessAt).toBeUndefined();
  });
});
