import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCdn } from '../support/cdn.js';
import { loopbackProject, syncCli } from '../support/cli.js';
import { EVERY_KIND_POSTS, everyKindFeed, PDF } from '../support/every-kind.js';
import { json, startServer, type TestServer } from '../support/feed-server.js';
import { jpeg } from '../support/images.js';

/**
 * Issue 22 as a reader of the built site sees it: every kind of Dropmark item synced by the
 * built CLI into a Hugo site, then a real `hugo` build. The uploaded image shows its original,
 * the uploaded file's link resolves to the mirrored file, and the stack's page lists its items.
 */
const hugoFound = spawnSync('hugo', ['version'], { encoding: 'utf8' }).status === 0;
if (!hugoFound) console.warn('test/e2e/kinds-hugo.test.ts skipped: hugo is not installed');

let server: TestServer & { route(prefix: string, handler: never): void };
let cdn: FakeCdn;
beforeEach(async () => {
  server = await startServer(json({ items: [] }));
  cdn = new FakeCdn(() => server.url);
  server.route('/1/', cdn.handler as never);
  server.answer(json(everyKindFeed(cdn)));
});
afterEach(() => server.close());

const SINGLE =
  '<h1>{{ .Title }}</h1>\n' +
  '<a class="link" href="{{ .Params.link }}">link</a>\n' +
  '{{ with .Params.image }}<img class="image" src="{{ . }}">{{ end }}\n' +
  '<main>{{ .Content }}</main>\n';

async function hugoSite(): Promise<string> {
  const images =
    '    images: { mode: local, dir: static/img/dropmark, urlPrefix: /img/dropmark, allowedHosts: ["127.0.0.1"], ' +
    'allowHttp: true }';
  const site = await loopbackProject(`${server.url}/616548.json`, ['    profile: hugo'], { siteDir: '.', images });
  await mkdir(path.join(site, 'layouts', '_default'), { recursive: true });
  await writeFile(
    path.join(site, 'hugo.toml'),
    'baseURL = "https://example.org/"\ndisableKinds = ["taxonomy", "term"]\n',
  );
  await writeFile(path.join(site, 'layouts', '_default', 'single.html'), SINGLE);
  await writeFile(path.join(site, 'layouts', '_default', 'list.html'), '{{ range .Pages }}{{ .Title }}{{ end }}\n');
  return site;
}

/** The built page of the post whose file is `<name>.md`, and the paths it links and shows. */
async function page(site: string, name: string): Promise<{ html: string; link: string; image: string }> {
  const html = await readFile(path.join(site, 'public', 'post', name, 'index.html'), 'utf8');
  return {
    html,
    link: /class="link" href="([^"]*)"/.exec(html)?.[1] ?? '',
    image: /class="image" src="([^"]*)"/.exec(html)?.[1] ?? '',
  };
}

const built = (site: string, urlPath: string) => readFile(path.join(site, 'public', ...urlPath.split('/')));

describe.skipIf(!hugoFound)('every kind of item in a real Hugo build (issue 22)', () => {
  it('shows the uploaded image, links the mirrored file, and lists the stack on its page', async () => {
    const site = await hugoSite();
    const sync = await syncCli(site, [], { json: false });
    expect(sync.code, sync.stderr).toBe(0);
    const build = spawnSync('hugo', ['--quiet', '--source', site], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    // The posts: the link, the photo, the report, the video, the audio, the note, the stack; not the stack's items.
    expect((await readdir(path.join(site, 'content', 'post'))).sort()).toEqual(EVERY_KIND_POSTS);

    const photo = await page(site, 'team-photo');
    expect(photo.image).toBe('/img/dropmark/team-photo.jpg');
    expect(await built(site, photo.image)).toEqual(jpeg('team photo'));
    expect(photo.link).toBe(photo.image);

    const report = await page(site, 'annual-report-2023');
    expect(report.link).toBe('/files/annual-report-2023.pdf');
    expect(await built(site, report.link)).toEqual(PDF);

    const stack = await page(site, 'reading-list');
    const inside = stack.html.indexOf('<a href="https://example.org/inside">Inside the stack</a>');
    // The uploaded image in the stack links to its mirrored original, and shows it.
    const board = stack.html.indexOf('<a href="/img/dropmark/reading-list-109.jpg">whiteboard.png</a>');
    expect(inside).toBeGreaterThan(-1);
    expect(board).toBeGreaterThan(inside);
    const boardImage = /<img src="(\/img\/dropmark\/reading-list-109\.[a-z]+)"/.exec(stack.html)?.[1] ?? '';
    expect(await built(site, boardImage)).toEqual(jpeg('whiteboard'));

    // Nothing the site publishes holds a signed URL.
    const published = spawnSync('grep', ['-rl', 'Signature=', path.join(site, 'public'), path.join(site, 'content')]);
    expect(published.stdout.toString()).toBe('');
    expect(existsSync(path.join(site, 'public', 'files', 'annual-report-2023.pdf'))).toBe(true);
  });
});
