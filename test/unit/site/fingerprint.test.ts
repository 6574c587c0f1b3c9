import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { siteFingerprint } from '../../../src/site/fingerprint.js';
import { committedRepo, git } from '../../support/git.js';

/** The environment of the machine running the tests: git on its PATH. */
const HOST = { env: process.env };

const siteRepo = async (): Promise<string> =>
  committedRepo(await mkdtemp(path.join(tmpdir(), 'dms-fp-')), {
    'content/post/a.md': '---\ntitle: A\n---\nBody A\n',
    'content/post/b.md': '---\ntitle: B\n---\nBody B\n',
    'static/img/a.jpg': 'jpeg bytes',
  });

/** The stat picture is what is taken, and a post deleted by hand changes it. */
async function expectStatPictureSeesDeletion(site: string): Promise<void> {
  const before = await siteFingerprint(site, 'content/post', undefined, HOST);
  expect(before).toMatch(/^stat:/);
  await rm(path.join(site, 'content/post/b.md'));
  expect(await siteFingerprint(site, 'content/post', undefined, HOST)).not.toBe(before);
}

describe('site fingerprint', () => {
  it('in git, is made of content: a fresh clone has the same fingerprint (inodes and mtimes differ)', async () => {
    const site = await siteRepo();
    const clone = path.join(await mkdtemp(path.join(tmpdir(), 'dms-fp-clone-')), 'site');
    git(path.dirname(clone), 'clone', '-q', site, clone);
    const original = await siteFingerprint(site, 'content/post', 'static/img', HOST);
    expect(original).toMatch(/^git:[0-9a-f]{64}$/);
    expect(await siteFingerprint(clone, 'content/post', 'static/img', HOST)).toBe(original);
  });

  it(
    'in git, sees a hand edit of the same size, a new file, ' + 'a deleted image, and an uncommitted sync alike',
    async () => {
      const site = await siteRepo();
      const before = await siteFingerprint(site, 'content/post', 'static/img', HOST);
      await writeFile(path.join(site, 'content/post/a.md'), '---\ntitle: A\n---\nBody Z\n');
      const edited = await siteFingerprint(site, 'content/post', 'static/img', HOST);
      expect(edited).not.toBe(before);
      expect(await siteFingerprint(site, 'content/post', 'static/img', HOST)).toBe(edited);
      await writeFile(path.join(site, 'content/post/c.md'), 'new');
      const added = await siteFingerprint(site, 'content/post', 'static/img', HOST);
      expect(added).not.toBe(edited);
      // Without the images folder, the image does not count.
      expect(await siteFingerprint(site, 'content/post', undefined, HOST)).not.toBe(added);
      await rm(path.join(site, 'static/img/a.jpg'));
      expect(await siteFingerprint(site, 'content/post', 'static/img', HOST)).not.toBe(added);
    },
  );

  it('falls back to names, sizes, inodes and mtimes outside git, or where git ignores the folder', async () => {
    const plain = await mkdtemp(path.join(tmpdir(), 'dms-fp-plain-'));
    await mkdir(path.join(plain, 'content/post'), { recursive: true });
    await writeFile(path.join(plain, 'content/post/a.md'), 'x');
    expect(await siteFingerprint(plain, 'content/post', undefined, HOST)).toMatch(/^stat:/);
    const ignoring = await mkdtemp(path.join(tmpdir(), 'dms-fp-ignored-'));
    await mkdir(path.join(ignoring, 'content/post'), { recursive: true });
    await writeFile(path.join(ignoring, '.gitignore'), 'content/\n');
    await writeFile(path.join(ignoring, 'content/post/a.md'), 'x');
    git(ignoring, 'init', '-q');
    expect(await siteFingerprint(ignoring, 'content/post', undefined, HOST)).toMatch(/^stat:/);
  });
});

