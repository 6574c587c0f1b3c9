/**
 * Synthetic feeds of realistic shape and size: titles ~80 characters, descriptions ~300,
 * content ~1.5 kB, 0-3 tags, optionally a thumbnail on a CDN. Deterministic per seed.
 */
export interface SyntheticOptions {
  count: number;
  seed?: number;
  /** Every n-th item gets a thumbnail at `cdnPath(id)`; 0 for none. */
  imageEvery?: number;
  /** Changes applied on top: item ids whose title/content change, that are dropped, and how many new ones are added. */
  revision?: number;
}

const WORDS = (
  'health care data patient digital hospital record system clinical study new report shows ' +
  'how why what the a of in for with on by at from into over under after before between ' +
  'artificial intelligence telehealth interoperability security privacy cost value outcome ' +
  'physician nurse burnout cloud platform startup funding policy federal state market growth'
).split(' ');

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

function text(rand: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += `${WORDS[Math.floor(rand() * WORDS.length)]} `;
  return out.slice(0, length).trim();
}

export function cdnPath(id: number, revision = 0): string {
  return (
    `/cdn/${1000 + (id % 7)}/${id.toString(16).padStart(8, '0')}${revision ? `r${revision}` : ''}` +
    `/thumbnail/image-${id}.jpg`
  );
}

export interface SyntheticItem {
  id: number;
  name: string;
  description: string;
  content: string;
  link: string;
  tags: { name: string }[];
  created_at: string;
  updated_at: string;
  url: string;
  thumbnailPath: string | null;
}

export function syntheticItems(options: SyntheticOptions): SyntheticItem[] {
  const rand = rng(options.seed ?? 42);
  const items: SyntheticItem[] = [];
  for (let i = 0; i < options.count; i++) {
    const id = 10_000_000 + i;
    const title = text(rand, 70 + Math.floor(rand() * 20));
    const day = 1 + (i % 28);
    items.push({
      id,
      name: `${title[0]?.toUpperCase() ?? ''}${title.slice(1)}`,
      description: text(rand, 280 + Math.floor(rand() * 40)),
      content: `${text(rand, 700)}\n\n${text(rand, 750)}\n`,
      link: `https://www.site${i % 50}.example.com/article/${id}`,
      tags: Array.from({ length: Math.floor(rand() * 4) }, () => ({
        name: WORDS[Math.floor(rand() * WORDS.length)] as string,
      })),
      created_at: `2024-03-${String(day).padStart(2, '0')} 10:00:00 UTC`,
      updated_at: `2024-04-${String(day).padStart(2, '0')} 12:30:00 UTC`,
      url: `https://someone.dropmark.com/616548/${id}`,
      thumbnailPath: options.imageEvery && i % options.imageEvery === 0 ? cdnPath(id) : null,
    });
  }
  return items;
}

/**
 * A later state of the same collection: `changedShare` of the items get a new title and body
 * (and a new image path when they have one), `droppedShare` disappear, `added` new ones come.
 */
export function revise(
  items: SyntheticItem[],
  options: { changedShare: number; droppedShare: number; added: number; seed?: number },
): SyntheticItem[] {
  const rand = rng(options.seed ?? 7);
  const out: SyntheticItem[] = [];
  for (const item of items) {
    const r = rand();
    if (r < options.droppedShare) continue;
    if (r < options.droppedShare + options.changedShare) {
      out.push({
        ...item,
        name: `${item.name} (updated)`,
        content: `${item.content}\nUpdate: ${text(rand, 200)}\n`,
        updated_at: '2024-05-01 09:00:00 UTC',
        thumbnailPath: item.thumbnailPath ? cdnPath(item.id, 2) : null,
      });
    } else {
      out.push(item);
    }
  }
  const next = syntheticItems({ count: options.added, seed: (options.seed ?? 7) + 1 }).map((item, i) => ({
    ...item,
    id: 20_000_000 + i,
    url: `https://someone.dropmark.com/616548/${20_000_000 + i}`,
  }));
  return [...out, ...next];
}

/** The feed JSON for `items`, thumbnails signed by `sign`. */
export function feedJson(items: readonly SyntheticItem[], sign: (path: string) => string): string {
  return JSON.stringify({
    id: 616548,
    name: 'Synthetic',
    items: items.map(({ thumbnailPath, ...item }) => ({
      ...item,
      type: 'link',
      thumbnail: thumbnailPath ? sign(thumbnailPath) : null,
    })),
  });
}
