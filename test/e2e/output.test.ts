import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';
import { json, startServer, status, type TestServer } from '../support/feed-server.js';

// Two items: one with a thumbnail the CDN answers 404 for (a degraded run), one without.
let server: TestServer & { route(prefix: string, handler: Parameters<TestServer['answer']>[0]): void };
beforeEach(async () => {
  server = await startServer();
  server.answer(
    json({
      items: [
        {
          id: 1,
          name: 'With a dead image',
          link: 'https://example.com/1',
          url: 'https://x.dropmark.com/1/1',
          updated_at: '2024-03-07 22:29:46 UTC',
          thumbnail: `${server.url}/cdn/dead.jpg`,
        },
        {
          id: 2,
          name: 'Plain',
          link: 'https://example.com/2',
          url: 'https://x.dropmark.com/1/2',
          updated_at: '2024-03-07 22:29:46 UTC',
          thumbnail: null,
        },
      ],
    }),
  );
  server.route('/cdn/', status(404));
});
afterEach(() => server.close());

async function project(images = 'local'): Promise<string> {
  const cwd = await tempDir();
  await writeFile(
    path.join(cwd, 'dropmark-sync.yaml'),
    `siteDir: site\ncollections:\n  - endpoint: ${server.url}/1.json\n` +
      `    images: { mode: ${images}, allowHttp: true, allowedHosts: ["127.0.0.1"] }\n` +
      'http: { retries: 0, allowPrivateNetworks: true }\n',
  );
  return cwd;
}
const sync = (cwd: string, args: string[] = [], env: Record<string, string> = {}) =>
  runCli(['sync', '--config', 'dropmark-sync.yaml', ...args], { cwd, env });
const ANSI = /\x1b\[[0-9;]*m/;

describe('one format per stream', () => {
  it(
    'without a terminal, stderr is JSON lines only, ' +
      'and the last record is the summary with every count and failure',
    async () => {
      const cwd = await project();
      const result = await sync(cwd);
      expect(result.code).toBe(0);
      const lines = result.stderr.trimEnd().split('\n');
      const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const last = records.at(-1) as Record<string, unknown> & {
        collections: { imageFailures: { itemId: string; reason: string }[] }[];
      };
      expect(last).toMatchObject({
        level: 40,
        result: 'degraded',
        created: 2,
        updated: 0,
        deleted: 0,
        failed: 0,
        imagesMissing: 1,
      });
      expect(last['msg']).toMatch(/^dropmark-sync: degraded: 2 created, .*1 images missing/);
      // Counts and failures, not every changed path: a large first sync stays one short line.
      expect(last).toMatchObject({ changedFiles: 3 }); // two posts and the body hashes
      expect(last).not.toHaveProperty('files');
      expect(last.collections[0]).not.toHaveProperty('changes');
      expect(last.collections[0]?.imageFailures).toEqual([
        { itemId: '1', title: 'With a dead image', reason: expect.stringMatching(/cdn\/dead\.jpg: HTTP 404/) },
      ]);
      // Each failure once: only the summary names the dead image.
      expect(lines.filter((l) => l.includes('dead.jpg'))).toHaveLength(1);
    },
  );

  it('a config error is a JSON record too', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'dropmark-sync.yaml'), 'sitedir: site\ncollections: []\n');
    const result = await sync(cwd);
    expect(result.code).toBe(1);
    const record = JSON.parse(result.stderr.trimEnd());
    expect(record).toMatchObject({
      level: 50,
      msg: expect.stringMatching(/sitedir: unknown key; did you mean siteDir\?/),
    });
  });

  it(
    '--log-format pretty: readable lines and the summary text, ' + 'each failure once; no colour without a terminal',
    async () => {
      const cwd = await project();
      const result = await sync(cwd, ['--log-format', 'pretty']);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^dropmark-sync: degraded: 2 created, .*1 images missing/m);
      expect(result.stderr).toMatch(
        /^ {2}image missing: item 1 "With a dead image": image 127\.0\.0\.1:\d+\/cdn\/dead\.jpg: HTTP 404/m,
      );
      expect(result.stderr.match(/dead\.jpg/g)).toHaveLength(1);
      expect(result.stderr).not.toMatch(/^\{/m);
      expect(result.stderr).not.toMatch(ANSI);
    },
  );

  it('FORCE_COLOR colours readable lines; NO_COLOR and --no-color win over it', async () => {
    const cwd = await project('none');
    expect((await sync(cwd, ['--log-format', 'pretty', '--full'], { FORCE_COLOR: '1' })).stderr).toMatch(ANSI);
    expect(
      (await sync(cwd, ['--log-format', 'pretty', '--full'], { FORCE_COLOR: '1', NO_COLOR: '1' })).stderr,
    ).not.toMatch(ANSI);
    expect(
      (await sync(cwd, ['--log-format', 'pretty', '--full', '--no-color'], { FORCE_COLOR: '1' })).stderr,
    ).not.toMatch(ANSI);
  });

  it('--quiet: a clean run prints nothing; a degraded one prints only its summary, as a warning', async () => {
    const clean = await sync(await project('none'), ['--quiet']);
    expect(clean.code).toBe(0);
    expect(clean.stderr).toBe('');
    const degraded = await sync(await project(), ['--quiet']);
    expect(degraded.code).toBe(0);
    const records = degraded.stderr
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ level: 40, result: 'degraded' });
  });

  it('LOG_LEVEL=silent prints nothing at all, the summary included', async () => {
    const result = await sync(await project(), [], { LOG_LEVEL: 'silent' });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('an unknown LOG_LEVEL is an error naming it, before any request', async () => {
    const result = await sync(await project(), [], { LOG_LEVEL: 'bogus' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /LOG_LEVEL "bogus" is not a level; use one of trace, debug, info, warn, error, fatal, silent/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('an unknown --log-format is refused with the choices', async () => {
    const result = await sync(await project(), ['--log-format', 'xml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--log-format "xml" is not one of: json, pretty/);
  });
});

describe('help', () => {
  it('"help sync" is the help of sync, made from its declaration, and names every option', async () => {
    const result = await runCli(['help', 'sync'], { cwd: await tempDir() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: dropmark-sync sync \[options\]/);
    for (const option of [
      '--config FILE',
      '--retry-images',
      '--log-format FORMAT',
      '-q, --quiet',
      '--no-color',
      '--dry-run',
      '--check',
    ]) {
      expect(result.stdout).toContain(option);
    }
  });
});
