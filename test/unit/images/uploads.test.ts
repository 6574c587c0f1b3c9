import { stackLayout } from '../../../src/map/stacks.js';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import type { FeedItem } from '../../../src/feed/parse.js';
import { safeFileName } from '../../../src/images/manifest.js';
import type { MirrorResult } from '../../../src/images/mirror-plan.js';
import { sniffUpload } from '../../../src/images/sniff.js';
import { localCopies } from '../../../src/images/local-copies.js';
import { mirrorRequests } from '../../../src/sync/mirror-requests.js';
import { existingFile, feedItem, TEST_ENDPOINT } from '../../support/builders.js';
import { MP3, MP4, PDF } from '../../support/every-kind.js';
import { jpeg, PNG, SVG } from '../../support/images.js';

const TYPES = configSchema.parse({ collections: [{ endpoint: TEST_ENDPOINT }] }).collections[0]?.files.types ?? [];
const CDN = 'https://fakecdn.invalid';

describe('sniffUpload: an upload is accepted by its bytes, as one of files.types', () => {
  it.each([
    ['a PDF', PDF, { mime: 'application/pdf', ext: '.pdf' }],
    ['an MP4', MP4, { mime: 'video/mp4', ext: '.mp4' }],
    ['an MP3', MP3, { mime: 'audio/mpeg', ext: '.mp3' }],
    ['a JPEG', jpeg('x'), { mime: 'image/jpeg', ext: '.jpg' }],
    ['a PNG', PNG, { mime: 'image/png', ext: '.png' }],
  ])('%s is kept, with the extension of its bytes', async (_what, bytes, type) => {
    expect(await sniffUpload(bytes, TYPES)).toEqual({ type });
  });

  it.each([
    ['an HTML page', Buffer.from('<!doctype html><html><script>alert(1)</script></html>')],
    ['a shell script', Buffer.from('#!/bin/sh\nrm -rf ~\n')],
    ['plain text', Buffer.from('just words')],
  ])('%s is refused: no magic number names it', async (_what, bytes) => {
    expect(await sniffUpload(bytes, TYPES)).toEqual({
      refused: 'the bytes are of no type that can be identified (files.types)',
      excluded: false,
    });
  });

  it('an SVG is refused as the XML it is, never kept as an image', async () => {
    expect(await sniffUpload(SVG, TYPES)).toEqual({
      refused: 'the bytes are application/xml (.xml), a type files.types does not allow',
      excluded: true,
    });
  });

  it('a Windows executable is identified, and refused: it is not in files.types', async () => {
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62)]);
    expect(await sniffUpload(exe, TYPES)).toEqual({
      refused: 'the bytes are application/x-msdownload (.exe), a type files.types does not allow',
      excluded: true,
    });
  });

  it('a PDF is refused when files.types leaves pdf out', async () => {
    expect(await sniffUpload(PDF, ['mp4'])).toEqual({
      refused: 'the bytes are application/pdf (.pdf), a type files.types does not allow',
      excluded: true,
    });
  });
});

describe('files config', () => {
  const parse = (files: unknown) => configSchema.safeParse({ collections: [{ endpoint: TEST_ENDPOINT, files }] });

  it('defaults: local, static/files under /files, 25 MiB, the default types', () => {
    const files = configSchema.parse({ collections: [{ endpoint: TEST_ENDPOINT }] }).collections[0]?.files;
    expect(files).toEqual({
      mode: 'local',
      dir: 'static/files',
      urlPrefix: '/files',
      maxBytes: 26214400,
      types: [
        'pdf',
        'mp4',
        'webm',
        'mov',
        'm4v',
        'mp3',
        'm4a',
        'ogg',
        'oga',
        'wav',
        'flac',
        'zip',
        'docx',
        'xlsx',
        'pptx',
        'epub',
        'jpg',
        'png',
        'gif',
        'webp',
      ],
    });
  });

  it.each([
    [{ mode: 'remote' }, ['files', 'mode'], 'must be "local" or "none"'],
    [{ dir: '/abs' }, ['files', 'dir'], 'must be relative under siteDir, not absolute'],
    ...['svg', 'xml', 'xhtml', 'html'].map((type): [object, (string | number)[], string] => [
      { types: [type] },
      ['files', 'types', 0],
      'must not be one of svg, svgz, html, htm, xhtml, xht, shtml, xml, xsl, xslt, js, mjs, swf: ' +
        'a script in such a file would run on the site',
    ]),
    [
      { types: ['.pdf'] },
      ['files', 'types', 0],
      'must be a file extension in lower case, without the dot, such as pdf',
    ],
    [{ maxbytes: 1 }, ['files'], 'Unrecognized key: "maxbytes"'],
  ])('refuses %j', (files, at, message) => {
    const result = parse(files);
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path).toEqual(['collections', 0, ...at]);
    expect(issue?.message).toBe(message);
  });
});

describe('safeFileName: the names the tool writes in the files folder', () => {
  it.each([
    ['annual-report-2023.pdf', true],
    ['launch.mp4', true],
    ['.hidden.pdf', false],
    ['a/b.pdf', false],
    ['noext', false],
    ['Upper.PDF', false],
    // Slugs of any script (slugify: transliterate, keep-letters): else downloaded again on every pass.
    ['報告書.pdf', true],
    ['über-größe.pdf', true],
    ['a b.pdf', false],
    ['../x.pdf', false],
  ])('%s: %s', (name, safe) => expect(safeFileName(name)).toBe(safe));
});

