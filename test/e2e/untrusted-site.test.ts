import { execFileSync, spawnSync } from 'node:child_process';
import { appendFile, chmod, cp, mkdir, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/index.js';
import { syncCli, tempDir } from '../support/cli.js';
import { json, type TestServer } from '../support/feed-server.js';
import { sampleFeed } from '../support/fixtures.js';
import { committedRepo, git } from '../support/git.js';
import { syncInProcess } from '../support/in-process.js';
import { useSampleFeedServer } from '../support/sample-feed-server.js';

/**
 * A site that is a stranger's (a cloned site repository, or a copied folder with its own
 * `.git`): nothing in it makes the tool run a program. Every program it plants records its
 * name in a markers folder, which must stay empty.
 */

let server: TestServer;
let endpoint: string;
useSampleFeedServer((s, e) => {
  server = s;
  endpoint = e;
});

interface Traps {
  /** Stays empty while no planted program ran. */
  markers: string;
  /** `<mark> NAME` records NAME; as `<mark> ...clean` it then copies stdin to stdout, as a clean filter does. */
  mark: string;
  /** A module that records "node-options" when Node loads it. */
  nodeModule: string;
}

async function traps(): Promise<Traps> {
  const dir = await tempDir('dms-traps-');
  const markers = path.join(dir, 'markers');
  await mkdir(markers);
  const mark = path.join(dir, 'mark');
  // Only a filter reads stdin: a hook given a pipe nobody closes would wait on it for ever.
  await writeFile(mark, `#!/bin/sh\ntouch '${markers}'/"$1"\ncase "$1" in *clean) exec cat ;; esac\n`);
  await chmod(mark, 0o755);
  const nodeModule = path.join(dir, 'mark.cjs');
  await writeFile(
    nodeModule,
    `require('node:fs').writeFileSync(${JSON.stringify(path.join(markers, 'node-options'))}, '');\n`,
  );
  return { markers, mark, nodeModule };
}

const CONFIG = (feed: string) =>
  `siteDir: .\ncollections:\n  - endpoint: ${feed}\n    images: { mode: remote }\nhttp: { retries: 0 }\n`;

/** A site repository, committed, holding the tool's config, a hand-written post and `extra` files. */
async function siteRepo(extra: Record<string, string> = {}, feed = endpoint): Promise<string> {
  return committedRepo(path.join(await tempDir('dms-untrusted-'), 'site'), {
    'dropmark-sync.yaml': CONFIG(feed),
    'content/post/hand-written.md': '---\ntitle: By hand\n---\nWritten by hand.\n',
    ...extra,
  });
}

/** One pass that must not fail; its summary. */
type Pass = (site: string) => Promise<Summary>;

/** The built CLI started with `env`: what the tool takes from its environment and a committed .env. */
const cliPass =
  (env: Record<string, string> = {}): Pass =>
  async (site) => {
    const result = await syncCli(site, [], { env: { LOG_LEVEL: 'debug', ...env } });
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as Summary;
  };

/** A pass in this process, git found on this PATH: what the repository's own files make git do. */
const inProcessPass: Pass = async (site) => {
  const run = await syncInProcess(site, { level: 'debug', env: { PATH: process.env['PATH'] ?? '' } });
  expect(run.summary.ok, run.log).toBe(true);
  return run.summary;
};

/** The site picture the last sync saved: `git:` or `stat:` and a hash. */
async function savedPicture(site: string): Promise<string> {
  const feeds = path.join(site, '.cache/dropmark-sync/feeds');
  const [file] = await readdir(feeds);
  return JSON.parse(await readFile(path.join(feeds, file ?? ''), 'utf8')).siteFingerprint;
}

/** Two syncs with a hand edit of a committed post between them, so git compares that file's content. */
async function syncTwice(site: string, pass = inProcessPass): Promise<void> {
  expect(await pass(site)).toMatchObject({ created: 41 });
  await appendFile(path.join(site, 'content/post/hand-written.md'), 'Edited.\n');
  await pass(site);
}

describe('a committed .env sets only the variables the tool documents', () => {
  it('GIT_CONFIG_* and NODE_OPTIONS in it run nothing; DROPMARK_API_KEY in it is used', async () => {
    const t = await traps();
    const site = await siteRepo({
      '.env': [
        'DROPMARK_API_KEY=key-from-dotenv',
        'GIT_CONFIG_COUNT=1',
        'GIT_CONFIG_KEY_0=core.fsmonitor',
        `GIT_CONFIG_VALUE_0=${t.mark} dotenv-git-config`,
        `NODE_OPTIONS=--require=${t.nodeModule}`,
        '',
      ].join('\n'),
    });
    await syncTwice(site, cliPass());
    expect(await readdir(t.markers)).toEqual([]);
    // Image mode remote: the second sync's poll parses the feed it gets (its hash holds the signatures), one request.
    expect(server.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('key'))).toEqual([
      'key-from-dotenv',
      'key-from-dotenv',
    ]);
    expect(await savedPicture(site)).toMatch(/^git:/);
  });
});

