import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { devNull } from 'node:os';
import path from 'node:path';

/**
 * git with an identity of its own and none of the user's or the system's config, so commits work
 * the same on any machine (one without a git config, or one that signs every commit).
 */
export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=site@example.com', '-c', 'user.name=site', ...args], {
    cwd,
    stdio: 'pipe',
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: devNull, GIT_CONFIG_NOSYSTEM: '1' },
  });

/** A new repository at `dir` holding `files` (relative path -> text) in one commit. */
export async function committedRepo(dir: string, files: Record<string, string>): Promise<string> {
  for (const [relPath, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, relPath)), { recursive: true });
    await writeFile(path.join(dir, relPath), text);
  }
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}
