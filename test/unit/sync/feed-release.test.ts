import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Agent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { parseFeed } from '../../../src/feed/parse.js';
import { nodeFs, type WriteFs } from '../../../src/fs/atomic-write.js';
import { silentLogger } from '../../../src/log.js';
import { fullPass } from '../../../src/sync/full-pass.js';
import { FeedHandover } from '../../../src/sync/feed-stage.js';
import { collectionRun } from '../../../src/sync/types.js';

// The collector, asked for by this test alone: whether the parsed feed is still reachable is what it tells.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const ENDPOINT = 'https://me.dropmark.com/616548.json';
const NOW = new Date('2026-12-08T02:00:00Z');
const agent = new Agent();
afterAll(() => agent.close());

const control = {
  networkSignal: new AbortController().signal,
  shouldStop: () => false,
  stopKind: () => undefined,
};

/** A changed feed as the fetch stage hands it on, and a weak reference to its parse: nothing here holds the parse. */
function changedFeed() {
  const body = JSON.stringify({
    items_total_count: 2,
    items: [
      { id: 1, name: 'One', content: 'Text' },
      { id: 2, name: 'Two', link: 'https://example.com/two' },
    ],
  });
  const feed = parseFeed(body, ENDPOINT);
  const fetched = { kind: 'changed' as const, feed: new FeedHandover(feed), hash: 'h', validators: {} };
  return { fetched, parse: new WeakRef(feed) };
}

describe('fullPass and the parsed feed', () => {
  it('writes the posts with the parsed feed already garbage: nothing after the plan holds it', async () => {
    const siteDir = await mkdtemp(path.join(tmpdir(), 'dms-release-'));
    const yaml = [
      'siteDir: .',
      'collections:',
      `  - endpoint: ${ENDPOINT}`,
      '    contentDir: posts',
      '    images: { mode: none }',
    ].join('\n');
    const { config } = await loadConfig({
      cwd: siteDir,
      env: {},
      overrides: { configFile: 'dropmark-sync.yaml' },
      readText: async () => yaml,
    });
    const { fetched, parse } = changedFeed();
    let feedAliveAtFirstWrite: boolean | undefined;
    // The apply step's first write asks the collector whether the parse is still reachable.
    const fs: WriteFs = {
      ...nodeFs,
      writeFile: (file, data, options) => {
        if (feedAliveAtFirstWrite === undefined) {
          collectGarbage();
          feedAliveAtFirstWrite = parse.deref() !== undefined;
        }
        return nodeFs.writeFile(file, data, options);
      },
    };
    const deps = { logger: silentLogger, now: () => NOW, env: {}, guardedDispatcher: agent, fs };
    const run = collectionRun(config, config.collections[0] as (typeof config.collections)[0], deps, {}, control);
    const summary = await fullPass(run, fetched);
    expect(summary).toMatchObject({ result: 'ok', created: 2 });
    expect((await readdir(path.join(siteDir, 'posts'))).sort()).toEqual(['example-two.md', 'one.md']);
    expect(feedAliveAtFirstWrite).toBe(false);
    // The pass took the feed: its handover holds it no more.
    expect(() => fetched.feed.take()).toThrow('the parsed feed was taken twice (a bug of the tool)');
  });
});
