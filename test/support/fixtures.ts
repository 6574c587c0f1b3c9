import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const SAMPLE = path.join(FIXTURES, 'healthcareguys-2019-05-09');
export const SAMPLE_FEED_URL = 'https://shah.dropmark.com/616548.json';

export function sampleFeed(): { items: Record<string, unknown>[] } & Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(SAMPLE, 'feed.json'), 'utf8'));
}

/** The 41 expected files: name -> text. */
export function expectedFiles(): Map<string, string> {
  const dir = path.join(SAMPLE, 'expected', 'content', 'post');
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(path.join(dir, name), 'utf8')]));
}

export function referenceFile(): { name: string; text: string } {
  const dir = path.join(FIXTURES, 'reference');
  const name = readdirSync(dir).find((n) => n.endsWith('.md')) as string;
  return { name, text: readFileSync(path.join(dir, name), 'utf8') };
}

/** The two lines the fixtures README allows to differ: the random socialScore and the served URL. */
export function normalize(text: string, servedUrl?: string): string {
  let out = text.replace(/^socialScore: \d+$/m, 'socialScore: N');
  if (servedUrl) out = out.split(servedUrl).join(SAMPLE_FEED_URL);
  return out;
}
