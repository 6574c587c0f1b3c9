import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Shapes of credentials that have no place in the repository, as their issuers format them: the fixtures' signed URLs
 * are redacted (test/fixtures/README.md, fixture-signatures.test.ts), and the tests' keys are made-up words.
 */
const CREDENTIALS: [string, RegExp][] = [
  ['AWS access key id or CloudFront key pair id', /\b(?:AKIA|ASIA|APKA)[A-Z0-9]{12,}\b/],
  ['private key', /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/],
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}|\bgithub_pat_[A-Za-z0-9_]{40,}/],
  ['Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  ['Google API key', /\bAIza[0-9A-Za-z_-]{35}\b/],
  ['Stripe live key', /\b[rs]k_live_[0-9A-Za-z]{16,}/],
  ['API key in a URL (`?key=` and a long random value)', /[?&](?:key|api_key|apikey|token)=[A-Za-z0-9]{24,}\b/],
];

/** Every file git tracks, as text (a binary file's bytes read as latin1 hold no such shape by chance). */
function trackedTexts(): { file: string; text: string }[] {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean);
  return files.map((file) => ({ file, text: readFileSync(path.join(repo, file), 'latin1') }));
}

describe('the repository', () => {
  const texts = trackedTexts();

  it('is read whole (the check below reads something)', () => {
    expect(texts.length).toBeGreaterThan(300);
    expect(texts.some(({ file }) => file === 'test/fixtures/healthcareguys-2019-05-09/feed.json')).toBe(true);
  });

  it.each(CREDENTIALS)('holds no %s', (_what, shape) => {
    expect(texts.filter(({ text }) => shape.test(text)).map(({ file }) => file)).toEqual([]);
  });
});
