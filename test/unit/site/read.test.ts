import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapedName, utf8Name } from '../../../src/site/dir-names.js';
import { siteFingerprint } from '../../../src/site/fingerprint.js';
import { parseFrontMatter } from '../../../src/frontmatter/read-front-matter.js';
import { lineEndOf, withLineEnd } from '../../../src/text/line-ends.js';
import { SyncRefusedError } from '../../../src/errors.js';
import { findStrayTemps, readAgain, readSite, readSiteCompact, type ExistingFile } from '../../../src/site/read.js';
import { expectedFiles } from '../../support/fixtures.js';

async function siteWith(files: Record<string, string>): Promise<string> {
  const site = await mkdtemp(path.join(tmpdir(), 'dms-read-'));
  await mkdir(path.join(site, 'content/post'), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(site, 'content/post', name), text);
  return site;
}

/** What the tool reads from a file, without its name and its line ending. */
const reading = (f: ExistingFile | undefined) => ({
  text: f?.text,
  id: f?.id,
  data: f?.data,
  body: f?.body,
  locked: f?.locked,
  extraKeys: f?.extraKeys,
  socialScore: f?.socialScore,
  socialScoreSimulated: f?.socialScoreSimulated,
  date: f?.date,
});

const crlf = (text: string) => text.replace(/\n/g, '\r\n');
const REAL = expectedFiles().get(
  'academic-oup-early-experiences-with-patient-generated-health-data-health-system-and-patient-perspectives.md',
) as string;

describe('readSite: a file whose lines end in CRLF (a checkout with core.autocrlf)', () => {
  it('is read as the same file: owner, values, body, through the fast path, with its line ending noted', async () => {
    const site = await siteWith({ 'lf.md': REAL, 'crlf.md': crlf(REAL) });
    const { files, warnings, unreadable } = await readSite(site, 'content/post');
    const [crlfFile, lfFile] = files;
    expect(warnings).toEqual([]);
    expect(unreadable).toEqual([]);
    expect(crlfFile?.id).toBe('18698541');
    expect(reading(crlfFile)).toEqual(reading(lfFile));
    expect([crlfFile?.lineEnd, lfFile?.lineEnd]).toEqual(['\r\n', '\n']);
    // The fast path gives `data` as a getter (the YAML parse is put off until asked).
    expect(Object.getOwnPropertyDescriptor(crlfFile, 'data')?.get).toBeTypeOf('function');
  });

  it("a person's contact.MD, about.markdown, team.html or a folder blocks that name", async () => {
    const site = await siteWith({ 'contact.MD': 'mine', 'about.markdown': 'mine', 'team.html': 'mine' });
    await mkdir(path.join(site, 'content/post/bundle'));
    const { files, blocked } = await readSite(site, 'content/post');
    expect(files).toEqual([]);
    expect([...blocked].sort()).toEqual(['about', 'bundle', 'contact', 'team']);
  });

  it('with a key a person added (the full parse): the same values, no stray CR', async () => {
    const added = REAL.replace('archetype: bookmark\n', 'archetype: bookmark\ndraft: true\n');
    const { files } = await readSite(await siteWith({ 'a.md': crlf(added), 'b.md': added }), 'content/post');
    expect(reading(files[0])).toEqual(reading(files[1]));
    expect(files[0]?.extraKeys).toEqual({ draft: true });
  });

  it('in TOML front matter too', async () => {
    const toml = '+++\ntitle = "A"\n"dropmark.editURL" = "https://x.dropmark.com/1/42"\n+++\nBody\n';
    const { files } = await readSite(await siteWith({ 'a.md': crlf(toml), 'b.md': toml }), 'content/post');
    expect(reading(files[0])).toEqual(reading(files[1]));
    expect(files[0]?.id).toBe('42');
  });

  it('a file with LF lines keeps every CR of its body (a lone CR from the feed, a CRLF of its own)', async () => {
    const text = '---\ntitle: A\ndropmark.editURL: https://x.dropmark.com/1/7\n---\none\rtwo\r\nthree\n';
    const { files } = await readSite(await siteWith({ 'a.md': text }), 'content/post');
    expect(files[0]).toMatchObject({ id: '7', text, lineEnd: '\n', body: 'one\rtwo\r\nthree\n' });
  });

  it('parseFrontMatter reads CRLF text as LF (gray-matter left a CR at the end of the last value)', () => {
    const text = '---\ntitle: a\ndropmark.editURL: https://x.dropmark.com/1/2\n---\nbody\nline\n';
    expect(parseFrontMatter(crlf(text))).toEqual({
      data: { title: 'a', 'dropmark.editURL': 'https://x.dropmark.com/1/2' },
      body: 'body\nline\n',
    });
  });
});

