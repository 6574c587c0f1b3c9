/**
 * The file operations a full sync makes per new post, without any of the tool's code, against the
 * floor's: what issue 26's "full sync <= 2.5x the floor" leaves for fetching, parsing and rendering.
 *   floor:  writeFileSync(name)                                   open, write, close
 *   synced: temp file created exclusively, the folder's realpath (the swap check), link(temp, name),
 *           unlink(temp): open, write, close, realpath, link, unlink; once in a loop of synchronous calls,
 *           as the apply step makes them, and once through the thread pool, 16 at a time, as it made
 *           them before 2026-12-07.
 * Each mode runs in turn, `rounds` times, after `sync`, in a fresh folder of this machine's tmpdir.
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/write-calls.js [files] [rounds]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const files = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 3);
const text = 'x'.repeat(2_500);

const writeFile = promisify(fs.writeFile);
const realpath = promisify(fs.realpath.native);
const link = promisify(fs.link);
const unlink = promisify(fs.unlink);

const modes: Record<string, (dir: string) => Promise<void>> = {
  floor: async (dir) => {
    for (let i = 0; i < files; i++) fs.writeFileSync(path.join(dir, `p${i}.md`), text);
  },
  'synced, sync calls': async (dir) => {
    for (let i = 0; i < files; i++) {
      const temp = path.join(dir, `.p${i}.tmp`);
      fs.writeFileSync(temp, text, { flag: 'wx' });
      fs.realpathSync.native(dir);
      fs.linkSync(temp, path.join(dir, `p${i}.md`));
      fs.unlinkSync(temp);
    }
  },
  'synced, thread pool, 16 at a time': async (dir) => {
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < files; i = next++) {
        const temp = path.join(dir, `.p${i}.tmp`);
        await writeFile(temp, text, { flag: 'wx' });
        await realpath(dir);
        await link(temp, path.join(dir, `p${i}.md`));
        await unlink(temp);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
  },
};

const root = fs.mkdtempSync(path.join(tmpdir(), 'dms-write-calls-'));
const results = new Map<string, string[]>();
for (let round = 0; round < rounds; round++) {
  for (const [mode, run] of Object.entries(modes)) {
    const dir = fs.mkdtempSync(path.join(root, 'round-'));
    execFileSync('sync');
    const cpu = process.cpuUsage();
    const started = performance.now();
    await run(dir);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const line = `${ms.toFixed(0)} ms (CPU ${((used.user + used.system) / 1000).toFixed(0)})`;
    results.set(mode, [...(results.get(mode) ?? []), line]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
fs.rmSync(root, { recursive: true, force: true });
for (const [mode, lines] of results) process.stdout.write(`${mode.padEnd(34)} ${lines.join(', ')}\n`);
