import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A file `init` writes only where none is: it never overwrites one. */
export interface NewFile {
  file: string;
  text: string;
  /** What it is, for the line that names it. */
  what: string;
}

/** Writes each file that is still not there; the lines that name those written. */
export async function writeNewFiles(root: string, files: readonly NewFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const { file, text, what } of files) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    // "wx": a file that appeared since the plan is a person's, and stays.
    const made = await writeFile(path.join(root, file), text, { flag: 'wx' }).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return false;
        throw error;
      },
    );
    if (made) written.push(`wrote ${file} (${what})`);
  }
  return written;
}

/** Adds to the site's .gitignore each of `wanted` it lacks, under `comment`; the lines added. */
export async function addIgnores(root: string, comment: string, wanted: readonly string[]): Promise<string[]> {
  const file = path.join(root, '.gitignore');
  const current = await readFile(file, 'utf8').catch(() => '');
  const bare = (line: string) => line.trim().replace(/^\/|\/$/g, '');
  const lines = new Set(current.split('\n').map(bare));
  const missing = wanted.filter((l) => !lines.has(bare(l)));
  if (missing.length === 0) return [];
  const prefix = current === '' || current.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${prefix}# ${comment}\n${missing.join('\n')}\n`);
  return missing;
}

/** A path as the shell reads it: quoted only when it must be. */
export const shellWord = (file: string) => (/^[\w./-]+$/.test(file) ? file : `'${file.replaceAll("'", "'\\''")}'`);
