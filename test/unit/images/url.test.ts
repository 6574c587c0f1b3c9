import { describe, expect, it } from 'vitest';
import { hostAllowed, imageIdentity, isExpired } from '../../../src/images/url.js';

describe('url rules', () => {
  const signed =
    'https://cdn2.dropmarkusercontent.com/353804/7c81/thumbnail/Under-.JPG' +
    '?Expires=1557430063&Signature=abc~d&Key-Pair-Id=APK';
  it('identity is the URL without its query', () =>
    expect(imageIdentity(signed)).toBe('https://cdn2.dropmarkusercontent.com/353804/7c81/thumbnail/Under-.JPG'));
  it('Expires in the past means expired', () => {
    expect(isExpired(signed, 1557430063_000 + 1)).toBe(true);
    expect(isExpired(signed, 1557430000_000)).toBe(false);
    expect(isExpired('https://img.dropmark.com/x.jpg', Date.now())).toBe(false);
  });
  it.each([
    ['cdn2.dropmarkusercontent.com', true],
    ['dropmarkusercontent.com', false],
    ['evil-dropmarkusercontent.com', false],
    ['dropmarkusercontent.com.evil.net', false],
    ['img.dropmark.com', true],
    ['IMG.DROPMARK.COM.', true],
  ])('host %s allowed: %s', (host, allowed) =>
    expect(hostAllowed(host, ['*.dropmarkusercontent.com', '*.dropmark.com'])).toBe(allowed),
  );
});

describe('url rules, at their edges', () => {
  it.each([
    ['https://cdn.x.com/a/b.jpg?Expires=1&Signature=s#frag', 'https://cdn.x.com/a/b.jpg'],
    ['https://user:secret@cdn.x.com/a.jpg?x=1', 'https://cdn.x.com/a.jpg'],
    ['https://cdn.x.com/a.jpg', 'https://cdn.x.com/a.jpg'],
  ])('the identity of %s is %s (no query, fragment or credentials)', (url, identity) =>
    expect(imageIdentity(url)).toBe(identity),
  );

  it.each([
    // [Expires, now in ms, expired]
    ['1000', 999_999, false],
    ['1000', 1_000_000, true], // the second it names is already past
    ['1000', 1_000_001, true],
    ['', 5_000_000, false],
    ['10e2', 5_000_000, false], // not unix seconds as CloudFront writes them
    ['-1', 5_000_000, false],
    ['1000x', 5_000_000, false],
    ['x1000', 5_000_000, false],
  ])('Expires=%s at %i: expired %s', (expires, now, expired) =>
    expect(isExpired(`https://cdn.x.com/a.jpg?Expires=${expires}&Signature=s`, now)).toBe(expired),
  );

  it.each([
    // [host, patterns, allowed]
    ['anything.example', ['*'], true],
    ['anything.example', [' * '], true],
    ['img.dropmark.com', ['IMG.Dropmark.COM'], true],
    ['img.dropmark.com', [' img.dropmark.com '], true],
    ['img.dropmark.com.', ['img.dropmark.com'], true],
    ['img.dropmark.com', ['dropmark.com'], false], // an exact pattern is exact
    ['a.b.dropmark.com', ['*.dropmark.com'], true],
    ['a.dropmark.com', ['*.dropmark.com'], true], // the shortest subdomain: one letter
    ['dropmark.com', ['*.dropmark.com'], false],
    ['.dropmark.com', ['*.dropmark.com'], false], // an empty label is no subdomain
    ['xdropmark.com', ['*.dropmark.com'], false],
    ['img.dropmark.com', ['*dropmark.com'], false], // only `*.` is a wildcard
    ['img.dropmark.com', [], false],
    ['img.dropmark.com', ['other.com', '*.dropmark.com'], true],
  ])('host %j with %j: %s', (host, patterns, allowed) => expect(hostAllowed(host, patterns)).toBe(allowed));
});