describe("the repository's own config runs no program", () => {
  it('core.fsmonitor and core.hooksPath of .git/config are turned off; git still pictures the site', async () => {
    const t = await traps();
    const site = await siteRepo();
    const hooks = path.join(site, '.git/evil-hooks');
    await mkdir(hooks);
    for (const hook of ['post-index-change', 'pre-commit', 'post-checkout']) {
      await writeFile(path.join(hooks, hook), `#!/bin/sh\n'${t.mark}' hook-${hook}\n`);
      await chmod(path.join(hooks, hook), 0o755);
    }
    await appendFile(
      path.join(site, '.git/config'),
      `[core]\n\tfsmonitor = ${t.mark} fsmonitor\n\thooksPath = ${hooks}\n\tpager = ${t.mark} pager\n`,
    );
    await syncTwice(site);
    expect(await readdir(t.markers)).toEqual([]);
    expect(await savedPicture(site)).toMatch(/^git:/);
  });

  it.each([
    ['defined in .git/config', (clean: string) => `[filter "evil"]\n\tclean = ${clean}\n`],
    ['defined in a file that .git/config includes', (_clean: string) => '[include]\n\tpath = evil.config\n'],
  ])('a filter driver %s, named by .gitattributes, never runs; the sync works', async (_name, config) => {
    const t = await traps();
    const site = await siteRepo({ '.gitattributes': '*.md filter=evil\n' });
    await appendFile(path.join(site, '.git/config'), config(`${t.mark} filter-clean`));
    await writeFile(path.join(site, '.git/evil.config'), `[filter "evil"]\n\tclean = ${t.mark} included-clean\n`);
    await syncTwice(site);
    expect(await readdir(t.markers)).toEqual([]);
    // git is not asked at all: its picture would run the driver.
    expect(await savedPicture(site)).toMatch(/^stat:/);
  });
});

describe('a repository under another name in the site', () => {
  // A copied `.git` laid out in the site folder itself (HEAD, objects/, refs/, config): git takes
  // a folder so laid out for a bare repository when it finds no `.git` there, and its config's
  // core.worktree and filter driver would then run on every status.
  it('is never used: its filter driver does not run, and the sync works', async () => {
    const t = await traps();
    const project = await committedRepo(path.join(await tempDir('dms-bare-'), 'project'), {
      'dropmark-sync.yaml': CONFIG(endpoint).replace('siteDir: .', 'siteDir: site'),
      'site/content/post/hand-written.md': '---\ntitle: By hand\n---\nWritten by hand.\n',
      'site/.gitattributes': '*.md filter=evil\n',
    });
    const copied = await committedRepo(await tempDir('dms-bare-copied-'), {
      'content/post/hand-written.md': '---\ntitle: By hand\n---\nWritten by hand.\n',
      '.gitattributes': '*.md filter=evil\n',
    });
    const site = path.join(project, 'site');
    await cp(path.join(copied, '.git'), site, { recursive: true });
    git(site, 'config', '-f', 'config', 'core.bare', 'false');
    git(site, 'config', '-f', 'config', 'core.worktree', '.');
    git(site, 'config', '-f', 'config', 'filter.evil.clean', `${t.mark} bare-clean`);
    await inProcessPass(project);
    await appendFile(path.join(site, 'content/post/hand-written.md'), 'Edited.\n');
    await inProcessPass(project);
    expect(await readdir(t.markers)).toEqual([]);
  });
});

