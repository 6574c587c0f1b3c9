/**
 * bench/RESULTS.md: the generated part above `<!-- history -->` is replaced; the hand-kept
 * history below it (with the start-up section that bench/startup.ts writes) survives.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { growthTable, imageTable, type Results, runsDetail } from './report.js';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'RESULTS.md');
const MARKER = '<!-- history -->';

export async function writeResults(results: Results, targets: string[]): Promise<void> {
  const previous = await readFile(file, 'utf8').catch(() => '');
  const at = previous.indexOf(MARKER);
  const text = resultsText(results, targets);
  await writeFile(file, at === -1 ? `${text}\n${MARKER}\n` : `${text}\n${previous.slice(at)}`);
}

function resultsText(results: Results, targets: string[]): string {
  const cpu = cpus();
  const machine =
    `${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ` +
    `Node.js ${process.version}, ${process.platform} ${process.arch}; load average at the end ` +
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  const images = results.images.length ? `\n## Images\n\n${imageTable(results.images)}\n` : '';
  return `# Benchmark results

Measured by \`${results.command}\` (bench/bench.ts) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${machine}.

Every figure is a whole process, timed from spawn to exit: the built CLI (\`node dist/cli.js sync
--config dropmark-sync.yaml\`, log level info, JSON log on stderr) in a site of its own, against a
synthetic feed served on 127.0.0.1 (titles ~80 characters, descriptions ~300, content ~1.5 kB, 0-3
tags, every item with a signed thumbnail; image mode none except in the image runs). The floor
(issue 26's): a Node process that reads the same feed JSON from a file, parses it, and writes the
same bytes the sync wrote with \`writeFileSync\`, one file per item, no rename; each full sync is
followed by a floor run, so the disk's drift hits both. The no-op's feed is the same items with every
image URL signed afresh and no ETag, as Dropmark serves it; the 304 poll's server sends an ETag.
Peak RSS is VmHWM of the measured process (written at exit by the preload bench/peak-rss.ts;
getrusage's maxRSS is carried across fork and exec on Linux, so it counts the parent's memory), CPU
is the process's user + system time. Dirty pages are written out (\`sync\`) before each measured run.

## Targets (issue 26)

${targets.map((t) => `- ${t}`).join('\n')}

## From 1k to 10k to 100k items

${growthTable(results.sizes)}
${images}
## Each run

${runsDetail(results)}
`;
}