describe('site fingerprint, where git ignores some of the files the sync owns', () => {
  // Git lists no change to a file it ignores and does not track: its picture would stay the same through an edit.
  it.each([
    ['content/post/*.md', 'content/post/new.md'],
    ['*.jpg', 'static/img/new.jpg'],
  ])('with "%s" ignored, an edit of the untracked %s changes the fingerprint', async (pattern, file) => {
    const site = await siteRepo();
    await writeFile(path.join(site, '.gitignore'), `${pattern}\n`);
    await writeFile(path.join(site, file), 'written by a sync, never committed');
    const before = await siteFingerprint(site, 'content/post', 'static/img', HOST);
    expect(before).toMatch(/^stat:/);
    await writeFile(path.join(site, file), 'edited by hand, and longer than before');
    expect(await siteFingerprint(site, 'content/post', 'static/img', HOST)).not.toBe(before);
  });

  it('an ignored file the sync does not own (notes in the content folder) keeps the git picture', async () => {
    const site = await siteRepo();
    await writeFile(path.join(site, '.gitignore'), '*.txt\n');
    await writeFile(path.join(site, 'content/post/notes.txt'), 'mine');
    expect(await siteFingerprint(site, 'content/post', 'static/img', HOST)).toMatch(/^git:/);
  });
});

describe('site fingerprint, the site a folder of a larger repository', () => {
  // git status names paths from the work tree's top, ls-files from the folder it runs in.
  const nestedSite = async (): Promise<string> => {
    const root = await committedRepo(await mkdtemp(path.join(tmpdir(), 'dms-fp-mono-')), {
      'README.md': 'the repository',
      'site/content/post/a.md': '---\ntitle: A\n---\nBody A\n',
      'site/content/post/b.md': '---\ntitle: B\n---\nBody B\n',
    });
    return path.join(root, 'site');
  };

  it('is made of git: sees an edit of the same size, a deleted post and a new one', async () => {
    const site = await nestedSite();
    const before = await siteFingerprint(site, 'content/post', undefined, HOST);
    expect(before).toMatch(/^git:/);
    await writeFile(path.join(site, 'content/post/a.md'), '---\ntitle: A\n---\nBody Z\n');
    const edited = await siteFingerprint(site, 'content/post', undefined, HOST);
    expect(edited).not.toBe(before);
    await rm(path.join(site, 'content/post/b.md'));
    const deleted = await siteFingerprint(site, 'content/post', undefined, HOST);
    expect(deleted).not.toBe(edited);
    await writeFile(path.join(site, 'content/post/c.md'), 'new');
    expect(await siteFingerprint(site, 'content/post', undefined, HOST)).not.toBe(deleted);
  });

  it('where the repository ignores the content folder or the site: the stat picture sees a deletion', async () => {
    for (const ignore of ['site/content/', 'site/']) {
      const site = await nestedSite();
      await writeFile(path.join(site, '..', '.gitignore'), `${ignore}\n`);
      git(path.join(site, '..'), 'rm', '-r', '-q', '--cached', 'site');
      const before = await siteFingerprint(site, 'content/post', undefined, HOST);
      expect(before).toMatch(/^stat:/);
      await rm(path.join(site, 'content/post'), { recursive: true });
      expect(await siteFingerprint(site, 'content/post', undefined, HOST)).not.toBe(before);
    }
  });
});

describe('site fingerprint, where git does not look at some of the files the sync owns', () => {
  it.each([['--assume-unchanged'], ['--skip-worktree']])(
    'a file marked %s: the stat picture, which sees its edit',
    async (flag) => {
      const site = await siteRepo();
      git(site, 'update-index', flag, 'content/post/a.md');
      const before = await siteFingerprint(site, 'content/post', undefined, HOST);
      expect(before).toMatch(/^stat:/);
      await writeFile(path.join(site, 'content/post/a.md'), '---\ntitle: A\n---\nBody edited by hand\n');
      expect(await siteFingerprint(site, 'content/post', undefined, HOST)).not.toBe(before);
    },
  );

  it('a content folder in a repository of its own (embedded, or a submodule): the stat picture', async () => {
    const site = await siteRepo();
    const inner = path.join(site, 'content/post');
    await committedRepo(inner, {});
    git(inner, 'commit', '-q', '--allow-empty', '-m', 'inner');
    git(site, 'rm', '-r', '-q', '--cached', 'content/post');
    git(site, 'add', 'content/post');
    git(site, 'commit', '-q', '-m', 'the posts in a repository of their own');
    const before = await siteFingerprint(site, 'content/post', undefined, HOST);
    expect(before).toMatch(/^stat:/);
    await rename(path.join(inner, 'a.md'), path.join(inner, 'c.md'));
    expect(await siteFingerprint(site, 'content/post', undefined, HOST)).not.toBe(before);
  });
});

