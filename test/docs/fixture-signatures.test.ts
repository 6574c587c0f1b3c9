import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The fixtures are real files whose signed URLs were redacted (test/fixtures/README.md): only expired ones stay. */
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const texts = readdirSync(fixtures, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name !== 'README.md')
  .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8'));
const all = texts.join('\n');

describe('the signed URLs of the real fixtures', () => {
  it('are there (the check below reads something)', () => {
    expect(all.match(/Expires=\d+/g)?.length ?? 0).toBeGreaterThan(100);
  });

  it('all expired in May 2019: none could fetch anything today', () => {
    const expiries = new Set([...all.matchAll(/Expires=(\d+)/g)].map((m) => Number(m[1])));
    // 2019-06-01T00:00:00Z
    expect([...expiries].filter((seconds) => seconds >= 1_559_347_200)).toEqual([]);
  });

  it('hold no signature and no key pair id of the real site: each is a placeholder', () => {
    const values = (name: string) =>
      new Set([...all.matchAll(new RegExp(`${name}=([^&"'\\s)]*)`, 'g'))].map((m) => m[1]));
    const signatures = values('Signature');
    expect(signatures.size).toBeGreaterThan(10);
    expect([...signatures].filter((v) => !/^redacted-signature-\d+$/.test(v ?? ''))).toEqual([]);
    expect([...values('Key-Pair-Id')]).toEqual(['redacted-key-pair-id']);
  });

  it('hold no other credential-shaped parameter (an API key, a token, a password, an S3 credential)', () => {
    expect(all.match(/[?&](key|api_key|apikey|token|access_token|password|X-Amz-Credential)=/gi)).toBeNull();
  });
});
