import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { syncInProcess } from '../support/in-process.js';
import { json, startServer, type TestServer } from '../support/feed-server.js';

/**
 * Issue 23, point 1: in the generator profiles a post's date is when its item was created, and the update time goes
 * where the generator looks for it, so editing a bookmark in Dropmark neither reorders the site nor moves a Jekyll URL.
 */

const jekyllFound = spawnSync('jekyll', ['--version'], { encoding: 'utf8' }).status === 0;
if (!jekyllFound) console.warn('test/e2e/dates.test.ts: the jekyll build is skipped: jekyll is not installed');

let server: TestServer;
beforeAll(async () => {
  server = await startServer(json({ items: [] }));
});
afterAll(() => server.close());

const item = (updatedAt: string) => ({
  id: 501,
  name: 'Interoperability in practice',
  link: 'https://www.himss.org/news/interop',
  content: 'https://www.himss.org/news/interop',
  description: 'What the work group found.',
  created_at: '2024-03-10 09:00:00 UTC',
  updated_at: updatedAt,
  url: 'https://me.dropmark.com/616548/501',
});

async function site(profile: string, extra: string[] = []): Promise<string> {
  const dir = await tempDir();
  const config = ['siteDir: .', 'collections:', `  - endpoint: ${server.url}/616548.json`, `    profile: ${profile}`];
  await writeFile(
    path.join(dir, 'dropmark-sync.yaml'),
    [...config, ...extra, '    images:', '      mode: none', ''].join('\n'),
  );
  return dir;
}

async function syncWith(dir: string, updatedAt: string): Promise<void> {
  server.answer(json({ items: [item(updatedAt)] }));
  const result = await syncInProcess(dir);
  expect(result.summary.ok, result.log).toBe(true);
}

async function onlyFile(dir: string): Promise<[string, string]> {
  const [name, ...more] = await readdir(dir);
  expect(more).toEqual([]);
  return [name as string, await readFile(path.join(dir, name as string), 'utf8')];
}

describe('dates that do not move when an item is edited', () => {
  it.each([
    ['hugo', 'content/post', 'lastmod'],
    ['astro', 'content/post', 'updatedDate'],
    ['eleventy', 'content/post', undefined],
  ] as const)('%s: date is created_at; the update time is under its own key', async (profile, folder, updatedKey) => {
    const dir = await site(profile);
    await syncWith(dir, '2024-05-01 12:00:00 UTC');
    await syncWith(dir, '2024-06-02 08:30:00 UTC');
    const [, text] = await onlyFile(path.join(dir, folder));
    expect(text).toMatch(/^date: 2024-03-10T09:00:00Z$/m);
    if (updatedKey) expect(text).toContain(`\n${updatedKey}: 2024-06-02T08:30:00Z\n`);
    expect(text).not.toContain('2024-05-01');
    // The item's text is only its URL: its description is the body, and stays the page's description too.
    expect(text).toContain('\ndescription: What the work group found.\n');
  });

  it('bookmark keeps the reference schema: date is the last update', async () => {
    const dir = await site('bookmark');
    await syncWith(dir, '2024-05-01 12:00:00 UTC');
    const [, text] = await onlyFile(path.join(dir, 'content/post'));
    expect(text).toMatch(/^date: 2024-05-01T12:00:00Z$/m);
  });

  it('jekyll: the file name, date and URL keep the creation date; last_modified_at follows the edits', async () => {
    const dir = await site('jekyll', [
      '    contentDir: _posts',
      '    frontMatter:',
      '      add:',
      '        layout: post',
    ]);
    await mkdir(path.join(dir, '_layouts'));
    await writeFile(path.join(dir, '_config.yml'), 'exclude: [dropmark-sync.yaml, data]\n');
    await writeFile(
      path.join(dir, '_layouts', 'post.html'),
      '<time>{{ page.date | date_to_xmlschema }}</time><i>{{ page.last_modified_at }}</i>{{ content }}\n',
    );
    await syncWith(dir, '2024-05-01 12:00:00 UTC');
    const [before] = await onlyFile(path.join(dir, '_posts'));
    expect(before).toBe('2024-03-10-himss-interoperability-in-practice.md');
    await syncWith(dir, '2024-06-02 08:30:00 UTC');
    const [name, text] = await onlyFile(path.join(dir, '_posts'));
    expect(name).toBe(before);
    expect(text).toContain('\ndate: 2024-03-10T09:00:00Z\nlast_modified_at: 2024-06-02T08:30:00Z\n');
    if (!jekyllFound) return;
    const build = spawnSync('jekyll', ['build', '--quiet', '--source', dir, '--destination', path.join(dir, '_site')], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    });
    expect(build.status, build.stderr).toBe(0);
    const page = path.join(dir, '_site', '2024', '03', '10', 'himss-interoperability-in-practice.html');
    expect(existsSync(page)).toBe(true);
    const html = await readFile(page, 'utf8');
    expect(html).toContain('<time>2024-03-10T09:00:00+00:00</time>');
    expect(html).toContain('<i>2024-06-02 08:30:00 UTC</i>');
  });
});
