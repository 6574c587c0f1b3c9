import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeCdn } from '../support/cdn.js';
import { loopbackProject, POSTS, projectWithConfig, runCli, syncCli } from '../support/cli.js';
import { syncInProcess as sync } from '../support/in-process.js';
import { everyKindFeed } from '../support/every-kind.js';
import { json } from '../support/feed-server.js';
import { sampleFeed } from '../support/fixtures.js';
import { useSampleFeedServer } from '../support/sample-feed-server.js';
import type { TestServer } from '../support/feed-server.js';

let server: TestServer;
let endpoint: string;
useSampleFeedServer((s, e) => {
  server = s;
  endpoint = e;
});

const posts = async (cwd: string) => (await readdir(path.join(cwd, POSTS))).filter((n) => n.endsWith('.md'));

/** The sample feed cut to its first `listed` items, the collection still counting `total`, the first one retitled. */
function cutFeed(listed: number, total: number): Record<string, unknown> {
  const feed = sampleFeed();
  const items = feed.items.slice(0, listed).map((item, i) => (i === 0 ? { ...item, name: 'A new title' } : item));
  return { ...feed, items_total_count: total, items };
}

describe('a feed that lists fewer items than its collection holds (items_total_count)', () => {
  it('deletes nothing, says why (stderr, --json, report, status), and still writes what it lists', async () => {
    const cwd = await projectWithConfig(endpoint);
    expect((await sync(cwd)).summary.ok).toBe(true);
    expect(await posts(cwd)).toHaveLength(41);

    server.answer(json(cutFeed(30, 41)));
    const partial = await syncCli(cwd, ['--report', 'report.md']);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toContain("the feed lists 30 of the collection's 41 items (items_total_count)");
    const summary = JSON.parse(partial.stdout);
    expect(summary).toMatchObject({ deleted: 0, updated: 1 });
    expect(summary.collections[0].partialFeed).toEqual({ listed: 30, total: 41 });
    expect(await posts(cwd)).toHaveLength(41);
    const report = await readFile(path.join(cwd, 'report.md'), 'utf8');
    expect(report).toContain('Partial feed');
    expect(report).toContain('nothing is deleted');
    const status = await runCli(['status', '--config', 'dropmark-sync.yaml'], { cwd });
    expect(status.stdout).toContain("partial feed: the feed lists 30 of the collection's 41 items");

    // The same partial answer again is read again (not "unchanged"), and still deletes nothing.
    const again = await sync(cwd);
    expect(again.summary).toMatchObject({ deleted: 0, collections: [{ partialFeed: { listed: 30 } }] });

    // Once the collection itself holds 30, the 11 posts go.
    server.answer(json(cutFeed(30, 30)));
    const whole = await sync(cwd);
    expect(whole.summary).toMatchObject({ deleted: 11 });
    expect(whole.summary.collections[0]?.partialFeed).toBeUndefined();
    expect(await posts(cwd)).toHaveLength(30);
  });

  it('a dry run of a partial feed plans no deletion and says so', async () => {
    const cwd = await projectWithConfig(endpoint);
    expect((await sync(cwd)).summary.ok).toBe(true);
    server.answer(json(cutFeed(10, 41)));
    const dry = await sync(cwd, { dryRun: true });
    expect(dry.summary).toMatchObject({
      deleted: 0,
      collections: [{ partialFeed: { listed: 10, total: 41 } }],
    });
    expect(dry.log).toContain("the feed lists 10 of the collection's 41 items");
  });
});

describe('a partial feed keeps the mirrored images and files of the items it does not list', () => {
  it('the PDF of an unlisted upload stays until the collection really holds one item less', async () => {
    const cdn = new FakeCdn(() => server.url);
    (server as TestServer & { route(prefix: string, handler: never): void }).route('/1/', cdn.handler as never);
    const full = everyKindFeed(cdn);
    const cwd = await loopbackProject(endpoint);
    server.answer(json(full));
    expect((await sync(cwd)).summary.ok).toBe(true);
    const pdf = path.join(cwd, 'site/static/files/annual-report-2023.pdf');
    expect(existsSync(pdf)).toBe(true);

    const items = (full['items'] as { id: number }[]).filter((i) => i.id !== 103);
    server.answer(json({ ...full, items }));
    expect((await sync(cwd)).summary).toMatchObject({ deleted: 0 });
    expect(existsSync(pdf)).toBe(true);

    server.answer(json({ ...full, items, items_total_count: items.length }));
    expect((await sync(cwd)).summary).toMatchObject({ deleted: 1 });
    expect(existsSync(pdf)).toBe(false);
  });
});

describe('stacks in a partial feed, and --allow-partial-feed', () => {
  it("leaves a stack's post as is while the feed is partial; --allow-partial-feed takes it as whole", async () => {
    const cdn = new FakeCdn(() => server.url);
    const full = everyKindFeed(cdn);
    const cwd = await projectWithConfig(endpoint);
    server.answer(json(full));
    expect((await sync(cwd)).summary.ok).toBe(true);
    const stackPost = path.join(cwd, POSTS, 'reading-list.md');
    const before = await readFile(stackPost, 'utf8');
    expect(before).toContain('whiteboard.png');

    // The stack's image item is not listed, and neither is the note: the collection still counts them.
    const items = (full['items'] as { id: number }[]).filter((i) => i.id !== 109 && i.id !== 106);
    server.answer(json({ ...full, items }));
    const partial = (await sync(cwd)).summary;
    expect(partial).toMatchObject({ deleted: 0, updated: 0 });
    expect(await readFile(stackPost, 'utf8')).toBe(before);

    // The flag, through the built CLI.
    const forced = JSON.parse((await syncCli(cwd, ['--allow-partial-feed'])).stdout);
    expect(forced).toMatchObject({ deleted: 1, updated: 1 });
    expect(forced.collections[0].partialFeed).toBeUndefined();
    expect(await readFile(stackPost, 'utf8')).not.toContain('whiteboard.png');
  });
});
