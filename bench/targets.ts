/** The targets of issue 26, each met or MISSED with its figures, or not measured in this run. */
import type { ImageResult } from './images.js';
import { type Measured, median } from './measure.js';
import { bytesText, floorRatio, type Results } from './report.js';
import type { SizeResult } from './sizes.js';

const med = (runs: readonly Measured[]) => median(runs.map((r) => r.ms));
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

function atSize(results: Results, n: number, what: string, check: (s: SizeResult) => string): string {
  const s = results.sizes.find((x) => x.items === n);
  return s ? check(s) : `${what}: not measured (BENCH_SIZES has no ${n})`;
}

function bound(label: string, value: number, limit: number, detail: string): string {
  return `${label}: ${verdict(value <= limit)} (${detail})`;
}

const sizeTargets = (r: Results): string[] => [
  atSize(r, 10_000, '10k full sync <= 2.5x the floor', (s) =>
    bound('10k full sync <= 2.5x the floor', floorRatio(s), 2.5, ratioText(s)),
  ),
  atSize(r, 10_000, '10k no-op of a re-signed feed without ETag <= 500 ms', (s) =>
    bound('10k no-op of a re-signed feed without ETag <= 500 ms', med(s.noop), 500, `${med(s.noop).toFixed(0)} ms`),
  ),
  atSize(r, 10_000, '10k 304 poll <= 300 ms', (s) =>
    bound('10k 304 poll <= 300 ms', med(s.poll), 300, `${med(s.poll).toFixed(0)} ms`),
  ),
  atSize(r, 100_000, '100k full sync <= 3x the floor', (s) =>
    bound('100k full sync <= 3x the floor', floorRatio(s), 3, ratioText(s)),
  ),
  atSize(r, 100_000, '100k peak RSS <= 1 GB', (s) => {
    const peak = Math.max(...[...s.full, ...s.noop, ...s.poll, s.changed, s.fullNoop].map((x) => x?.peakMb ?? 0));
    return bound('100k peak RSS <= 1 GB (every sync at 100k)', peak, 1024, `${peak.toFixed(0)} MB`);
  }),
  atSize(r, 100_000, '100k no-op <= 3 s', (s) =>
    bound('100k no-op (re-signed, no ETag) <= 3 s', med(s.noop), 3000, `${med(s.noop).toFixed(0)} ms`),
  ),
  ...linearGrowth(r.sizes),
];

function ratioText(s: SizeResult): string {
  return `${floorRatio(s).toFixed(2)}x: ${med(s.full).toFixed(0)} ms against ${med(s.floor).toFixed(0)} ms`;
}

/** "Linear or better" from each size to the next: a figure may grow by the items' factor, plus 10% for noise. */
function linearGrowth(sizes: readonly SizeResult[]): string[] {
  const out: string[] = [];
  for (const [i, b] of sizes.entries()) {
    const a = sizes[i - 1];
    if (!a) continue;
    const allowed = (b.items / a.items) * 1.1;
    const growth = [
      ['full sync', med(b.full) / med(a.full)],
      ['no-op', med(b.noop) / med(a.noop)],
      ['peak RSS', Math.max(...b.full.map((x) => x.peakMb)) / Math.max(...a.full.map((x) => x.peakMb))],
    ] as const;
    const worst = Math.max(...growth.map(([, g]) => g));
    const detail = growth.map(([what, g]) => `${what} x${g.toFixed(1)}`).join(', ');
    out.push(bound(`linear or better from ${a.items} to ${b.items} items`, worst, allowed, detail));
  }
  return out;
}

/** Time against the requests' floor (the issue gives no bound: shown), peak RSS flat in image size. */
function imageTargets(images: readonly ImageResult[]): string[] {
  if (images.length === 0) return ['images: not measured (BENCH_IMAGES=0)'];
  const out = images.map((im) => {
    const ms = med(im.runs);
    return (
      `${im.count} images of ${bytesText(im.bytes)}, ${im.latencyMs} ms latency: ${ms.toFixed(0)} ms, ` +
      `${(ms / im.floorMs).toFixed(2)}x the floor of ${im.floorMs} ms (ceil(${im.count} / ${im.concurrency}) x ` +
      `${im.latencyMs} ms; shown, the issue sets no bound)`
    );
  });
  const flat = flatRss(images);
  if (flat) out.push(flat);
  return out;
}

/**
 * Holding the images in memory would grow peak RSS by all the extra bytes the larger images bring;
 * streaming them to files grows it by what is in flight and the garbage collector's slack, which
 * is bounded: the Buffers a download passes through are collected in rounds, not one by one. Two
 * sizes cannot tell that slack from growth (20 kB -> 200 kB grows by tens of MB of slack), so the
 * span is from the smallest size to the largest (2 MB by default: 2 GB through the process), and
 * flat is less than a twentieth of the extra bytes. Each step's growth is shown beside it.
 */
function flatRss(images: readonly ImageResult[]): string | undefined {
  const [small, big] = [images[0], images.at(-1)];
  if (!small || !big || big.bytes <= small.bytes) return undefined;
  const peak = (im: ImageResult) => median(im.runs.map((x) => x.peakMb));
  const extra = (a: ImageResult, b: ImageResult) => (b.count * (b.bytes - a.bytes)) / 2 ** 20;
  const growth = (a: ImageResult, b: ImageResult) => {
    const grew = peak(b) - peak(a);
    const sizes = `${bytesText(a.bytes)} -> ${bytesText(b.bytes)}`;
    return `${sizes}: ${grew >= 0 ? '+' : ''}${grew.toFixed(0)} MB for ${extra(a, b).toFixed(0)} MB more of images`;
  };
  const steps = images.slice(1).map((im, i) => growth(images[i] as ImageResult, im));
  return bound(
    `peak RSS flat in image size (${bytesText(small.bytes)} -> ${bytesText(big.bytes)}: grows by < 1/20 of the extra ` +
      'bytes)',
    peak(big) - peak(small),
    extra(small, big) / 20,
    images.length > 2 ? `${growth(small, big)}; by step, ${steps.join(', ')}` : growth(small, big),
  );
}

export function targets(results: Results): string[] {
  return [...sizeTargets(results), ...imageTargets(results.images)];
}
