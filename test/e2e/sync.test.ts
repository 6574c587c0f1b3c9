import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotDir as snapshot, snapshotTree } from '../support/tree.js';
import { POSTS, projectWithConfig, runCli, syncCli, tempDir } from '../support/cli.js';
import { syncInProcess } from '../support/in-process.js';
import { logText } from '../support/log.js';
import { expectedFiles, normalize, referenceFile, sampleFeed } from '../support/fixtures.js';
import { json, status, type TestServer } from '../support/feed-server.js';
import { useSampleFeedServer } from '../support/sample-feed-server.js';

let server: TestServer;
let endpoint: string;
useSampleFeedServer((s, e) => {
  server = s;
  endpoint = e;
});

/** The rules of a pass, in this process: `sync()` on the project's config, against the loopback feed. */
const sync = syncInProcess;

describe('dropmark-sync sync against a loopback feed (the built CLI where its flags or output are tested)', () => {
  it('reproduces the 41 real files byte for byte, the reference file too', async () => {
    const cwd = await projectWithConfig(endpoint);
    const result = await syncCli(cwd);
    expect(result.stderr).toMatch(/done: 41 created, 0 updated, 0 deleted, 0 unchanged, 0 failed/);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      created: 41,
      updated: 0,
      deleted: 0,
      unchanged: 0,
      failed: 0,
      imagesDownloaded: 0,
    });
    // 41 posts, and the state file that tells hand-edited bodies from upstream changes.
    expect(summary.files).toHaveLength(42);
    expect(summary.files).toContain('data/dropmark-sync/bodies-content-post.json');

    const expected = expectedFiles();
    const written = await snapshot(path.join(cwd, POSTS));
    expect([...written.keys()]).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) {
      expect(normalize(written.get(name)?.text ?? '', endpoint), name).toBe(normalize(text));
    }
    const reference = referenceFile();
    expect(normalize(written.get(reference.name)?.text ?? '', endpoint)).toBe(normalize(reference.text));
  });

  it('touches no file on a second sync of the same feed (same inode, same mtime)', async () => {
    const cwd = await projectWithConfig(endpoint);
    expect((await sync(cwd)).summary.ok).toBe(true);
    const before = await snapshot(path.join(cwd, POSTS));
    // No pause needed for the mtime to be able to differ: every write is a temp file renamed
    // into place, so a rewritten file has a new inode whatever the clock's granularity.
    const second = await sync(cwd);
    expect(second.summary).toMatchObject({ ok: true, created: 0, updated: 0, deleted: 0, unchanged: 41, files: [] });
    expect(await snapshot(path.join(cwd, POSTS))).toEqual(before);
  });

  it('gives every item the same socialScore on every site and run (the origin drew it at random)', async () => {
    const first = await projectWithConfig(endpoint);
    const other = await projectWithConfig(endpoint);
    expect((await sync(first)).summary.ok).toBe(true);
    expect((await sync(other)).summary.ok).toBe(true);
    const a = await snapshot(path.join(first, POSTS));
    const b = await snapshot(path.join(other, POSTS));
    expect(a.size).toBe(41);
    for (const [name, f] of a) expect(b.get(name)?.text, name).toBe(f.text);
    // Golden values (FNV-1a of the item id, worked out outside the code): the fixtures hold the
    // origin's random scores, which normalize() hides, so these are what pins the score.
    const score = (name: string) => /^socialScore: (\d+)$/m.exec(a.get(`${name}.md`)?.text ?? '')?.[1];
    expect(
      score('academic-oup-early-experiences-with-patient-generated-health-data-health-system-and-patient-perspectives'),
    ).toBe('11');
    expect(score('cnbc-bill-gates-says-he-talked-with-google-employees-about-ai-health-care')).toBe('42');
    expect(score('fastcompany-why-gene-therapies-don-t-work-for-everyone')).toBe('23');
  });

  it('takes --endpoint and --site-dir without a config file', async () => {
    // Defaults apply (image mode local): no thumbnails here, so nothing is fetched from outside.
    const feed = sampleFeed();
    for (const item of feed.items) item['thumbnail'] = null;
    server.answer(json(feed));
    const cwd = await tempDir();
    const result = await runCli(['sync', '--endpoint', endpoint, '--site-dir', 'elsewhere'], { cwd });
    expect(result.code).toBe(0);
    expect(await readdir(path.join(cwd, 'elsewhere/content/post'))).toHaveLength(41);
  });

  it('refuses a bad config before any request, naming the key', async () => {
    const cwd = await projectWithConfig(endpoint, '    deletions: sometimes');
    const result = await syncCli(cwd);
    expect(result.code).toBe(1);
    expect(logText(result.stderr)).toMatch(/collections\[0\]\.deletions: must be "delete" or "keep"/);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses an unknown option with exit 1', async () => {
    const result = await runCli(['sync', '--dry-rn'], { cwd: await tempDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Unknown option '--dry-rn'/);
  });

  it('--help lists the options that exist', async () => {
    const result = await runCli(['sync', '--help'], { cwd: await tempDir() });
    expect(result.code).toBe(0);
    for (const option of ['--config', '--endpoint', '--site-dir', '--json', '--allow-mass-delete']) {
      expect(result.stdout).toContain(option);
    }
  });

  it('the top-level help says what holds: every command takes --help, and --version prints the version', async () => {
    const cwd = await tempDir();
    const help = await runCli(['--help'], { cwd });
    expect(help.stdout).toContain('Every command takes --help; dropmark-sync --version prints the version.');
    const commands = [...help.stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1] ?? '');
    expect(commands).toEqual(['sync', 'schedule', 'status', 'validate', 'init']);
    for (const command of commands) {
      const result = await runCli([command, '--help'], { cwd });
      expect(result.code, command).toBe(0);
      expect(result.stdout, command).toContain(`dropmark-sync ${command}`);
    }
    const unknown = await runCli(['help', 'bogus'], { cwd });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command "bogus"/);
    const version = await runCli(['--version'], { cwd });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('fails on a feed that is not JSON and changes nothing on disk', async () => {
    const cwd = await projectWithConfig(endpoint);
    await sync(cwd);
    const before = await snapshot(path.join(cwd, POSTS));
    server.answer(status(200, { 'content-type': 'text/html' }, '<html>maintenance</html>'));
    const result = await sync(cwd);
    expect(result.summary.ok).toBe(false);
    expect(result.log).toMatch(/not JSON \(it looks like an HTML page/);
    expect(await snapshot(path.join(cwd, POSTS))).toEqual(before);
  });

  it('refuses a feed larger than http.maxBodyBytes, announced by Content-Length or found while streaming', async () => {
    const cwd = await projectWithConfig(endpoint, '');
    await writeFile(
      path.join(cwd, 'dropmark-sync.yaml'),
      (await readFile(path.join(cwd, 'dropmark-sync.yaml'), 'utf8')).replace(
        'http:\n',
        'http:\n  maxBodyBytes: 1000\n',
      ),
    );
    // A Content-Length over the cap: the body is dropped unread.
    const big = JSON.stringify(sampleFeed());
    server.answer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) });
      res.end(big);
    });
    const announced = await sync(cwd);
    expect(announced.log).not.toMatch(/unexpected error|Unhandled|RequestAbortedError/);
    expect(announced.summary.ok).toBe(false);
    expect(announced.log).toMatch(/larger than 1000 bytes \(http\.maxBodyBytes\)/);
    server.answer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items":[');
      res.end(`${'{"id":1},'.repeat(500)}{"id":2}]}`);
    });
    const streamed = await sync(cwd);
    expect(streamed.summary.ok).toBe(false);
    expect(streamed.log).toMatch(/larger than 1000 bytes/);
    expect(existsSync(path.join(cwd, POSTS))).toBe(false);
  });

  it('gives up on HTTP 500 after the configured retries', async () => {
    server.answer(status(500));
    const cwd = await projectWithConfig(endpoint);
    const result = await sync(cwd);
    expect(result.summary.ok).toBe(false);
    expect(server.requests).toHaveLength(3);
    expect(result.log).toMatch(/HTTP 500: the server failed.*gave up after 3 attempts/);
    expect(result.summary.collections[0]?.error).toMatch(/HTTP 500/);
  });

  it('waits for Retry-After on 429, then syncs', async () => {
    server.answer(status(429, { 'retry-after': '1' }), json(sampleFeed()));
    const cwd = await projectWithConfig(endpoint);
    const result = await sync(cwd);
    expect(result.summary.ok).toBe(true);
    expect(server.requests).toHaveLength(2);
    const retry = result.records.find((r) => String(r['msg']).startsWith('feed request failed, will retry'));
    expect([retry?.['retryAfterMs'], retry?.['waitMs']]).toEqual([1000, 1000]);
  });

  it('refuses an empty feed after a full one and deletes nothing, unless --allow-mass-delete', async () => {
    const cwd = await projectWithConfig(endpoint);
    await sync(cwd);
    server.answer(json({ items: [] }));
    const refused = await sync(cwd);
    expect(refused.summary.ok).toBe(false);
    expect(refused.log).toMatch(/lists no items.*--allow-mass-delete/);
    expect(await readdir(path.join(cwd, POSTS))).toHaveLength(41);
    const forced = await sync(cwd, { allowMassDelete: true });
    expect(forced.summary.ok).toBe(true);
    expect(await readdir(path.join(cwd, POSTS))).toHaveLength(0);
  });

  it('deletes the file of an item gone from the feed, and only that', async () => {
    const cwd = await projectWithConfig(endpoint);
    await sync(cwd);
    await writeFile(path.join(cwd, POSTS, 'about.md'), '---\ntitle: About\n---\nmine\n');
    const feed = sampleFeed();
    const gone = feed.items.shift() as { id: number };
    server.answer(json(feed));
    const result = await sync(cwd);
    expect(result.summary).toMatchObject({ deleted: 1, unchanged: 40 });
    const names = await readdir(path.join(cwd, POSTS));
    expect(names).toHaveLength(41);
    expect(names).toContain('about.md');
    expect(JSON.stringify(result.summary.files)).toContain('academic-oup');
    expect(gone.id).toBe(18698541);
  });

  it('writes an item whose fields are all missing or null', async () => {
    server.answer(
      json({
        items: [
          {
            id: 99,
            name: null,
            description: null,
            content: null,
            link: null,
            thumbnail: null,
            tags: null,
            created_at: null,
            updated_at: null,
            url: null,
          },
        ],
      }),
    );
    const cwd = await projectWithConfig(endpoint);
    const result = await sync(cwd);
    expect(result.summary.ok).toBe(true);
    const text = await readFile(path.join(cwd, POSTS, 'item-99.md'), 'utf8');
    const head = new RegExp(
      /^---\narchetype: bookmark\ndate: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\ndescription: ""\n/.source +
        /dropmark\.editURL: http:\/\/127\.0\.0\.1:\d+\/616548\/99\n/.source,
    );
    expect(text).toMatch(head);
    expect(text).toMatch(/\ntitle: ""\n---\n$/);
    // A second run keeps the date it chose the first time.
    const again = await sync(cwd);
    expect(again.summary).toMatchObject({ unchanged: 1 });
  });

  it('syncs every other item when one item nests 50,000 quotes deep, and names that one', async () => {
    const feed = sampleFeed();
    const deep = {
      ...(feed.items[0] as object),
      id: 99200001,
      name: 'Deep',
      content: `${'>'.repeat(50_000)} <b>x</b>`,
    };
    server.answer(json({ ...feed, items: [...feed.items, deep] }));
    const cwd = await projectWithConfig(endpoint);
    const result = await sync(cwd);
    expect(result.summary).toMatchObject({ created: 41, failed: 1 });
    expect(JSON.stringify(result.summary)).toContain(
      'item 99200001: its text nests quotes, lists or emphasis more than 100',
    );
    expect(result.log).not.toContain('Maximum call stack size exceeded');
    expect(await readdir(path.join(cwd, POSTS))).toHaveLength(41);
  });

  it('gives two items with the same slug two files, stable across runs', async () => {
    const twin = (id: number) => ({
      id,
      name: 'Same Title',
      link: 'https://www.example.com/a',
      content: `body ${id}`,
      url: `https://x.dropmark.com/1/${id}`,
      updated_at: '2020-01-01 00:00:00 UTC',
    });
    server.answer(json({ items: [twin(20), twin(10)] }));
    const cwd = await projectWithConfig(endpoint);
    await sync(cwd);
    expect((await readdir(path.join(cwd, POSTS))).sort()).toEqual([
      'example-same-title-20.md',
      'example-same-title.md',
    ]);
    expect(await readFile(path.join(cwd, POSTS, 'example-same-title.md'), 'utf8')).toMatch(/body 10$/);
    server.answer(json({ items: [twin(10), twin(20)] }));
    expect((await sync(cwd)).summary).toMatchObject({ unchanged: 2, created: 0, updated: 0 });
  });

  it('never prints or writes the read key', async () => {
    const secret = 'topsecret-key-8731';
    const cwd = await projectWithConfig(endpoint);
    server.answer(status(500));
    const failed = await syncCli(cwd, [], { env: { DROPMARK_API_KEY: secret, LOG_LEVEL: 'debug' } });
    server.answer(json(sampleFeed()));
    const ok = await syncCli(cwd, [], { env: { DROPMARK_API_KEY: secret, LOG_LEVEL: 'debug' } });
    expect(ok.code).toBe(0);
    expect(server.requests.every((r) => r.url.includes(`key=${secret}`))).toBe(true);
    const everything = [
      failed.stdout,
      failed.stderr,
      ok.stdout,
      ok.stderr,
      ...[...(await snapshot(path.join(cwd, POSTS))).values()].map((f) => f.text),
    ].join('\n');
    expect(everything).not.toContain(secret);
  });

  it('never prints or writes a query parameter whose name says it is a credential; the other parameters stay', {
    timeout: 60_000,
  }, async () => {
    const secrets = ['aaa-auth-5511', 'bbb-token-5512', 'ccc-sig-5513', 'ddd-amzsig-5514', 'eee-keypair-5515'];
    const query =
      `auth=${secrets[0]}&access_token=${secrets[1]}&sig=${secrets[2]}` +
      `&X-Amz-Signature=${secrets[3]}&Key-Pair-Id=${secrets[4]}&page=2`;
    const base = endpoint.replace(/\/[^/]*$/, '');
    const cwd = await projectWithConfig(`"${base}/1.json?${query}"`);
    const env = { LOG_LEVEL: 'debug' };
    const run = (...args: string[]) => runCli(args, { cwd, env });
    server.answer(status(404));
    const failed = await run('sync', '--config', 'dropmark-sync.yaml', '--json', '--report', 'failed.md');
    expect(failed.code).toBe(1);
    const failedStatus = await run('status', '--config', 'dropmark-sync.yaml', '--json');
    // The feed moves to a URL signed in its own query: the hop is shown, its signature is not.
    server.answer(
      status(302, { location: `/moved.json?page=2&X-Amz-Signature=${secrets[3]}&Policy=${secrets[0]}` }),
      json(sampleFeed()),
    );
    const ok = await run('sync', '--config', 'dropmark-sync.yaml', '--json', '--report', 'report.md');
    expect(ok.code).toBe(0);
    const okStatus = await run('status', '--config', 'dropmark-sync.yaml', '--json');
    const statusText = await run('status', '--config', 'dropmark-sync.yaml');
    // The server got every parameter: only what is shown and written loses them.
    expect(server.requests.map((r) => r.url)).toEqual([
      `/1.json?${query}`,
      `/1.json?${query}`,
      `/moved.json?page=2&X-Amz-Signature=${secrets[3]}&Policy=${secrets[0]}`,
    ]);
    expect(JSON.parse(failed.stdout).collections[0].error).toBe(
      `GET ${base}/1.json?page=2: HTTP 404: no such collection. ` +
        'Check the endpoint URL (https://USER.dropmark.com/ID.json)',
    );
    const written = await snapshotTree(cwd, (rel) => rel === 'dropmark-sync.yaml');
    const outputs = [failed, failedStatus, ok, okStatus, statusText].flatMap((r) => [r.stdout, r.stderr]);
    const everything = [...outputs, ...[...written.values()].map((f) => f.bytes.toString('utf8'))].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect([...written.keys()]).toEqual(expect.arrayContaining(['failed.md', 'report.md']));
    const post = await readFile(path.join(cwd, POSTS, 'himss-health-innovation-are-we-getting-it-right.md'), 'utf8');
    expect(post).toContain(`apiendpoint: ${base}/1.json?page=2\n`);
    expect(JSON.parse(okStatus.stdout).collections[0].endpoint).toBe(`${base}/1.json?page=2`);
  });

  it('keeps keys a person added by hand when the item changes', async () => {
    const cwd = await projectWithConfig(endpoint);
    await sync(cwd);
    const file = path.join(cwd, POSTS, 'himss-health-innovation-are-we-getting-it-right.md');
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text
        .replace('archetype: bookmark\n', 'archetype: bookmark\naliases:\n- /old/path\n')
        .replace('link:', 'draft: true\nlink:'),
    );
    const feed = sampleFeed();
    const target = feed.items.find((i) => i['id'] === 18062145) as Record<string, unknown>;
    target['name'] = 'Health Innovation: Are We Getting it Right?';
    target['description'] = 'A changed description';
    server.answer(json(feed));
    const result = await sync(cwd);
    expect(result.summary).toMatchObject({ updated: 1 });
    const after = await readFile(file, 'utf8');
    expect(after).toContain('aliases:\n- /old/path\narchetype: bookmark\n');
    expect(after).toContain('\ndraft: true\ndropmark.editURL:');
    expect(after).toContain('A changed description');
  });

  it('never writes through a symlinked content folder', async () => {
    const cwd = await projectWithConfig(endpoint);
    const outside = await tempDir('dms-outside-');
    await mkdir(path.join(cwd, 'site/content'), { recursive: true });
    const { symlink } = await import('node:fs/promises');
    await symlink(outside, path.join(cwd, POSTS));
    const result = await sync(cwd);
    expect(result.summary.ok).toBe(false);
    expect(result.log).toMatch(/symbolic link; refusing to write through it/);
    expect(await readdir(outside)).toEqual([]);
  });
});
