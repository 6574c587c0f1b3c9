/**
 * One measured process: spawned fresh, timed from spawn to exit, its peak RSS (VmHWM) and CPU
 * time written at exit by the preload bench/peak-rss.cts.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const preload = path.join(here, 'peak-rss.cjs');

export interface Measured {
  /** Wall time from spawn to exit. */
  ms: number;
  /** Peak RSS of the process (VmHWM), MB. */
  peakMb: number;
  /** User + system CPU time of the process, all its threads. */
  cpuMs: number;
  stdout: string;
  stderr: string;
}

export interface MeasureOptions {
  cwd: string;
  /** Where the preload writes its figures (a fresh name per run). */
  statsFile: string;
  env?: Record<string, string>;
}

let serial = 0;

/** Runs `node --import peak-rss.js ...args` and measures it; rejects when it exits non-zero. */
export async function measureNode(args: string[], options: MeasureOptions): Promise<Measured> {
  const statsFile = `${options.statsFile}.${++serial}.json`;
  const env = { PATH: process.env['PATH'] ?? '', ...options.env, BENCH_PEAK_FILE: statsFile };
  const started = performance.now();
  const child = spawn(process.execPath, ['-r', preload, ...args], { cwd: options.cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Timed to 'exit'; the output is complete only at 'close', which may come a little later.
  const exited = new Promise<{ ms: number; code: number | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ ms: performance.now() - started, code }));
  });
  const closed = new Promise((resolve) => child.on('close', resolve));
  const { ms, code } = await exited;
  await closed;
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`);
  const stats = JSON.parse(await readFile(statsFile, 'utf8')) as { peakKb: number; cpuUs: number };
  await rm(statsFile, { force: true });
  return { ms, peakMb: stats.peakKb / 1024, cpuMs: stats.cpuUs / 1000, stdout, stderr };
}

export const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
