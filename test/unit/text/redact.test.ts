import { describe, expect, it } from 'vitest';
import { isCredentialParam, redactText, stripSecrets } from '../../../src/text/redact.js';

describe('a query parameter whose name says it is a credential', () => {
  it.each([
    ['key', true],
    ['api_key', true],
    ['apiKey', true],
    ['Key-Pair-Id', true],
    ['token', true],
    ['access_token', true],
    ['X-Amz-Security-Token', true],
    ['client_secret', true],
    ['pass', true],
    ['password', true],
    ['passwd', true],
    ['pwd', true],
    ['auth', true],
    ['oauth_token', true],
    ['Authorization', true],
    ['sig', true],
    ['signature', true],
    ['X-Amz-Signature', true],
    ['X-Goog-Signature', true],
    ['X-Amz-Credential', true],
    ['session_id', true],
    ['PHPSESSID', true],
    ['jwt', true],
    ['bearer', true],
    ['Policy', true],
    ['hmac', true],
    ['otp', true],
    ['SIG', true],
    ['page', false],
    ['per_page', false],
    ['sort', false],
    ['order', false],
    ['Expires', false],
    ['X-Amz-Date', false],
    ['X-Amz-Expires', false],
    ['utm_source', false],
    ['code', false],
    ['postcode', false],
    ['q', false],
    ['', false],
  ])('%s: %s', (name, expected) => {
    expect(isCredentialParam(name)).toBe(expected);
  });
});

describe('stripSecrets', () => {
  it('drops every credential parameter and the user info; the others stay in their order', () => {
    expect(
      stripSecrets(
        'https://me:pw@x.dropmark.com/1.json?auth=AAA&access_token=BBB&sig=CCC&X-Amz-Signature=DDD' +
          '&Key-Pair-Id=EEE&page=2&sort=name',
      ),
    ).toBe('https://x.dropmark.com/1.json?page=2&sort=name');
  });

  it('drops a credential parameter given twice, and one spelled with escapes', () => {
    expect(stripSecrets('https://x.example/a?sig=1&p=1&sig=2&X%2DAmz%2DSignature=3')).toBe('https://x.example/a?p=1');
  });

  it('redacts a token in the fragment (OAuth implicit flow); a plain fragment stays', () => {
    expect(stripSecrets('https://x.example/cb#access_token=AAA&token_type=x&state=s')).toBe(
      'https://x.example/cb#access_token=[redacted]&token_type=[redacted]&state=s',
    );
    expect(stripSecrets('https://x.example/a?page=2#top')).toBe('https://x.example/a?page=2#top');
  });

  it('redacts what is not a URL as free text', () => {
    expect(stripSecrets('not a url ?token=AAA')).toBe('not a url ?token=[redacted]');
  });
});

describe('redactText', () => {
  it('replaces the value of every credential parameter in free text; the others stay', () => {
    expect(
      redactText(
        'GET https://x.dropmark.com/1.json?auth=AAA&access_token=BBB&sig=CCC&X-Amz-Signature=DDD' +
          '&Key-Pair-Id=EEE&page=2 failed',
      ),
    ).toBe(
      'GET https://x.dropmark.com/1.json?auth=[redacted]&access_token=[redacted]&sig=[redacted]' +
        '&X-Amz-Signature=[redacted]&Key-Pair-Id=[redacted]&page=2 failed',
    );
  });

  it("ends a value at a quote, a space or a fragment, and finds a parameter inside another one's value", () => {
    expect(redactText('"https://a.example/?Signature=AAA" and \'?pwd=BBB\' or ?otp=CCC#x')).toBe(
      '"https://a.example/?Signature=[redacted]" and \'?pwd=[redacted]\' or ?otp=[redacted]#x',
    );
    expect(redactText('https://a.example/?page=2?token=AAA')).toBe('https://a.example/?page=2?token=[redacted]');
    expect(redactText('https://a.example/?X%2DAmz%2DSignature=AAA')).toBe(
      'https://a.example/?X%2DAmz%2DSignature=[redacted]',
    );
  });

  it('removes a user:password from a URL, and the given secret values anywhere', () => {
    expect(redactText('at https://me:hunter2@x.example/a with sekrit', ['sekrit'])).toBe(
      'at https://x.example/a with [redacted]',
    );
  });

  it('leaves text without credentials as it is', () => {
    const text = 'a < b & c ?page=2 https://x.example/a?q=1&sort=name#top';
    expect(redactText(text)).toBe(text);
  });
});
