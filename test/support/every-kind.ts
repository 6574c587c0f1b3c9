import type { FakeCdn } from './cdn.js';
import { jpeg } from './images.js';

/**
 * Bytes of each kind of upload, real enough for a check of magic numbers: a PDF, an MP4 (an
 * `ftyp` box of brand isom), an MP3 (an ID3 tag, then an MPEG frame header).
 */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
export const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypisom'),
  Buffer.from([0, 0, 2, 0]),
  Buffer.from('isomiso2'),
  Buffer.from([0, 0, 0, 8]),
  Buffer.from('free'),
]);
export const MP3 = Buffer.concat([
  Buffer.from('ID3'),
  Buffer.from([3, 0, 0, 0, 0, 0, 0]),
  Buffer.from([0xff, 0xfb, 0x90, 0x64]),
  Buffer.alloc(413),
]);

/** Where each object of the feed sits on the stand-in CDN, by the item it belongs to. */
export const EVERY_KIND_PATHS = {
  linkThumb: '/1/aa/thumbnail/link.jpg',
  photo: '/1/bb/team-photo.jpg',
  photoThumb: '/1/bb/thumbnail/team-photo.jpg',
  pdf: '/1/cc/annual-report.pdf',
  pdfThumb: '/1/cc/thumbnail/annual-report.jpg',
  video: '/1/dd/launch.mp4',
  videoThumb: '/1/dd/thumbnail/launch.jpg',
  audio: '/1/ee/interview.mp3',
  stackThumb: '/1/ff/thumbnail/stack.jpg',
  stackLinkThumb: '/1/gg/thumbnail/inside.jpg',
  stackPhoto: '/1/hh/whiteboard.png',
  stackPhotoThumb: '/1/hh/thumbnail/whiteboard.jpg',
} as const;

/**
 * A collection feed with one item of every kind Dropmark has (dropmark-feed.md): a link, an
 * uploaded image, an uploaded PDF (`other`), a video, an audio file, a text note, and a stack
 * holding a link and an image (its items carry the stack's id in `parent_id`). Every file and
 * thumbnail URL is signed by the stand-in CDN, which holds the bytes; `items_total_count`
 * matches, unless `over.total` says otherwise.
 */
export function everyKindFeed(cdn: FakeCdn, over: { total?: number; user?: string } = {}): Record<string, unknown> {
  const p = EVERY_KIND_PATHS;
  for (const [path, body] of [
    [p.photo, jpeg('team photo')],
    [p.pdf, PDF],
    [p.video, MP4],
    [p.audio, MP3],
    [p.stackPhoto, jpeg('whiteboard')],
  ] as const)
    cdn.put(path, body);
  for (const key of Object.keys(p) as (keyof typeof p)[])
    if (key.endsWith('Thumb')) cdn.put(p[key], jpeg(`thumbnail ${key}`));
  const user = over.user ?? 'me';
  const page = (id: number) => `https://${user}.dropmark.com/616548/${id}`;
  const base = (id: number, type: string, name: string, rest: Record<string, unknown>) => ({
    id,
    collection_id: 616548,
    user_id: 1,
    parent_id: null,
    name,
    description: null,
    content: null,
    link: null,
    is_url: false,
    type,
    mime: null,
    thumbnail: null,
    tags: [],
    created_at: `2024-03-0${(id % 9) + 1} 10:00:00 UTC`,
    updated_at: `2024-03-0${(id % 9) + 1} 12:00:00 UTC`,
    url: page(id),
    user_email: 'owner@example.com',
    ...rest,
  });
  const items = [
    base(101, 'link', 'Interoperability in practice | HIMSS', {
      link: 'https://www.himss.org/news/interop',
      content: 'https://www.himss.org/news/interop',
      is_url: true,
      mime: 'url',
      thumbnail: cdn.sign(p.linkThumb),
      tags: [{ name: 'interop' }],
    }),
    base(102, 'image', 'team-photo.jpg', {
      link: cdn.sign(p.photo),
      content: cdn.sign(p.photo),
      mime: 'image/jpeg',
      size: 2048,
      thumbnail: cdn.sign(p.photoThumb),
    }),
    base(103, 'other', 'Annual report 2023', {
      link: cdn.sign(p.pdf),
      content: cdn.sign(p.pdf),
      mime: 'application/pdf',
      size: PDF.length,
      thumbnail: cdn.sign(p.pdfThumb),
    }),
    base(104, 'video', 'launch.mp4', {
      link: cdn.sign(p.video),
      content: cdn.sign(p.video),
      mime: 'video/mp4',
      size: MP4.length,
      thumbnail: cdn.sign(p.videoThumb),
    }),
    base(105, 'audio', 'interview.mp3', {
      link: cdn.sign(p.audio),
      content: cdn.sign(p.audio),
      mime: 'audio/mpeg',
      size: MP3.length,
    }),
    base(106, 'text', 'Meeting notes', {
      content: 'We agreed to **ship** on Friday.\n\n- one\n- two\n',
      mime: 'text/plain',
    }),
    base(107, 'stack', 'Reading list', { thumbnail: cdn.sign(p.stackThumb) }),
    base(108, 'link', 'Inside the stack | Example', {
      parent_id: 107,
      link: 'https://example.org/inside',
      content: 'https://example.org/inside',
      is_url: true,
      mime: 'url',
      thumbnail: cdn.sign(p.stackLinkThumb),
    }),
    base(109, 'image', 'whiteboard.png', {
      parent_id: 107,
      link: cdn.sign(p.stackPhoto),
      content: cdn.sign(p.stackPhoto),
      mime: 'image/png',
      thumbnail: cdn.sign(p.stackPhotoThumb),
    }),
  ];
  return {
    id: 616548,
    name: 'Every kind',
    url: `https://${user}.dropmark.com/616548`,
    items_total_count: over.total ?? items.length,
    items,
  };
}

/** The post files everyKindFeed gives with `stacks: list`: the stack's two items have none of their own. */
export const EVERY_KIND_POSTS = [
  'annual-report-2023.md',
  'himss-interoperability-in-practice.md',
  'interview.md',
  'launch.md',
  'meeting-notes.md',
  'reading-list.md',
  'team-photo.md',
];
