import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { projectWithConfig, tempDir } from '../support/cli.js';
import { json, type TestServer } from '../support/feed-server.js';
import { sampleFeed } from '../support/fixtures.js';
import { useSampleFeedServer } from '../support/sample-feed-server.js';

let server: TestServer;
let endpoint: string;
useSampleFeedServer((s, e) => {
  server = s;
  endpoint = e;
});

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface ActionStep {
  id?: string;
  shell: string;
  run: string;
  env?: Record<string, string>;
}

/** Runs action.yml's sync step as the runner does: its shell, its env (inputs filled in), GITHUB_OUTPUT. */
async function runAction(cwd: string, inputs: Record<string, string>) {
  const action = parseYaml(await readFile(path.join(repo, 'action.yml'), 'utf8'));
  const step = (action.runs.steps as ActionStep[]).find((s) => s.id === 'sync') as ActionStep;
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', GITHUB_ACTION_PATH: repo };
  for (const [name, value] of Object.entries(step.env ?? {})) {
    env[name] = value.replace(
      /\$\{\{ inputs\.(\w+) \}\}/,
      (_m, input: string) => inputs[input] ?? action.inputs[input].default,
    );
  }
  const temp = await tempDir('dms-runner-');
  env['RUNNER_TEMP'] = temp;
  env['GITHUB_OUTPUT'] = path.join(temp, 'output');
  await writeFile(env['GITHUB_OUTPUT'], '');
  const child = spawn(step.shell, ['-c', step.run], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const outputs = Object.fromEntries(
    (await readFile(env['GITHUB_OUTPUT'], 'utf8'))
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/=(.*)/s).slice(0, 2)),
  );
  return { code, stdout, stderr, outputs, temp };
}

describe('the composite GitHub Action', () => {
  it('syncs, writes the report outside the work tree and sets every output', async () => {
    const cwd = await projectWithConfig(endpoint);
    const result = await runAction(cwd, { config: 'dropmark-sync.yaml' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.outputs).toEqual({
      changed: 'true',
      created: '41',
      updated: '0',
      deleted: '0',
      failed: '0',
      report: path.join(result.temp, 'dropmark-sync-report.md'),
    });
    expect(await readFile(result.outputs['report'] as string, 'utf8')).toMatch(/^## Dropmark sync\n\n\*\*41 created/);
    const again = await runAction(cwd, { config: 'dropmark-sync.yaml' });
    expect(again.outputs['changed']).toBe('false');
  });

  it('some items failed: the job still passes (the report lists them) and warns', async () => {
    const feed = sampleFeed();
    const first = feed.items[0] as Record<string, unknown>;
    first['updated_at'] = '2019-02-31 10:00:00 UTC';
    first['created_at'] = null;
    server.answer(json(feed));
    const cwd = await projectWithConfig(endpoint);
    const result = await runAction(cwd, { config: 'dropmark-sync.yaml' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.outputs).toMatchObject({ changed: 'true', created: '40', failed: '1' });
    expect(result.stdout).toMatch(/::warning::dropmark-sync: 1 item\(s\) or file\(s\) failed/);
    expect(await readFile(result.outputs['report'] as string, 'utf8')).toMatch(/### Failed \(1\)/);
  });

  it('nothing could be synced: the job fails', async () => {
    server.answer((_req, res) => void res.writeHead(404).end());
    const cwd = await projectWithConfig(endpoint);
    const result = await runAction(cwd, { config: 'dropmark-sync.yaml', args: '--full' });
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ changed: 'false', failed: '0' });
    expect(result.stderr).toMatch(/HTTP 404: no such collection/);
  });
});