describe('site fingerprint, what git could be misread on', () => {
  it('hashes a changed file of a subfolder site, not the file of that path at the work tree top', async () => {
    const root = await committedRepo(await mkdtemp(path.join(tmpdir(), 'dms-fp-twin-')), {
      'content/post/a.md': 'the top-level twin\n',
      'site/content/post/a.md': '---\ntitle: A\n---\nBody A\n',
    });
    const site = path.join(root, 'site');
    const before = await siteFingerprint(site, 'content/post', undefined, HOST);
    await writeFile(path.join(site, 'content/post/a.md'), '---\ntitle: HAND\n---\nBody A\n');
    const edited = await siteFingerprint(site, 'content/post', undefined, HOST);
    expect([before, edited]).toEqual([expect.stringMatching(/^git:/), expect.stringMatching(/^git:/)]);
    expect(edited).not.toBe(before);
    await writeFile(path.join(site, 'content/post/a.md'), '---\ntitle: HANDS\n---\nBody A\n');
    expect(await siteFingerprint(site, 'content/post', undefined, HOST)).not.toBe(edited);
  });

  it('a submodule never checked out (its files on disk, no .git in it): the stat picture', async () => {
    const site = await siteRepo();
    const commit = git(site, 'rev-parse', 'HEAD').trim();
    git(site, 'rm', '-r', '-q', '--cached', 'content/post');
    git(site, 'update-index', '--add', '--cacheinfo', `160000,${commit},content/post`);
    git(site, 'commit', '-q', '-m', 'the posts a submodule');
    await expectStatPictureSeesDeletion(site);
  });

  it.each([['./content/post'], ['content//post'], ['content/./post/']])(
    'contentDir written %s: the same git picture, which sees a deletion',
    async (contentDir) => {
      const site = await siteRepo();
      const picture = await siteFingerprint(site, contentDir, undefined, HOST);
      expect(picture).toBe(await siteFingerprint(site, 'content/post', undefined, HOST));
      expect(picture).toMatch(/^git:/);
      await rm(path.join(site, 'content/post/b.md'));
      expect(await siteFingerprint(site, contentDir, undefined, HOST)).not.toBe(picture);
    },
  );

  it('a line break in the name of a folder between the work tree and the site: the stat picture', async () => {
    const root = await committedRepo(await mkdtemp(path.join(tmpdir(), 'dms-fp-nl-')), {
      'a\nb/site/content/post/a.md': 'A\n',
      'a\nb/site/content/post/b.md': 'B\n',
    });
    const site = path.join(root, 'a\nb', 'site');
    await expectStatPictureSeesDeletion(site);
  });
});

describe("site fingerprint, where git's own files would mislead or hang it", () => {
  it('a repository whose core.worktree is another folder: the stat picture, which sees a deletion', async () => {
    const site = await siteRepo();
    const other = await mkdtemp(path.join(tmpdir(), 'dms-fp-worktree-'));
    git(site, 'config', 'core.worktree', other);
    await expectStatPictureSeesDeletion(site);
  });

  it.each([['content/post/.gitignore'], ['.gitattributes'], ['.git/info/exclude']])(
    'a FIFO at %s (git would wait on it for ever): the stat picture, at once',
    { timeout: 10_000 },
    async (file) => {
      const site = await siteRepo();
      await rm(path.join(site, file), { force: true });
      execFileSync('mkfifo', [path.join(site, file)]);
      expect(await siteFingerprint(site, 'content/post', undefined, HOST)).toMatch(/^stat:/);
    },
  );

  it('an ident attribute (status compares $Id$ collapsed): the stat picture sees an edit inside it', async () => {
    const site = await committedRepo(await mkdtemp(path.join(tmpdir(), 'dms-fp-ident-')), {
      '.gitattributes': '*.md ident\n',
      'content/post/a.md': 'Body $Id: aaaa $\n',
    });
    const before = await siteFingerprint(site, 'content/post', undefined, HOST);
    expect(before).toMatch(/^stat:/);
    await writeFile(path.join(site, 'content/post/a.md'), 'Body $Id: bbbb $\n');
    expect(await siteFingerprint(site, 'content/post', undefined, HOST)).not.toBe(before);
  });
});

