/**
 * One sync through the library's sync() (no CLI), printing one JSON line: a handle for profiling
 * in process. `npm run bench` no longer uses it: it measures the built CLI (bench/project.ts).
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'undici';
// The built package itself, as a user would load it.
import { loadConfig, silentLogger, sync } from 'dropmark-sync';

const [configFile, ...flags] = process.argv.slice(2);
const { config } = await loadConfig({ cwd: process.cwd(), env: process.env, overrides: { configFile } });
const dispatcher = new Agent();
const started = performance.now();
const summary = await sync(
  config,
  { dispatcher, logger: silentLogger, now: () => new Date('2026-11-26T00:00:00Z'), env: {} },
  { full: flags.includes('--full'), allowMassDelete: true },
);
const ms = performance.now() - started;
await dispatcher.close();
process.stdout.write(
  `${JSON.stringify({
    ms,
    maxRssMb: peakRssMb(),
    ok: summary.ok,
    result: summary.collections[0]?.result,
    created: summary.created,
    updated: summary.updated,
    deleted: summary.deleted,
    unchanged: summary.unchanged,
    imagesDownloaded: summary.imagesDownloaded,
    written: summary.files.length,
    error: summary.collections[0]?.error,
  })}\n`,
);

/**
 * This process's own peak RSS. Linux keeps getrusage's maxRSS across fork and exec, so it
 * would count the benchmark parent's memory (the feed, the CDN's images) too; VmHWM belongs
 * to this process's address space alone. Elsewhere: maxRSS.
 */
function peakRssMb(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
