import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectWithConfig, runCli } from '../support/cli.js';
import { json, startServer, type TestServer } from '../support/feed-server.js';
import { feedJson, syntheticItems, type SyntheticItem } from '../support/synthetic.js';

// Files on disk a person made or changed: a name that is not UTF-8.
let server: TestServer;
let items: SyntheticItem[];

beforeEach(async () => {
  items = syntheticItems({ count: 10 });
  server = await startServer((req, res) => json(feedJson(items, (p) => p))(req, res));
});
afterEach(() => server.close());

const POSTS = 'site/content/post';
const project = () => projectWithConfig(`${server.url}/616548.json`);
const sync = (cwd: string, ...args: string[]) =>
  runCli(['sync', '--config', 'dropmark-sync.yaml', '--json', '--log-format', 'pretty', ...args], { cwd });
const validate = (cwd: string) => runCli(['validate', '--config', 'dropmark-sync.yaml'], { cwd });

describe('a file name that is not UTF-8', () => {
  it('is not the tool’s: a warning with the name escaped, the sync goes on, validate does not fail on it', async () => {
    const cwd = await project();
    expect((await sync(cwd)).code).toBe(0);
    const odd = Buffer.concat([Buffer.from(path.join(cwd, POSTS, '/')), Buffer.from([0xff, 0xfe]), Buffer.from('.md')]);
    await writeFile(odd, 'y');
    items = items.map((i, n) => (n === 0 ? { ...i, description: 'Changed upstream.' } : i));

    const result = await sync(cwd);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ created: 0, updated: 1, deleted: 0, failed: 0, unchanged: 9 });
    expect(result.stderr).toContain('content/post/\\xff\\xfe.md: the file name is not UTF-8; not a file of this tool');
    expect(result.stderr).not.toContain('\ufffd');

    const second = await sync(cwd);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ created: 0, updated: 0, deleted: 0, failed: 0, files: [] });

    const checked = await validate(cwd);
    expect(checked.stderr).not.toMatch(/This is a bug|unexpected error/);
    expect(checked.stderr).toContain('note: content/post/\\xff\\xfe.md: the file name is not UTF-8');
    expect(checked.code).toBe(0);
    expect(await readFile(odd, 'utf8')).toBe('y');
  });
});
