/**
 * Preloaded into every measured process (`node -r dist-bench/bench/peak-rss.cjs ...`): at exit it
 * writes the process's peak RSS and CPU time to the file named by BENCH_PEAK_FILE. The CLI cannot
 * report them itself, and the parent cannot read them reliably: Linux carries getrusage's maxRSS
 * across fork and exec, so a child's maxRSS counts the parent's memory (the feed, the CDN's
 * images). VmHWM belongs to this process's address space alone. CommonJS, loaded with -r: an ESM
 * preload (--import) cost ~5 ms of start-up per process here, a CommonJS one nothing measurable.
 */
import fs = require('node:fs');

const file = process.env['BENCH_PEAK_FILE'];
if (file) {
  process.on('exit', () => {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    const cpu = process.cpuUsage();
    fs.writeFileSync(file, JSON.stringify({ peakKb: Number(kb ?? Number.NaN), cpuUs: cpu.user + cpu.system }));
  });
}
