/**
 * What deciding "has the feed changed?" costs a poll, before and after issue 21's point 13, on
 * a synthetic feed whose every item has a signed thumbnail (image mode local):
 *   before: the body's text with every signature stripped, hashed (a changed feed was then parsed too);
 *   after:  the body parsed (the full pass uses that parse) and its items hashed.
 * Each mode runs in its own process, so peak RSS is its own.
 *   npm run build && npx tsc -p tsconfig.bench.json && node dist-bench/bench/feed-hash.js [items]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseFeed } from '../src/feed/parse.js';
import { feedHash } from '../src/state/feed-cache.js';
import { feedJson, syntheticItems } from '../test/support/synthetic.js';

const SIGNATURE_PARAM = /(?<=[?&])(?:Expires|Signature|Key-Pair-Id|Policy)=[^&"\\\s]*/g;

/** The algorithm before point 13, as it was. */
function hashBefore(bytes: Buffer): string {
  const text = bytes
    .toString('utf8')
    .replace(/\\u0026/g, '&')
    .replace(SIGNATURE_PARAM, '');
  return createHash('sha256').update(text).digest('hex');
}

const modes: Record<string, (body: Buffer) => unknown> = {
  'before, unchanged feed (hash)': hashBefore,
  'before, changed feed (hash + parse)': (body) => [hashBefore(body), parseFeed(body, 'feed')],
  'after, either (parse + hash)': (body) => feedHash(parseFeed(body, 'feed'), true),
};

const [, , count = '10000', mode] = process.argv;
if (mode === undefined) {
  console.log(`| ${count} items | median CPU ms of 7 | peak RSS MB |\n|---|---:|---:|`);
  for (const name of Object.keys(modes)) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), count, name], { encoding: 'utf8' });
    console.log(out.trim());
  }
} else {
  const run = modes[mode] as (body: Buffer) => unknown;
  const sign = (p: string) =>
    `https://cdn2.dropmarkusercontent.com${p}?Expires=1&Signature=${'s'.repeat(200)}&Key-Pair-Id=K`;
  const body = Buffer.from(feedJson(syntheticItems({ count: Number(count), imageEvery: 1 }), sign));
  const base = process.memoryUsage().rss;
  // CPU time, not wall time: the figure holds on a machine other processes share.
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = process.cpuUsage();
    run(body);
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  const peak = process.resourceUsage().maxRSS / 1024;
  const median = (times[3] as number).toFixed(0);
  const size = `body ${(body.length / 1e6).toFixed(1)} MB`;
  console.log(`| ${mode} (${size}) | ${median} | ${peak.toFixed(0)} (${(base / 1e6).toFixed(0)} before) |`);
}
