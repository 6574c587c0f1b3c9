import { realpathSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dotGitsAbove, findGit, gitEnv, runGit, unsafeRepositoryConfig } from '../../../src/site/git.js';

const temp = (prefix: string) => mkdtemp(path.join(tmpdir(), prefix));

async function put(file: string, text: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

describe('gitEnv', () => {
  it('the reduced environment, no GIT_* from it, and never a prompt nor an optional lock', () => {
    expect(
      gitEnv({
        PATH: '/usr/bin',
        HOME: '/home/me',
        GIT_DIR: '/elsewhere/.git',
        GIT_CONFIG_PARAMETERS: "'core.fsmonitor'='touch /tmp/owned'",
        GIT_TERMINAL_PROMPT: '1',
        DROPMARK_API_KEY: 'secret',
      }),
    ).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/me',
      GIT_TERMINAL_PROMPT: '0',
      GIT_OPTIONAL_LOCKS: '0',
      GIT_NO_LAZY_FETCH: '1',
    });
  });
});

describe.skipIf(process.platform === 'win32')('findGit', () => {
  it("the first executable git of PATH's absolute folders; relative entries, non-programs passed over", async () => {
    const root = await temp('dms-findgit-');
    await put(path.join(root, 'plain/git'), 'not executable');
    await put(path.join(root, 'folder/git/x'), 'a folder named git');
    const real = await put(path.join(root, 'bin/git'), '#!/bin/sh\n');
    await chmod(real, 0o755);
    const later = await put(path.join(root, 'later/git'), '#!/bin/sh\n');
    await chmod(later, 0o755);
    const PATH = ['', '.', 'bin', path.join(root, 'plain'), path.join(root, 'folder/git'), path.join(root, 'folder')]
      .concat([path.join(root, 'bin'), path.join(root, 'later')])
      .join(':');
    expect(findGit({ PATH })).toBe(real);
  });

  it('none without PATH, or with only relative entries', () => {
    expect(findGit({})).toBeUndefined();
    expect(findGit({ PATH: '.:bin:tools' })).toBeUndefined();
  });
});

describe('runGit', () => {
  it('runs with the SAFE_CONFIG overrides and the reduced environment, whatever the environment held', async () => {
    const repo = await temp('dms-rungit-');
    const git = findGit(process.env) as string;
    await runGit(git, repo, process.env, ['init', '-q']);
    const env = {
      ...process.env,
      GIT_DIR: path.join(repo, 'elsewhere'),
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'core.pager',
      GIT_CONFIG_VALUE_0: 'evil',
    };
    const show = (key: string) => runGit(git, repo, env, ['config', '--get', key]).then((s) => s.trim());
    expect(await show('core.fsmonitor')).toBe('false');
    expect(await show('core.pager')).toBe('cat');
    expect(await show('protocol.allow')).toBe('never');
    expect(await show('diff.external')).toBe('');
    expect(await show('core.hooksPath')).toBe(devNull);
    // The repository's own config may tell status to trust less of a file's stat: an edit whose mtime was set back
    // would look unchanged (site/fingerprint.ts).
    await runGit(git, repo, process.env, ['config', 'core.trustctime', 'false']);
    await runGit(git, repo, process.env, ['config', 'core.checkStat', 'minimal']);
    expect(await show('core.trustctime')).toBe('true');
    expect(await show('core.checkStat')).toBe('default');
    // Nor attributes or excludes from a file its config names (an ident attribute, a FIFO).
    await runGit(git, repo, process.env, ['config', 'core.attributesFile', '/tmp/attributes']);
    expect(await show('core.attributesFile')).toBe(devNull);
    expect(await show('core.excludesFile')).toBe(devNull);
    await expect(runGit(git, repo, env, ['rev-parse', '--absolute-git-dir'])).resolves.toBe(
      `${path.join(realpathSync(repo), '.git')}\n`,
    );
  });

  it('hands its input to stdin', async () => {
    const repo = await temp('dms-rungit-input-');
    const git = findGit(process.env) as string;
    await runGit(git, repo, process.env, ['init', '-q']);
    // The blob id of "hello\n", as `printf 'hello\n' | git hash-object --stdin` prints it.
    await expect(runGit(git, repo, process.env, ['hash-object', '--stdin'], 'hello\n')).resolves.toBe(
      'ce013625030ba8dba906f756967f9e9ca394464a\n',
    );
  });
});

