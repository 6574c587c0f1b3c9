/**
 * The floor of a full sync, as issue 26 defines it: a whole Node process that reads the same feed
 * JSON from a file and parses it, then writes one file per item with writeFileSync (no temp file,
 * no rename, no check), the same bytes the sync wrote. Run by bench/sizes.ts as
 * `node floor.js FEED.json TEXTS.bin TEXTS-INDEX.json OUT-DIR`; prints how many files it wrote.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [feedFile, textsFile, indexFile, outDir] = process.argv.slice(2) as [string, string, string, string];
const feed = JSON.parse(readFileSync(feedFile, 'utf8')) as { items: unknown[] };
// One file of texts and an index of names and byte lengths: the floor does no parsing of its own.
const index = JSON.parse(readFileSync(indexFile, 'utf8')) as [string, number][];
const texts = readFileSync(textsFile);
mkdirSync(outDir, { recursive: true });
let at = 0;
for (const [name, length] of index) {
  writeFileSync(path.join(outDir, name), texts.subarray(at, at + length));
  at += length;
}
process.stdout.write(`${JSON.stringify({ items: feed.items.length, written: index.length })}\n`);
