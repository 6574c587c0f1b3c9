import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const SAMPLE = path.join(FIXTURES, 'healthcareguys-2019-05-09');
export const SAMPLE_FEED_URL = 'https://shah.dropmark.com/616548.json';

export function sampleFeed(): { items: Record<string, unknown>[] } & Record<string, unknown> {
  const feed = JSON.parse(readFileSync(path.join(SAMPLE, 'feed.json'), 'utf8'));
  // As Dropmark serves it, the collection's count is that of its items: a test that takes items out of the feed
  // takes them out of the collection (a partial feed, which deletes nothing, sets the count itself).
  Object.defineProperty(feed, 'items_total_count', { enumerable: true, get: () => feed.items.length });
  return feed;
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