describe('a .git file that names its repository in a way only git reads right', () => {
  // The tool reads `.git` files itself to find the config to check; where its reading and git's
  // differ, the folder checked must still be the one git uses.
  it.each([
    ['a trailing space', 'g ', 'gitdir: g \n'],
    ['`..` after a symbolic link', 'a/g', 'gitdir: link/../g\n'],
  ])('(%s): the filter its config defines never runs', async (_name, gitDir, dotGitFile) => {
    const t = await traps();
    const site = await siteRepo({ '.gitattributes': '*.md filter=evil\n' });
    await mkdir(path.join(site, 'a/b'), { recursive: true });
    await symlink('a/b', path.join(site, 'link'));
    await rename(path.join(site, '.git'), path.join(site, gitDir));
    await writeFile(path.join(site, '.git'), dotGitFile);
    await appendFile(path.join(site, gitDir, 'config'), `[filter "evil"]\n\tclean = ${t.mark} clean\n`);
    await syncTwice(site);
    expect(await readdir(t.markers)).toEqual([]);
    expect(await savedPicture(site)).toMatch(/^stat:/);
  });
});

describe('the environment the tool is started with reaches git only in part', () => {
  it('GIT_DIR and GIT_CONFIG_* do not reach git', async () => {
    const t = await traps();
    const other = await committedRepo(await tempDir('dms-other-repo-'), { 'x.txt': 'x' });
    await appendFile(path.join(other, '.git/config'), `[core]\n\tfsmonitor = ${t.mark} git-dir-fsmonitor\n`);
    const site = await siteRepo();
    await syncTwice(
      site,
      cliPass({
        GIT_DIR: path.join(other, '.git'),
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'core.fsmonitor',
        GIT_CONFIG_VALUE_0: `${t.mark} env-git-config`,
      }),
    );
    expect(await readdir(t.markers)).toEqual([]);
    expect(await savedPicture(site)).toMatch(/^git:/);
  });

  it('a git the site ships is never run, even where PATH names the working folder', async () => {
    const t = await traps();
    const site = await siteRepo({ 'tools/git': `#!/bin/sh\n'${t.mark}' site-git\nexit 1\n` });
    await chmod(path.join(site, 'tools/git'), 0o755);
    // A relative PATH entry is searched from the working folder, as Windows searches it before PATH.
    await syncTwice(site, cliPass({ PATH: `tools${path.delimiter}${process.env['PATH'] ?? ''}` }));
    expect(await readdir(t.markers)).toEqual([]);
    expect(await savedPicture(site)).toMatch(/^git:/);
  });
});

const opensslFound = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
if (!opensslFound) console.warn('the .env TLS test is skipped: it needs openssl to make a certificate');

describe.skipIf(!opensslFound)('a committed .env cannot turn off TLS checks (needs openssl)', () => {
  it('NODE_TLS_REJECT_UNAUTHORIZED=0 in it: a feed server with a certificate nobody signed is refused', async () => {
    const dir = await tempDir('dms-tls-');
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const requests: string[] = [];
    const tls = createServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) => {
      requests.push(req.url ?? '');
      json(sampleFeed())(req, res);
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const feed = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/616548.json`;
      const site = await siteRepo({ '.env': 'NODE_TLS_REJECT_UNAUTHORIZED=0\n' }, feed);
      const result = await syncCli(site, [], { env: { LOG_LEVEL: 'debug' } });
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).collections[0].error).toMatch(/SELF_SIGNED_CERT/);
      expect(requests).toEqual([]);
      expect(git(site, 'status', '--porcelain', '--', 'content')).toBe('');
    } finally {
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
    }
  });
});