describe('line endings', () => {
  it.each([
    ['a\r\nb\r\n', '\r\n'],
    ['a\r\nb', '\r\n'],
    ['a\nb\r\n', '\n'],
    ['a\r\nb\n', '\n'],
    ['a\rb\n', '\n'],
    ['no break', '\n'],
    ['\n', '\n'],
    ['', '\n'],
  ])('%j has line ending %j', (text, lineEnd) => {
    expect(lineEndOf(text)).toBe(lineEnd);
  });

  it('writes LF text with CRLF lines, leaving a CRLF and a lone CR as they are', () => {
    expect(withLineEnd('a\nb\r\nc\rd\n', '\r\n')).toBe('a\r\nb\r\nc\rd\r\n');
    expect(withLineEnd('a\nb\r\n', '\n')).toBe('a\nb\r\n');
  });
});

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
    const before = await siteFingerprint(site, 'content/post', undefined, { env: {} });
    await writeFile(oddName(site, '.md'), 'longer');
    expect(await siteFingerprint(site, 'content/post', undefined, { env: {} })).not.toBe(before);
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

describe('readSite compact (a pass holds most files as their fields only)', () => {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');
  // A file as the tool writes it, of only its keys: read on the fast path.
  const TOOL = [
    '---',
    'archetype: bookmark',
    'date: 2024-04-11T12:30:00Z',
    'dropmark.editURL: https://someone.dropmark.com/616548/10057550',
    'link: https://example.com/a',
    'socialScore: 28',
    'socialScoreSimulated: true',
    'title: A post',
    '---',
    'The body.\n',
  ].join('\n');
  const fields = ({ name, relPath, lineEnd, id, locked, socialScore, socialScoreSimulated, date }: ExistingFile) => ({
    name,
    relPath,
    lineEnd,
    id,
    locked,
    socialScore,
    socialScoreSimulated,
    date,
  });

  it("holds a file of only the tool's keys as its fields and its text's SHA-256, without the text", async () => {
    const other = TOOL.replace('/10057550', '/7');
    const site = await siteWith({ 'crlf.md': crlf(other), 'lf.md': TOOL });
    const whole = await readSite(site, 'content/post');
    const compact = await readSiteCompact(site, 'content/post');
    expect(compact.files.map(fields)).toEqual(whole.files.map(fields));
    // The hash of the text with LF lines: what the tool compares its rendering with.
    expect(compact.files.map((f) => [f.text, f.body, f.data, f.textHash])).toEqual([
      [undefined, undefined, undefined, sha256(other)],
      [undefined, undefined, undefined, sha256(TOOL)],
    ]);
    expect(whole.files.map((f) => [f.text, f.textHash])).toEqual([
      [other, undefined],
      [TOOL, undefined],
    ]);
    expect(compact.files.map((f) => [f.id, f.date, f.socialScore, f.lineEnd])).toEqual([
      ['7', '2024-04-11T12:30:00Z', 28, '\r\n'],
      ['10057550', '2024-04-11T12:30:00Z', 28, '\n'],
    ]);
  });

  it("holds whole a file with a person's key, a foreign file, and the files claiming one item together", async () => {
    const site = await siteWith({
      'added.md': TOOL.replace('/10057550', '/4').replace(
        'archetype: bookmark\n',
        'archetype: bookmark\ndraft: true\n',
      ),
      'mine.md': '---\ntitle: Mine\n---\nmy own\n',
      'one.md': TOOL,
      'one-copy.md': `${TOOL}edited\n`,
      'other.md': TOOL.replace('/10057550', '/5'),
    });
    const { files } = await readSiteCompact(site, 'content/post');
    const held = Object.fromEntries(files.map((f) => [f.name, f.text !== undefined]));
    expect(held).toEqual({ added: true, mine: true, one: true, 'one-copy': true, other: false });
    expect(files.find((f) => f.name === 'one')?.text).toBe(TOOL);
    expect(files.find((f) => f.name === 'one-copy')?.body).toBe('The body.\nedited\n');
  });

  it('reads a compact file again whole while it is as it was; edited, removed or made a link, it refuses', async () => {
    // Each of its own item: files that claim one item together are held whole from the start.
    const of = (id: string) => TOOL.replace('/10057550', `/${id}`);
    const site = await siteWith({ 'a.md': of('1'), 'b.md': of('2'), 'c.md': of('3'), 'd.md': of('4') });
    const files = (await readSiteCompact(site, 'content/post')).files;
    const [a, b, c, d] = files as [ExistingFile, ExistingFile, ExistingFile, ExistingFile];
    expect(files.map((f) => f.text)).toEqual([undefined, undefined, undefined, undefined]);
    expect(readAgain(site, a)).toMatchObject({ name: 'a', relPath: 'content/post/a.md', text: of('1'), id: '1' });
    expect(readAgain(site, a).textHash).toBeUndefined();
    await writeFile(path.join(site, 'content/post/b.md'), `${of('2')}edited\n`);
    await rm(path.join(site, 'content/post/c.md'));
    await rm(path.join(site, 'content/post/d.md'));
    await writeFile(path.join(site, 'elsewhere.md'), of('4'));
    await symlink(path.join(site, 'elsewhere.md'), path.join(site, 'content/post/d.md'));
    for (const file of [b, c, d]) {
      expect(() => readAgain(site, file)).toThrow(SyncRefusedError);
      expect(() => readAgain(site, file)).toThrow(
        `${file.relPath} changed while this sync read the content folder; nothing was written. Run the sync again`,
      );
    }
  });
});
