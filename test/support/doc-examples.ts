import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The code block a page of docs/ gives for one file: the first fenced block after a line that
 * names the file as "file `<name>`:". Tests build sites from these, so an example a person copies
 * is the one the suite ran.
 */
export function docExample(page: string, file: string): string {
  const text = readFileSync(path.join(repo, 'docs', page), 'utf8');
  const at = text.indexOf(`file \`${file}\`:\n`);
  if (at < 0) throw new Error(`docs/${page} names no file ${file}`);
  const block = /```[\w-]*\n([\s\S]*?)```/.exec(text.slice(at));
  if (!block?.[1]) throw new Error(`docs/${page} has no code block for ${file}`);
  return block[1];
}

/** Every code block of a page in one language. */
export function docBlocks(page: string, lang: string): string[] {
  const text = readFileSync(path.join(repo, 'docs', page), 'utf8');
  return [...text.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] as string);
}
