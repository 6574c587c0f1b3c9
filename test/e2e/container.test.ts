import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { chown, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { POSTS, projectWithConfig } from '../support/cli.js';
import type { TestServer } from '../support/feed-server.js';
import { useSampleFeedServer } from '../support/sample-feed-server.js';
import { waitFor } from '../support/wait.js';

let endpoint: string;
useSampleFeedServer((_s: TestServer, e) => {
  endpoint = e;
});

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The uid and gid of the "node" user of the node slim images. */
const NODE_USER = 1000;

/** The image's instructions that decide how the CLI runs in it, read from the Dockerfile itself. */
async function image() {
  const lines = (await readFile(path.join(repo, 'Dockerfile'), 'utf8')).split('\n');
  const last = (instruction: string) =>
    lines
      .filter((l) => l.startsWith(`${instruction} `))
      .at(-1)
      ?.slice(instruction.length + 1) ?? '';
  const here = (args: string[]) => args.map((a) => a.replace('/opt/dropmark-sync/', `${repo}/`));
  const healthcheck = last('HEALTHCHECK');
  const args = Object.fromEntries(
    lines.filter((l) => l.startsWith('ARG ')).map((l) => l.slice(4).split('=') as [string, string]),
  );
  return {
    bases: lines
      .filter((l) => l.startsWith('FROM '))
      .map((l) => (l.split(' ')[1] ?? '').replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name] ?? name)),
    user: last('USER'),
    workdir: last('WORKDIR'),
    command: here([...(JSON.parse(last('ENTRYPOINT')) as string[]), ...(JSON.parse(last('CMD')) as string[])]),
    healthcheck: here(JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD ') + 4)) as string[]),
  };
}

const AS_NODE_USER = [`--reuid=${NODE_USER}`, `--regid=${NODE_USER}`, '--clear-groups'];
/** A command run as the image's user, as the test runs the CLI. */
const asNodeUser = (command: string, ...args: string[]) =>
  spawnSync('setpriv', [...AS_NODE_USER, command, ...args], { encoding: 'utf8', timeout: 30_000 });

/**
 * Why the image's user cannot run the built CLI from this checkout, or undefined when it can.
 * A clone under a private folder (`mktemp -d` makes it mode 0700) is out of uid 1000's reach:
 * the CLI it would start exits at once, and the test would only time out waiting for a sync.
 */
function outOfReach(): string | undefined {
  const cli = path.join(repo, 'dist/cli.js');
  const run = asNodeUser(process.execPath, cli, '--version');
  if (run.status === 0) return undefined;
  // The node binary, the CLI, and the temp folder the site is made in.
  for (const target of [process.execPath, cli, path.join(tmpdir(), 'site')]) {
    const parts = path.resolve(target).split(path.sep);
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join(path.sep) || path.sep;
      if (asNodeUser('test', '-x', dir).status === 0) continue;
      const mode = (statSync(dir).mode & 0o777).toString(8).padStart(4, '0');
      return (
        `uid ${NODE_USER} cannot enter ${dir} (mode ${mode}) to reach ${target}; ` +
        'run the tests from a clone other users can read'
      );
    }
  }
  return `uid ${NODE_USER} cannot run ${cli}: ${(run.stderr || run.error?.message || '').trim().split('\n')[0]}`;
}

const asRoot =
  process.getuid?.() === 0 &&
  spawnSync('unshare', ['--pid', '--fork', 'setpriv', ...AS_NODE_USER, 'true']).status === 0;
const unreachable = asRoot ? outOfReach() : undefined;
if (!asRoot)
  console.warn('skipped: running the image entrypoint as PID 1 and its non-root user needs root, unshare and setpriv');
else if (unreachable) console.warn(`skipped: the image's command as its user: ${unreachable}`);

describe('the container image', () => {
  it('declares a non-root user, the site at /site, the worker as its command and a status health check', async () => {
    const img = await image();
    expect(img.user).toBe('node');
    expect(img.workdir).toBe('/site');
    expect(img.command).toEqual(['node', `${repo}/dist/cli.js`, 'schedule', '--run-now']);
    expect(img.healthcheck).toEqual(['node', `${repo}/dist/cli.js`, 'status', '--liveness']);
  });

  it('builds and runs on Node 26 LTS, a slim Debian image pinned by digest, the same in both stages', async () => {
    const { bases } = await image();
    expect(bases).toHaveLength(2);
    for (const base of bases) expect(base).toMatch(/^node:26\.\d+\.\d+-trixie-slim@sha256:[0-9a-f]{64}$/);
    expect(new Set(bases).size).toBe(1);
  });

  it.skipIf(!asRoot || unreachable !== undefined)(
    'runs its command as a non-root user; the CLI as PID 1 stops on SIGTERM with exit 0; the health check passes',
    async () => {
      const img = await image();
      const site = await projectWithConfig(endpoint);
      spawnSync('chown', ['-R', `${NODE_USER}:${NODE_USER}`, site]);
      await chown(site, NODE_USER, NODE_USER);
      const [command, ...args] = img.command as [string, ...string[]];
      const env = { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', LOG_LEVEL: 'info', HOME: site };
      expect(command).toBe('node');
      // As in a container: its own PID namespace, where the CLI is PID 1 (which gets no default
      // signal handling: SIGTERM does nothing unless the program handles it), as the image's user.
      const child = spawn('unshare', ['--pid', '--fork', 'setpriv', ...AS_NODE_USER, process.execPath, ...args], {
        cwd: site,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      let closed = false;
      const exited = new Promise<number | null>((resolve) =>
        child.on('close', (code) => {
          closed = true;
          resolve(code);
        }),
      );
      // A worker that exits at once says why, instead of a wait that times out.
      await waitFor(() => closed || /dropmark-sync: done: 41 created/.test(stderr), 20_000, 'the first scheduled sync');
      expect(closed, `the worker exited before its first sync: ${stderr}`).toBe(false);
      const posts = path.join(site, POSTS);
      expect(await readdir(posts)).toHaveLength(41);
      expect((await stat(path.join(posts, (await readdir(posts))[0] as string))).uid).toBe(NODE_USER);
      // SIGTERM to the CLI itself, which is PID 1 in its namespace, as `docker stop` sends it.
      const pid1 = (await readFile(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')).trim().split(' ')[0];
      expect((await readFile(`/proc/${pid1}/status`, 'utf8')).match(/^NSpid:\s+\d+\s+(\d+)$/m)?.[1]).toBe('1');
      expect((await readFile(`/proc/${pid1}/status`, 'utf8')).match(/^Uid:\s+(\d+)/m)?.[1]).toBe(String(NODE_USER));
      process.kill(Number(pid1), 'SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toMatch(/scheduled worker stopped/);
      const [, ...health] = img.healthcheck;
      const check = spawnSync(process.execPath, health, {
        cwd: site,
        env,
        uid: NODE_USER,
        gid: NODE_USER,
        encoding: 'utf8',
      });
      expect(check.status, check.stderr).toBe(0);
    },
  );
});