describe('dotGitsAbove', () => {
  it("every .git of the site's folder and the folders above it, nearest first", async () => {
    const root = await temp('dms-dotgits-');
    await mkdir(path.join(root, '.git'));
    await put(path.join(root, 'a/.git'), 'gitdir: ../.git\n');
    await mkdir(path.join(root, 'a/b/site'), { recursive: true });
    expect(dotGitsAbove(path.join(root, 'a/b/site'))).toEqual([path.join(root, 'a/.git'), path.join(root, '.git')]);
  });

  it('and a folder laid out like a repository (HEAD, objects/, refs/), which git takes for a bare one', async () => {
    const root = await temp('dms-dotgits-bare-');
    const site = path.join(root, 'site');
    await put(path.join(site, 'HEAD'), 'ref: refs/heads/main\n');
    await mkdir(path.join(site, 'objects'));
    await mkdir(path.join(site, 'refs'));
    await mkdir(path.join(root, '.git'));
    expect(dotGitsAbove(site)).toEqual([site, path.join(root, '.git')]);
  });

  it('none outside git', async () => {
    expect(dotGitsAbove(await temp('dms-dotgits-none-'))).toEqual([]);
  });
});

describe('unsafeRepositoryConfig: config that could make git run a program, which no -c turns off', () => {
  it.each([
    ['[core]\n\tbare = false\n[remote "origin"]\n\turl = https://example.com/site.git\n', undefined],
    ['[filter "lfs"]\n\tclean = git-lfs clean -- %f\n', 'filter'],
    ['[Filter "x"]\n\tprocess = evil\n', 'Filter'],
    ['[filter.x]\n\tclean = evil\n', 'filter'],
    ['[include]\n\tpath = other.config\n', 'include'],
    ['[includeIf "gitdir:/"]\n\tpath = other.config\n', 'include'],
    ['[extensions]\n\tpartialClone = origin\n', 'partialClone'],
    ['[remote "origin"]\n\turl = ext::sh -c evil\n\tpromisor = true\n', 'promisor'],
  ])('.git/config of %j: %s', async (config, word) => {
    const site = await temp('dms-unsafe-');
    const file = await put(path.join(site, '.git/config'), config);
    expect(await unsafeRepositoryConfig([path.join(site, '.git')])).toBe(
      word === undefined ? undefined : `${file} mentions "${word}"`,
    );
  });

  it('reads config.worktree, the folder a "gitdir:" file names, and the common folder of its commondir', async () => {
    const root = await temp('dms-unsafe-linked-');
    await put(path.join(root, 'site/.git'), 'gitdir: ../repo/.git/worktrees/site\n');
    const worktreeDir = path.join(root, 'repo/.git/worktrees/site');
    await put(path.join(worktreeDir, 'commondir'), '../..\n');
    await put(path.join(worktreeDir, 'config.worktree'), '[core]\n\tsparseCheckout = false\n');
    const common = await put(path.join(root, 'repo/.git/config'), '[core]\n\tbare = false\n');
    const dotGit = path.join(root, 'site/.git');
    expect(await unsafeRepositoryConfig([dotGit])).toBeUndefined();
    await writeFile(common, '[include]\n\tpath = x\n');
    expect(await unsafeRepositoryConfig([dotGit])).toBe(`${common} mentions "include"`);
    await writeFile(common, '');
    await writeFile(path.join(worktreeDir, 'config.worktree'), '[filter "x"]\n\tclean = evil\n');
    expect(await unsafeRepositoryConfig([dotGit])).toBe(
      `${path.join(worktreeDir, 'config.worktree')} mentions "filter"`,
    );
  });

  it('every .git counts, not only the nearest; a .git file that names no folder is not safe', async () => {
    const root = await temp('dms-unsafe-above-');
    await mkdir(path.join(root, 'site/.git'), { recursive: true });
    const above = await put(path.join(root, '.git/config'), '[filter "x"]\n\tclean = evil\n');
    expect(await unsafeRepositoryConfig([path.join(root, 'site/.git'), path.join(root, '.git')])).toBe(
      `${above} mentions "filter"`,
    );
    const odd = await put(path.join(root, 'odd/.git'), 'not a gitdir line\n');
    expect(await unsafeRepositoryConfig([odd])).toBe(`${odd} cannot be read (not a "gitdir: <path>" file)`);
  });
});
