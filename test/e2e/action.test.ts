import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runAction } from '../support/action-runner.js';
import { projectWithConfig } from '../support/cli.js';
import { json, type TestServer } from '../support/feed-server.js';
import { sampleFeed } from '../support/fixtures.js';
import { useSampleFeedServer } from '../support/sample-feed-server.js';

let server: TestServer;
let endpoint: string;
useSampleFeedServer((s, e) => {
  server = s;
  endpoint = e;
});

// The committed tree, as `uses: OWNER/dropmark-sync@REF` checks it out: dist-action/ runs as it is.
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The sample feed with its first item's dates broken: that item fails, the 40 others are written. */
function feedWithOneBadItem() {
  const feed = sampleFeed();
  const first = feed.items[0] as Record<string, unknown>;
  first['updated_at'] = '2019-02-31 10:00:00 UTC';
  first['created_at'] = null;
  return feed;
}

describe('the GitHub Action (node24, the committed dist-action/)', () => {
  it('syncs, writes the report outside the work tree, the job summary and every output', async () => {
    const cwd = await projectWithConfig(endpoint);
    const result = await runAction(repo, cwd, { config: 'dropmark-sync.yaml' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.outputs).toEqual({
      changed: 'true',
      created: '41',
      updated: '0',
      deleted: '0',
      failed: '0',
      result: 'ok',
      complete: 'true',
      report: path.join(result.temp, 'dropmark-sync', 'report.md'),
    });
    const report = await readFile(result.outputs['report'] as string, 'utf8');
    expect(report).toMatch(/^## Dropmark sync\n\n\*\*41 created/);
    expect(result.stepSummary).toBe(report);
    const again = await runAction(repo, cwd, { config: 'dropmark-sync.yaml' });
    expect(again.outputs).toMatchObject({ changed: 'false', complete: 'true' });
  });

  it('a first sync whose --json summary passes 1 MiB keeps its summary and its outputs', async () => {
    const first = sampleFeed().items[0] as Record<string, unknown>;
    // 2,500 items with long titles and links: each change record in the summary is about 1 kB.
    const items = Array.from({ length: 2500 }, (_, i) => ({
      ...first,
      id: 70_000_000 + i,
      name: `A long title number ${i} ${'about interoperability and records '.repeat(8)}`,
      link: `https://www.example.com/${i}/${'path-segment/'.repeat(20)}`,
      url: `http://radhikan.dropmark.com/616548/${70_000_000 + i}`,
    }));
    server.answer(json({ items }));
    const cwd = await projectWithConfig(endpoint);
    const result = await runAction(repo, cwd, { config: 'dropmark-sync.yaml' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.outputs).toMatchObject({ created: '2500', result: 'ok', complete: 'true' });
  });

  it('some items failed: the job fails by default, the job summary lists them; fail-on never passes', async () => {
    server.answer(json(feedWithOneBadItem()));
    const cwd = await projectWithConfig(endpoint);
    const result = await runAction(repo, cwd, { config: 'dropmark-sync.yaml' });
    expect(result.code, result.stderr).toBe(1);
    expect(result.outputs).toMatchObject({ changed: 'true', created: '40', failed: '1', result: 'failed' });
    // The 40 posts still go to the pull request: the workflow runs that step unless cancelled.
    expect(result.outputs['complete']).toBe('true');
    expect(result.stdout).toMatch(/::error::dropmark-sync: the run is failed: 1 item\(s\) or file\(s\) failed/);
    expect(result.stepSummary).toMatch(/### Failed \(1\)/);

    const lenient = await runAction(repo, await projectWithConfig(endpoint), {
      config: 'dropmark-sync.yaml',
      'fail-on': 'never',
    });
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(lenient.stdout).toMatch(/::warning::dropmark-sync: the run is failed/);
  });

  it('nothing could be synced: the job fails, and the run is not complete', async () => {
    server.answer((_req, res) => void res.writeHead(404).end());
    const cwd = await projectWithConfig(endpoint);
    const result = await runAction(repo, cwd, { config: 'dropmark-sync.yaml', args: '--full' });
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ changed: 'false', failed: '0', complete: 'false' });
    expect(result.stderr).toMatch(/HTTP 404: no such collection/);
  });

  it('a fail-on value it does not know: refused before any sync', async () => {
    const cwd = await projectWithConfig(endpoint);
    const result = await runAction(repo, cwd, { config: 'dropmark-sync.yaml', 'fail-on': 'warnings' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('dropmark-sync: fail-on: "warnings" is not one of failed, degraded, never\n');
    expect(server.requests).toEqual([]);
  });
});
