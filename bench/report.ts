/**
 * What the bench prints and writes to bench/RESULTS.md: the targets of issue 26 (met or MISSED,
 * with the figures), one table of every figure at each feed size with its growth, the images'
 * table, and each run's figures.
 */
import type { ImageResult } from './images.js';
import { type Measured, median } from './measure.js';
import type { SizeResult } from './sizes.js';

export interface Results {
  sizes: SizeResult[];
  images: ImageResult[];
  /** How the bench was run (environment and command). */
  command: string;
}

/** Median of the pairs' ratios: each sync against the floor measured right after it. */
export function floorRatio(s: SizeResult): number {
  return median(s.full.map((run, i) => run.ms / (s.floor[i]?.ms ?? Number.NaN)));
}

/** The same for CPU time (user + system): steadier than wall time on a VM whose disk drifts. */
function cpuFloorRatio(s: SizeResult): number {
  return median(s.full.map((run, i) => run.cpuMs / (s.floor[i]?.cpuMs ?? Number.NaN)));
}

const med = (runs: readonly Measured[], key: 'ms' | 'cpuMs' = 'ms') => median(runs.map((r) => r[key]));
const peak = (runs: readonly (Measured | undefined)[]) => Math.max(...runs.map((r) => r?.peakMb ?? 0));
/** Every sync of that size (not the floor, not `node -e 0`). */
const syncs = (s: SizeResult) => [...s.full, ...s.noop, ...s.poll, s.changed, s.fullNoop];

interface Figure {
  label: string;
  target?: (items: number) => string;
  value: (s: SizeResult) => number | undefined;
  digits?: number;
}

const FIGURES: Figure[] = [
  { label: 'feed size, MB', value: (s) => s.feedMb, digits: 1 },
  { label: 'full sync, wall ms', value: (s) => med(s.full) },
  { label: 'floor, wall ms', value: (s) => med(s.floor) },
  {
    label: 'full sync / floor (median of pairs)',
    target: (n) => (n === 10_000 ? '<= 2.5' : n === 100_000 ? '<= 3' : ''),
    value: floorRatio,
    digits: 2,
  },
  { label: 'full sync / floor, CPU time (median of pairs)', value: cpuFloorRatio, digits: 2 },
  { label: 'full sync, CPU ms', value: (s) => med(s.full, 'cpuMs') },
  { label: 'floor, CPU ms', value: (s) => med(s.floor, 'cpuMs') },
  { label: 'full sync, peak RSS MB (max)', value: (s) => peak(s.full) },
  { label: 'floor, peak RSS MB (max)', value: (s) => peak(s.floor) },
  {
    label: 'any sync, peak RSS MB (max)',
    target: (n) => (n === 100_000 ? '<= 1024' : ''),
    value: (s) => peak(syncs(s)),
  },
  {
    label: 'no-op, re-signed, no ETag, wall ms',
    target: (n) => (n === 10_000 ? '<= 500' : n === 100_000 ? '<= 3000' : ''),
    value: (s) => med(s.noop),
  },
  { label: 'no-op, re-signed, no ETag, CPU ms', value: (s) => med(s.noop, 'cpuMs') },
  { label: 'no-op, re-signed, no ETag, peak RSS MB', value: (s) => peak(s.noop) },
  { label: '304 poll, wall ms', target: (n) => (n === 10_000 ? '<= 300' : ''), value: (s) => med(s.poll) },
  { label: '`node -e 0` beside the 304 polls, wall ms', value: (s) => med(s.bare) },
  { label: '1% changed, wall ms (1 run)', value: (s) => s.changed?.ms },
  { label: '1% changed, peak RSS MB', value: (s) => s.changed?.peakMb },
  { label: '--full no-op, wall ms (1 run)', value: (s) => s.fullNoop?.ms },
  { label: '--full no-op, peak RSS MB', value: (s) => s.fullNoop?.peakMb },
];

const fmt = (x: number | undefined, digits = 0) => (x === undefined || Number.isNaN(x) ? '' : x.toFixed(digits));
const kilo = (n: number) => (n % 1000 === 0 ? `${n / 1000}k` : String(n));
/** Image sizes: 20 kB, 2 MB. */
export const bytesText = (n: number) => (n >= 1e6 ? `${n / 1e6} MB` : `${n / 1000} kB`);

/** One row per figure, one column per size, then how much each grew from one size to the next. */
export function growthTable(sizes: readonly SizeResult[]): string {
  const steps = sizes.slice(1).map((s, i) => [sizes[i] as SizeResult, s] as const);
  const head = [
    'figure (median unless noted)',
    'target',
    ...sizes.map((s) => kilo(s.items)),
    ...steps.map(([a, b]) => `${kilo(a.items)} -> ${kilo(b.items)}`),
  ];
  const rows = FIGURES.map((f) => {
    const targets = sizes.map((s) => f.target?.(s.items) && `${kilo(s.items)}: ${f.target(s.items)}`).filter(Boolean);
    const growth = steps.map(([a, b]) => growthCell(f.value(a), f.value(b)));
    return [f.label, targets.join(', '), ...sizes.map((s) => fmt(f.value(s), f.digits)), ...growth];
  });
  return markdownTable(head, rows, 2);
}

function growthCell(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || !a ? '' : `x${(b / a).toFixed(1)}`;
}

export function imageTable(images: readonly ImageResult[]): string {
  const head = ['images', 'latency', 'concurrency', 'floor ms', 'sync wall ms', 'sync / floor', 'peak RSS MB', 'runs'];
  const rows = images.map((im) => [
    `${im.count} x ${bytesText(im.bytes)}`,
    `${im.latencyMs} ms`,
    String(im.concurrency),
    String(im.floorMs),
    fmt(med(im.runs)),
    fmt(med(im.runs) / im.floorMs, 2),
    fmt(median(im.runs.map((r) => r.peakMb))),
    String(im.runs.length),
  ]);
  return markdownTable(head, rows, 1);
}

function markdownTable(head: string[], rows: string[][], textColumns: number): string {
  const align = head.map((_, i) => (i < textColumns ? '---' : '---:'));
  return [head, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

const pairs = (s: SizeResult, key: 'ms' | 'cpuMs') =>
  s.full.map((run, i) => `${fmt(run[key])}/${fmt(s.floor[i]?.[key])}`).join(', ');

/** Each run's figures, for the spread behind the medians. */
export function runsDetail(results: Results): string {
  const list = (runs: readonly (Measured | undefined)[]) => runs.map((r) => fmt(r?.ms)).join(', ');
  const lines = results.sizes.flatMap((s) => [
    `- ${kilo(s.items)}: full sync / floor, ms: ${pairs(s, 'ms')}; CPU ms: ${pairs(s, 'cpuMs')}`,
    `- ${kilo(s.items)}: no-op (re-signed, no ETag), ms: ${list(s.noop)}; 304 poll: ${list(s.poll)}; ` +
      `\`node -e 0\`: ${list(s.bare)}`,
  ]);
  for (const im of results.images) {
    lines.push(
      `- ${im.count} images of ${bytesText(im.bytes)}: ms ${list(im.runs)}; ` +
        `peak RSS MB ${im.runs.map((r) => fmt(r.peakMb)).join(', ')}`,
    );
  }
  return lines.join('\n');
}
