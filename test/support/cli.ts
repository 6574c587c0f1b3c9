import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** Output so far. */
  output(): { stdout: string; stderr: string };
  done: Promise<CliResult>;
}

/** Starts the built CLI as a child process (asynchronously, so a loopback server in this process can answer). */
export function startCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; nodeArgs?: string[]; openFiles?: number },
): RunningCli {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'info', ...options.env };
  const node = [process.execPath, ...(options.nodeArgs ?? []), CLI, ...args];
  // `openFiles`: the CLI under a shell's `ulimit -n` (soft and hard), a machine that allows few open files.
  const [command, ...rest] =
    options.openFiles === undefined ? node : ['sh', '-c', `ulimit -n ${options.openFiles} && exec "$@"`, 'sh', ...node];
  const child = spawn(command as string, rest, {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, output: () => ({ stdout, stderr }), done };
}

export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string> | undefined; openFiles?: number | undefined },
): Promise<CliResult> {
  return startCli(args, options).done;
}

/** The posts folder of a project these helpers make (siteDir: site, the default contentDir). */
export const POSTS = 'site/content/post';
/** Its images folder (the default images.dir). */
export const IMAGES = 'site/static/img/content/post';

/**
 * `dropmark-sync sync --config dropmark-sync.yaml --json ARGS` in `cwd`, the built CLI: the
 * summary on stdout, the log on stderr. `json: false` leaves `--json` out (a dry run prints
 * its diff then).
 */
export function syncCli(
  cwd: string,
  args: readonly string[] = [],
  options: { env?: Record<string, string>; json?: boolean; openFiles?: number } = {},
): Promise<CliResult> {
  const json = options.json === false ? [] : ['--json'];
  const run = { cwd, env: options.env, openFiles: options.openFiles };
  return runCli(['sync', '--config', 'dropmark-sync.yaml', ...json, ...args], run);
}

export async function tempDir(prefix = 'dms-e2e-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/** A project folder with a config file whose collection reads `endpoint`. */
export async function projectWithConfig(endpoint: string, extra = ''): Promise<string> {
  const dir = await tempDir();
  const config = [
    'siteDir: site',
    'collections:',
    `  - endpoint: ${endpoint}`,
    '    images:',
    '      mode: remote',
    extra,
    'http:',
    '  timeoutMs: 5000',
    '  retries: 2',
    '  retryDelayMs: 5',
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'dropmark-sync.yaml'), config);
  return dir;
}

/** The collection's `images` line of loopbackProject: mirrored, from the loopback CDN. */
export const LOOPBACK_IMAGES = '    images: { mode: local, allowedHosts: ["127.0.0.1"], allowHttp: true }';

export interface LoopbackOptions {
  /** The collection's whole `images` line (default LOOPBACK_IMAGES). */
  images?: string;
  /** The site folder (default `site`). */
  siteDir?: string;
  /** The whole `http` line (default: one retry, 5 ms apart, private addresses allowed). */
  http?: string;
}

/**
 * A project whose one collection reads `endpoint` on a loopback server, its images and uploads
 * taken from there too (private addresses allowed). `collection`: more lines of the collection
 * (indented by four spaces).
 */
export async function loopbackProject(
  endpoint: string,
  collection: readonly string[] = [],
  options: LoopbackOptions = {},
): Promise<string> {
  const dir = await tempDir();
  await writeLoopbackConfig(dir, endpoint, collection, options);
  return dir;
}

/** Writes loopbackProject's config into `dir` (over the one there: the site and the cache stay). */
export async function writeLoopbackConfig(
  dir: string,
  endpoint: string,
  collection: readonly string[] = [],
  options: LoopbackOptions = {},
): Promise<void> {
  const config = [
    `siteDir: ${options.siteDir ?? 'site'}`,
    'collections:',
    `  - endpoint: ${endpoint}`,
    options.images ?? LOOPBACK_IMAGES,
    ...collection,
    options.http ?? 'http: { retries: 1, retryDelayMs: 5, allowPrivateNetworks: true }',
    '',
  ];
  await writeFile(path.join(dir, 'dropmark-sync.yaml'), config.join('\n'));
}
