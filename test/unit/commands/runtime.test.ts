import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { say } from '../../../src/commands/io.js';
import { createRuntime } from '../../../src/commands/runtime.js';

function io(tty: boolean) {
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  let text = '';
  stderr.on('data', (d) => (text += d));
  return { io: { env: { LOG_LEVEL: 'silent' }, cwd: '/', stdout: new PassThrough(), stderr }, text: () => text };
}

describe('image download progress', () => {
  it('is a counter on a terminal', async () => {
    const t = io(true);
    const runtime = await createRuntime(t.io);
    runtime.onImageProgress?.(1, 2);
    runtime.onImageProgress?.(2, 2);
    expect(t.text()).toBe('\r  images 1/2\r  images 2/2\n');
  });

  it('is nothing at all without a terminal (no noise in CI logs)', async () => {
    const t = io(false);
    const runtime = await createRuntime(t.io);
    expect(runtime.onImageProgress).toBeUndefined();
  });
});

describe('what commands say to a person', () => {
  it('shows control characters from feed text instead of letting the terminal act on them, and no secret', async () => {
    const t = io(true);
    const withKey = { ...t.io, env: { DROPMARK_API_KEY: 'sekrit-key-1234' } };
    say(withKey, 'content/post/x.md: title: "a\x1b[2K\x1b]52;c;ZXZpbA==\x07b\x9b2J\u202ec" sekrit-key-1234\n');
    expect(t.text()).toBe('content/post/x.md: title: "a\\x1b[2K\\x1b]52;c;ZXZpbA==\\x07b\\x9b2J\\u202ec" [redacted]\n');
  });
});
