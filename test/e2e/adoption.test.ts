import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { validateForGitHub } from '../support/action-runner.js';
import { tempDir } from '../support/cli.js';
import { committedRepo, git } from '../support/git.js';
import { FakeCdn } from '../support/cdn.js';
import { json, startServer, type Handler, type TestServer } from '../support/feed-server.js';
import { sampleFeed } from '../support/fixtures.js';
import { jpeg } from '../support/images.js';

/**
 * A site owner's path, offline: the packed tarball installed into a fresh git repository
 * shaped like a Hugo site, `init --github --yes`, a sync with no --config, what git sees, and
 * a fresh clone with the restored cache polling an unchanged feed.
 */
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const sh = (cwd: string, command: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync(command, args, { cwd, env: { ...process.env, ...env }, stdio: 'pipe', encoding: 'utf8' });

/** Asynchronous, so the loopback servers in this process can answer the child. */
function npx(cwd: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

type Server = TestServer & { route(prefix: string, handler: Handler): void };
let server: Server;
let cdn: FakeCdn;
let etagRequests: string[] = [];

/** The sample feed, its thumbnails on the loopback CDN, behind an ETag as Dropmark's CDN sends it. */
function feedHandler(): Handler {
  const feed = sampleFeed();
  feed.items.slice(0, 3).forEach((item, i) => {
    cdn.put(`/cdn/1/thumb-${i}.jpg`, jpeg(`thumb-${i}`));
    (item as Record<string, unknown>)['thumbnail'] = cdn.sign(`/cdn/1/thumb-${i}.jpg`);
  });
  for (const item of feed.items.slice(3)) (item as Record<string, unknown>)['thumbnail'] = null;
  return (req, res) => {
    etagRequests.push(String(req.headers['if-none-match'] ?? ''));
    if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { etag: '"v1"' }).end();
    json(feed, 200, { etag: '"v1"' })(req, res);
  };
}

beforeAll(async () => {
  server = (await startServer()) as Server;
  cdn = new FakeCdn(() => server.url);
  server.route('/cdn/', cdn.handler);
  server.answer(feedHandler());
});
afterAll(async () => {
  await server.close();
});

const hugoSite = async (): Promise<string> =>
  committedRepo(path.join(await tempDir('dms-adopt-'), 'my-site'), {
    'hugo.toml': 'baseURL = "https://example.org/"\ntitle = "My site"\n',
    'content/posts/hello.md': '---\ntitle: Hello\n---\nWritten by hand.\n',
    'static/.gitkeep': '',
    'package.json': '{ "name": "my-site", "private": true }\n',
  });

// The two installs run side by side: the git-URL one waits on npm for most of a minute.
describe('adding dropmark-sync to a site', () => {
  it.concurrent('pack, install, init, sync; git sees only content, ' +
    'images and state; a clone with the cache polls for one 304', async () => {
    const site = await hugoSite();
    // npm test has built dist/ already; the tarball must carry it and need no build. In the site's
    // vendor/ folder, committed, as the README says: a fresh clone's npm ci finds it there.
    const packDir = path.join(site, 'vendor');
    await mkdir(packDir);
    const tarball = sh(repo, 'npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir]).trim();
    sh(site, 'npm', [
      'install',
      '--save-dev',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--ignore-scripts',
      `./vendor/${tarball}`,
    ]);
    expect(await readdir(path.join(site, 'node_modules/dropmark-sync/dist'))).toContain('cli.js');
    // The installed bin and the library run on the dependencies npm installed beside them.
    const { version } = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8'));
    expect(sh(site, 'npx', ['dropmark-sync', '--version'])).toBe(`${version}\n`);
    const library = "import('dropmark-sync').then((m) => console.log(typeof m.sync, typeof m.loadConfig))";
    expect(sh(site, process.execPath, ['--input-type=module', '-e', library])).toBe('function function\n');

    const endpoint = `${server.url}/616548.json`;
    const init = sh(site, 'npx', ['dropmark-sync', 'init', '--endpoint', endpoint, '--github', '--yes']);
    expect(init).toMatch(/Detected: a Hugo site \(hugo\.toml\)/);
    expect(init).toMatch(/wrote dropmark-sync\.yaml\nwrote \.gitignore\nwrote \.github\/workflows\/dropmark-sync\.yml/);
    expect(init).toContain(
      '  git add dropmark-sync.yaml .gitignore .github/workflows/dropmark-sync.yml layouts/posts/single.html ' +
        `package.json package-lock.json vendor/${tarball}\n`,
    );
    const config = await readFile(path.join(site, 'dropmark-sync.yaml'), 'utf8');
    expect(config).toMatch(
      /^# yaml-language-server: \$schema=\.\/node_modules\/dropmark-sync\/schema\/dropmark-sync\.schema\.json\n/,
    );
    expect(config).toContain('    contentDir: content/posts ');
    expect(config).toContain('    profile: hugo ');
    // The loopback CDN is plain http on 127.0.0.1: allowed here, as a test of one's own CDN would.
    await writeFile(
      path.join(site, 'dropmark-sync.yaml'),
      `${config.replace(
        '      svg: refuse',
        '      svg: refuse\n      allowedHosts: ["127.0.0.1"]\n      allowHttp: true',
      )}http: { allowPrivateNetworks: true, retries: 0 }\n`,
    );

    const first = await npx(site, 'dropmark-sync', 'sync', '--json');
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ created: 41, failed: 0, imagesDownloaded: 3 });
    expect((await readdir(path.join(site, 'content/posts'))).length).toBe(42);

    // What git sees: only what the workflow adds, and the files init wrote; nothing it adds is ignored.
    const workflow = parseYaml(await readFile(path.join(site, '.github/workflows/dropmark-sync.yml'), 'utf8'));
    const addPaths = (workflow.jobs.sync.steps.at(-1).with['add-paths'] as string).trim().split('\n');
    expect(addPaths).toEqual(['content/posts', 'static/img/posts', 'static/files', 'data/dropmark-sync']);
    const status = git(site, 'status', '--porcelain', '--untracked-files=all')
      .trimEnd()
      .split('\n')
      .map((l) => l.slice(3));
    const fromInit = [
      '.github/workflows/dropmark-sync.yml',
      '.gitignore',
      'dropmark-sync.yaml',
      // The site had no layout for its posts: init wrote one.
      'layouts/posts/single.html',
      'package.json',
      'package-lock.json',
      `vendor/${tarball}`,
    ];
    const outside = status.filter((p) => !fromInit.includes(p) && !addPaths.some((a) => p.startsWith(`${a}/`)));
    expect(outside).toEqual([]);
    expect(status.filter((p) => p.startsWith('static/img/posts/'))).toHaveLength(3);
    const ignored = spawnSync('git', ['check-ignore', '--no-index', ...status], { cwd: site, encoding: 'utf8' });
    expect(ignored.stdout).toBe('');

    // Both the action and the generated workflow are valid for GitHub.
    for (const file of [path.join(repo, 'action.yml'), path.join(site, '.github/workflows/dropmark-sync.yml')]) {
      const checked = validateForGitHub(file);
      expect(checked.status, `${file}: ${checked.output}`).toBe(0);
    }

    git(site, 'add', '-A');
    git(site, 'commit', '-q', '-m', 'dropmark-sync');
    const clone = path.join(path.dirname(site), 'clone');
    git(path.dirname(site), 'clone', '-q', site, clone);
    await cp(path.join(site, '.cache'), path.join(clone, '.cache'), { recursive: true });
    await symlink(path.join(site, 'node_modules'), path.join(clone, 'node_modules'));
    etagRequests = [];
    const poll = await npx(clone, 'dropmark-sync', 'sync', '--json');
    expect(poll.status, poll.stderr).toBe(0);
    expect(JSON.parse(poll.stdout).collections[0].result).toBe('not-modified');
    expect(etagRequests).toEqual(['"v1"']);
    expect(git(clone, 'status', '--porcelain')).toBe('');
  }, 120_000);

  const isGitCheckout = spawnSync('git', ['rev-parse', '--verify', 'HEAD'], { cwd: repo }).status === 0;
  (isGitCheckout ? it.concurrent : it.skip)(
    'installs from a git URL too: npm builds it on the way (prepare), and the CLI runs',
    async () => {
      const site = await hugoSite();
      // Asynchronous, so the other install's test runs meanwhile.
      await promisify(execFile)(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefer-offline', `git+file://${repo}`],
        {
          cwd: site,
        },
      );
      expect(sh(site, 'npx', ['dropmark-sync', '--version']).trim()).toBe(
        JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')).version,
      );
      expect(await readdir(path.join(site, 'node_modules/dropmark-sync'))).toEqual(
        expect.arrayContaining(['dist', 'schema', 'LICENSE']),
      );
    },
    // npm installs every dev dependency to run "prepare" (Eleventy, Stryker, esbuild among them):
    // about a minute from the cache on a quiet 2-core machine, three on a loaded one.
    300_000,
  );

  it('init refuses to overwrite without --force, and needs an endpoint with --yes', async () => {
    const site = await hugoSite();
    const cli = path.join(repo, 'dist/cli.js');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [cli, 'init', ...args], { cwd: site, encoding: 'utf8' });
    expect(run('--yes').stderr).toMatch(/pass --endpoint URL/);
    expect(run('--endpoint', 'ftp://nope', '--yes').stderr).toMatch(
      /collections\[0\]\.endpoint: must be an http\(s\) URL/,
    );
    expect(run('--endpoint', 'https://me.dropmark.com/1.json', '--yes').status).toBe(0);
    const again = run('--endpoint', 'https://me.dropmark.com/2.json', '--yes');
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/dropmark-sync\.yaml already exists; nothing was written\. Use --force to overwrite/);
    expect(await readFile(path.join(site, 'dropmark-sync.yaml'), 'utf8')).toContain('https://me.dropmark.com/1.json');
    expect(run('--endpoint', 'https://me.dropmark.com/2.json', '--yes', '--force').status).toBe(0);
    expect(await readFile(path.join(site, 'dropmark-sync.yaml'), 'utf8')).toContain('https://me.dropmark.com/2.json');
    expect((await readFile(path.join(site, '.gitignore'), 'utf8')).match(/\.dropmark-sync\.lock/g)).toHaveLength(1);
  });
});