describe("site fingerprint, git's files outside the work tree's own", () => {
  it("an ident attribute from core.attributesFile is not git's to apply: an edit inside $Id$ is seen", async () => {
    const site = await mkdtemp(path.join(tmpdir(), 'dms-fp-attrfile-'));
    const attributes = path.join(await mkdtemp(path.join(tmpdir(), 'dms-fp-attrs-')), 'attributes');
    await writeFile(attributes, '*.md ident\n');
    git(site, 'init', '-q');
    git(site, 'config', 'core.attributesFile', attributes);
    await mkdir(path.join(site, 'content/post'), { recursive: true });
    await writeFile(path.join(site, 'content/post/a.md'), 'Body $Id: aaaa $\n');
    git(site, 'add', '.');
    git(site, 'commit', '-q', '-m', 'initial');
    const before = await siteFingerprint(site, 'content/post', undefined, HOST);
    await writeFile(path.join(site, 'content/post/a.md'), 'Body $Id: bbbb $\n');
    expect(await siteFingerprint(site, 'content/post', undefined, HOST)).not.toBe(before);
  });

  it.each([['a file'], ['a symbolic link']])(
    "an ident attribute in the repository's info/attributes, %s: the stat picture",
    async (kind) => {
      const site = await siteRepo();
      const file = path.join(site, '.git/info/attributes');
      await mkdir(path.dirname(file), { recursive: true });
      if (kind === 'a file') await writeFile(file, '*.md ident\n');
      else {
        const target = path.join(await mkdtemp(path.join(tmpdir(), 'dms-fp-attrs-')), 'attributes');
        await writeFile(target, '*.md ident\n');
        await symlink(target, file);
      }
      expect(await siteFingerprint(site, 'content/post', undefined, HOST)).toMatch(/^stat:/);
    },
  );

  it("a linked worktree: the common repository's info/attributes counts", async () => {
    const main = await siteRepo();
    const worktree = path.join(await mkdtemp(path.join(tmpdir(), 'dms-fp-wt-')), 'wt');
    git(main, 'worktree', 'add', '-q', worktree);
    expect(await siteFingerprint(worktree, 'content/post', undefined, HOST)).toMatch(/^git:/);
    await writeFile(path.join(main, '.git/info/attributes'), '*.md ident\n');
    expect(await siteFingerprint(worktree, 'content/post', undefined, HOST)).toMatch(/^stat:/);
  });

  it('a FIFO .gitignore in a folder below the content folder (status walks it): the stat picture', {
    timeout: 10_000,
  }, async () => {
    const site = await siteRepo();
    await mkdir(path.join(site, 'content/post/drafts/old'), { recursive: true });
    execFileSync('mkfifo', [path.join(site, 'content/post/drafts/old/.gitignore')]);
    expect(await siteFingerprint(site, 'content/post', undefined, HOST)).toMatch(/^stat:/);
  });
});

describe('site fingerprint, attributes git reads from elsewhere than the files on disk', () => {
  it('a .gitattributes deleted from disk but still in the index (git reads it there): the stat picture', async () => {
    const site = await committedRepo(await mkdtemp(path.join(tmpdir(), 'dms-fp-attr-index-')), {
      '.gitattributes': '*.md ident\n',
      'content/post/a.md': 'Body $Id: aaaa $\n',
      'content/post/b.md': 'B\n',
    });
    await rm(path.join(site, '.gitattributes'));
    await expectStatPictureSeesDeletion(site);
  });

  it('a .gitattributes that is a symbolic link (git before 2.32 read its target): the stat picture', async () => {
    const site = await siteRepo();
    const target = path.join(await mkdtemp(path.join(tmpdir(), 'dms-fp-attrs-')), 'attributes');
    await writeFile(target, '# nothing\n');
    await symlink(target, path.join(site, 'content/.gitattributes'));
    expect(await siteFingerprint(site, 'content/post', undefined, HOST)).toMatch(/^stat:/);
  });
});
