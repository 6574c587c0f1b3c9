import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/log.js';
import { siteFingerprint } from '../../../src/site/fingerprint.js';

describe('siteFingerprint when git fails unexpectedly', () => {
  it('falls back to the stat picture and tells at debug level what git said', async () => {
    // A git that fails every command, as with a corrupt index.
    const bin = await mkdtemp(path.join(tmpdir(), 'dms-fakegit-'));
    await writeFile(path.join(bin, 'git'), '#!/bin/sh\necho "fatal: index file corrupt" >&2\nexit 128\n');
    await chmod(path.join(bin, 'git'), 0o755);
    const site = await mkdtemp(path.join(tmpdir(), 'dms-fp-fallback-'));
    await mkdir(path.join(site, 'content'));
    await mkdir(path.join(site, '.git'));
    await writeFile(path.join(site, 'content', 'a.md'), 'a');
    const debug: { obj: Record<string, unknown>; msg: string | undefined }[] = [];
    const logger: Logger = {
      debug: (obj, msg) => void debug.push({ obj: obj as Record<string, unknown>, msg }),
      info() {},
      warn() {},
      error() {},
    };

    const env = { PATH: `${bin}:${process.env['PATH'] ?? ''}` };
    const fingerprint = await siteFingerprint(site, 'content', undefined, { env, logger });

    expect(fingerprint).toMatch(/^stat:[0-9a-f]{64}$/);
    expect(debug).toHaveLength(1);
    expect(debug[0]?.msg).toBe('git could not picture the site; using names, sizes, inodes and times');
    expect(debug[0]?.obj['siteDir']).toBe(site);
    expect(String((debug[0]?.obj['err'] as Error | undefined)?.message)).toMatch(/index file corrupt/);
  });
});
