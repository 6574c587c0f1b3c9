import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapedName, utf8Name } from '../../../src/site/dir-names.js';
import { siteFingerprint } from '../../../src/site/fingerprint.js';
import { findStrayTemps, readSite } from '../../../src/site/read.js';
import { expectedFiles } from '../../support/fixtures.js';

async function siteWith(files: Record<string, string>): Promise<string> {
  const site = await mkdtemp(path.join(tmpdir(), 'dms-read-'));
  await mkdir(path.join(site, 'content/post'), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(site, 'content/post', name), text);
  return site;
}

const REAL = expectedFiles().get(
  'academic-oup-early-experiences-with-patient-generated-health-data-health-system-and-patient-perspectives.md',
) as string;

const NOT_UTF8 = Buffer.from([0xff, 0xfe]);
const oddName = (site: string, rest: string) =>
  Buffer.concat([Buffer.from(`${site}/content/post/`), NOT_UTF8, Buffer.from(rest)]);

describe('a file name that is not UTF-8', () => {
  it('is passed over with a warning naming it escaped; the other files are read', async () => {
    const site = await siteWith({ 'a.md': REAL });
    await writeFile(oddName(site, '.md'), 'y');
    await writeFile(oddName(site, '.txt'), 'not a post either way');
    const snapshot = await readSite(site, 'content/post');
    expect(snapshot.files.map((f) => f.name)).toEqual(['a']);
    expect(snapshot.notUtf8).toEqual(['content/post/\\xff\\xfe.md']);
    expect(snapshot.warnings).toEqual([
      'content/post/\\xff\\xfe.md: the file name is not UTF-8; not a file of this tool, left alone',
    ]);
  });

  it('is never taken for a leftover temp file of the tool', async () => {
    const site = await siteWith({});
    await writeFile(
      Buffer.concat([Buffer.from(`${site}/content/post/.dropmark-sync-`), NOT_UTF8, Buffer.from('.tmp')]),
      'x',
    );
    expect(await findStrayTemps(site, ['content/post'])).toEqual([]);
  });

  it('counts in the stat picture by its own bytes: an edit to it is seen', async () => {
    const site = await siteWith({ 'a.md': 'a' });
    await writeFile(oddName(site, '.md'), 'y');
    const before = await siteFingerprint(site, 'content/post');
    await writeFile(oddName(site, '.md'), 'longer');
    expect(await siteFingerprint(site, 'content/post')).not.toBe(before);
  });

  it('is told apart and shown with only printable ASCII', () => {
    expect(utf8Name(Buffer.from('café.md'))).toBe('café.md');
    expect(utf8Name(Buffer.from('\ufffd.md'))).toBe('\ufffd.md');
    expect(utf8Name(Buffer.concat([NOT_UTF8, Buffer.from('.md')]))).toBeUndefined();
    // A surrogate half encoded as UTF-8 (CESU-8) is not UTF-8 either.
    expect(utf8Name(Buffer.from([0xed, 0xa0, 0x80]))).toBeUndefined();
    expect(escapedName(Buffer.from([0x61, 0x5c, 0x1b, 0xc3, 0xa9, 0xff, 0x2e]))).toBe('a\\x5c\\x1b\\xc3\\xa9\\xff.');
  });
});