const upload = (id: string, kind: FeedItem['kind'], file: string, over: Partial<FeedItem> = {}): FeedItem => ({
  ...feedItem(id, file, `${CDN}/${file}?Signature=s`),
  content: `${CDN}/${file}?Signature=s`,
  thumbnail: `${CDN}/thumbnail/${file}.jpg?Signature=t`,
  kind,
  ...over,
});

describe('mirrorRequests: what a target mirrors, and under which name', () => {
  const items = [
    { ...feedItem('1', 'A link'), thumbnail: `${CDN}/thumbnail/link.jpg?Signature=t` },
    upload('2', 'image', 'photo.jpg'),
    upload('3', 'other', 'report.pdf'),
    { ...feedItem('7', 'Stack'), kind: 'stack' as const, link: null, thumbnail: null },
    upload('8', 'image', 'board.png', { parentId: '7' }),
    upload('9', 'audio', 'talk.mp3', { parentId: '7', thumbnail: null }),
  ];
  const index = {
    slugs: new Map([
      ['1', 'a-link'],
      ['2', 'photo'],
      ['3', 'report'],
      ['7', 'stack'],
      ['8', 'board'],
      ['9', 'talk'],
    ]),
    existingById: new Map([['7', existingFile('old-stack', '7')]]),
    lockedIds: new Set<string>(),
    brokenById: new Map(),
  };
  const imageUrl = (i: FeedItem) => (i.kind === 'image' ? (i.content ?? i.thumbnail) : i.thumbnail);
  const fileUrl = (i: FeedItem) => (['other', 'audio', 'video'].includes(i.kind) ? i.content : null);

  it('images: an uploaded image its original, others their thumbnail; a stack item under the stack name + id', () => {
    expect(mirrorRequests(stackLayout(items, 'list'), index, imageUrl)).toEqual([
      { itemId: '1', slug: 'a-link', previous: undefined, url: `${CDN}/thumbnail/link.jpg?Signature=t` },
      { itemId: '2', slug: 'photo', previous: undefined, url: `${CDN}/photo.jpg?Signature=s` },
      { itemId: '3', slug: 'report', previous: undefined, url: `${CDN}/thumbnail/report.pdf.jpg?Signature=t` },
      { itemId: '7', slug: 'stack', previous: 'old-stack', url: null },
      { itemId: '8', slug: 'stack-8', previous: 'old-stack-8', url: `${CDN}/board.png?Signature=s` },
      { itemId: '9', slug: 'stack-9', previous: 'old-stack-9', url: null },
    ]);
  });

  it('files: the uploads that are not images, a stack item under the stack name and its id', () => {
    const requests = mirrorRequests(stackLayout(items, 'list'), index, fileUrl).filter((r) => r.url !== null);
    expect(requests).toEqual([
      { itemId: '3', slug: 'report', previous: undefined, url: `${CDN}/report.pdf?Signature=s` },
      { itemId: '9', slug: 'stack-9', previous: 'old-stack-9', url: `${CDN}/talk.mp3?Signature=s` },
    ]);
  });

  it('stacks: flatten: every item is a post of its own, named after its own file; the stack is none', () => {
    expect(mirrorRequests(stackLayout(items, 'flatten'), index, fileUrl).map((r) => [r.itemId, r.slug])).toEqual([
      ['1', 'a-link'],
      ['2', 'photo'],
      ['3', 'report'],
      ['8', 'board'],
      ['9', 'talk'],
    ]);
  });

  it("a locked stack is left alone, but its items' files are still asked for: its post shows them", () => {
    const locked = { ...index, lockedIds: new Set(['7']) };
    expect(mirrorRequests(stackLayout(items, 'list'), locked, fileUrl).map((r) => r.itemId)).toEqual([
      '1',
      '2',
      '3',
      '8',
      '9',
    ]);
  });
});

describe('localCopies: the local copy each upload links to', () => {
  const result = (paths: [string, string][]) => ({ featuredImage: new Map(paths) }) as MirrorResult;

  it("an uploaded image's original, an uploaded file's copy; a link, an empty path and a miss are none", () => {
    const items = [
      { ...feedItem('1', 'A link'), thumbnail: `${CDN}/t.jpg` },
      upload('2', 'image', 'photo.jpg'),
      upload('3', 'other', 'report.pdf'),
      upload('4', 'video', 'launch.mp4'),
    ];
    const images = result([
      ['1', '/img/content/post/a-link.jpg'],
      ['2', '/img/content/post/photo.jpg'],
      ['3', '/img/content/post/report.jpg'],
      ['4', ''],
    ]);
    const files = result([
      ['3', '/files/report.pdf'],
      ['4', ''],
    ]);
    expect(localCopies(items, images, files)).toEqual(
      new Map([
        ['2', '/img/content/post/photo.jpg'],
        ['3', '/files/report.pdf'],
      ]),
    );
    expect(localCopies(items, undefined, undefined)).toEqual(new Map());
  });
});
