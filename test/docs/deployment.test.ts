import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { validateForGitHub } from '../support/action-runner.js';

/** The deployment recipes (docs/deployment.md), checked: a recipe a person copies must work as written. */
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const deployment = readFileSync(path.join(repo, 'docs', 'deployment.md'), 'utf8');
const blocks = (lang: string) =>
  [...deployment.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] as string);

describe('the deployment recipes (docs/deployment.md)', () => {
  it('no recipe fixes the age status allows: it follows the schedule', () => {
    expect(deployment).not.toMatch(/status --max-age|"status", "--max-age"/);
  });

  it('start node on the CLI directly, never through npx or npm (which would not pass SIGTERM on)', () => {
    const commands = [...blocks('cron'), ...blocks('ini'), ...blocks('sh')].join('\n');
    expect(commands).not.toMatch(/\bnpx\b|\bnpm (run|exec|start)\b/);
    expect(deployment).toMatch(/pm2 start node_modules\/dropmark-sync\/dist\/cli\.js/);
  });

  it('systemd units run as a user, after the network is up, and stop the worker with SIGTERM', () => {
    const units = blocks('ini');
    expect(units.length).toBeGreaterThanOrEqual(2);
    for (const unit of units.filter((u) => u.includes('[Service]'))) {
      expect(unit).toMatch(/^User=\S+$/m);
      expect(unit).toMatch(/^Wants=network-online\.target$/m);
      expect(unit).toMatch(
        /^ExecStart=\/usr\/bin\/node \S+\/node_modules\/dropmark-sync\/dist\/cli\.js (sync|schedule)/m,
      );
    }
  });

  it(
    'Kubernetes: a CronJob that forbids overlap and a Deployment probed by status, ' + 'both on the image, non-root',
    () => {
      const docs = blocks('yaml')
        .flatMap((text) => parseAllDocuments(text).map((d) => d.toJS()))
        .filter((d) => d?.kind);
      const cronJob = docs.find((d) => d.kind === 'CronJob');
      const deployment = docs.find((d) => d.kind === 'Deployment');
      expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
      const job = cronJob.spec.jobTemplate.spec.template.spec;
      expect(job.containers[0].image).toMatch(/dropmark-sync:/);
      expect(job.containers[0].args).toEqual(['sync']);
      expect(job.securityContext.runAsUser).toBe(1000);
      const worker = deployment.spec.template.spec.containers[0];
      expect(worker.image).toMatch(/dropmark-sync:/);
      // No --max-age: status counts on the config's schedule, which a fixed age would fight; --liveness: a restart
      // mends a stopped scheduler, not a failing item, and must not cut a long first sync short.
      expect(worker.livenessProbe.exec.command).toEqual([
        'node',
        '/opt/dropmark-sync/dist/cli.js',
        'status',
        '--liveness',
      ]);
      expect(deployment.spec.strategy.type).toBe('Recreate');
    },
  );

  it('action.yml and every workflow of this repository are valid for GitHub', () => {
    const files = [
      path.join(repo, 'action.yml'),
      ...readdirSync(path.join(repo, '.github/workflows')).map((f) => path.join(repo, '.github/workflows', f)),
    ];
    for (const file of files) {
      const checked = validateForGitHub(file);
      expect(checked.status, `${file}: ${checked.output}`).toBe(0);
    }
  });
});
