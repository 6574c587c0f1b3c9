import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../../src/http/address.js';
import { parseManifest, serializeManifest } from '../../../src/images/manifest.js';
import { manifestAfterFailures, planImages, type ImagePlanInput } from '../../../src/plan/image-plan.js';
import { sniffImage } from '../../../src/images/sniff.js';
import { hostAllowed, imageIdentity, isExpired } from '../../../src/images/url.js';
import { GIF, JPEG, PNG, SVG, WEBP } from '../../support/images.js';

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

describe('private addresses', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '224.0.0.1',
  ])('%s is private', (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each(['93.184.216.34', '172.32.0.1', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (ip) =>
    expect(isPrivateAddress(ip)).toBe(false),
  );
});

describe('sniffing', () => {
  it.each([
    [JPEG, '.jpg'],
    [PNG, '.png'],
    [GIF, '.gif'],
    [WEBP, '.webp'],
    [SVG, '.svg'],
    [Buffer.from('<!-- c --><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg/>'), '.svg'],
  ])('knows %#', (bytes, ext) => expect(sniffImage(bytes)?.ext).toBe(ext));
  it.each([
    Buffer.from('<!doctype html><html>'),
    Buffer.from('{"json":1}'),
    Buffer.alloc(0),
    Buffer.from('GIF'),
    Buffer.from('<?xml version="1.0"?><html/>'),
  ])('refuses non-images %#', (bytes) => expect(sniffImage(bytes)).toBeUndefined());
});

describe('manifest', () => {
  it('is deterministic and drops entries it would never write', () => {
    const text = serializeManifest({
      files: { 'b.jpg': { source: 's2', bytes: 2, sha256: 'h2' }, 'a.png': { source: 's1', bytes: 1, sha256: 'h1' } },
    });
    expect(text).toBe(
      '{\n  "files": {\n' +
        '    "a.png": {\n      "source": "s1",\n      "bytes": 1,\n      "sha256": "h1"\n    },\n' +
        '    "b.jpg": {\n      "source": "s2",\n      "bytes": 2,\n      "sha256": "h2"\n    }\n' +
        '  }\n}\n',
    );
    expect(parseManifest(text)).toEqual({
      files: { 'a.png': { source: 's1', bytes: 1, sha256: 'h1' }, 'b.jpg': { source: 's2', bytes: 2, sha256: 'h2' } },
    });
    expect(
      parseManifest('{"files":{"../../etc/passwd.jpg":{"source":"x","bytes":1,"sha256":"h"},".hidden.png":{}}}'),
    ).toEqual({ files: {} });
    expect(parseManifest('not json')).toEqual({ files: {} });
  });
});

describe('planImages', () => {
  const rec = (sha: string) => ({ source: `src-${sha}`, bytes: 3, sha256: sha });
  const base = (over: Partial<ImagePlanInput>): ImagePlanInput => ({
    relDir: 'static/img',
    downloaded: new Map(),
    before: { files: {} },
    after: { files: {} },
    present: new Map(),
    referenced: new Set(),
    removeOrphans: true,
    manifestRelPath: 'data/m.json',
    manifestBefore: undefined,
    ...over,
  });

  it('writes new images, skips identical bytes, removes only orphans it wrote', () => {
    const plan = planImages(
      base({
        downloaded: new Map([
          ['new.jpg', { staged: '/tmp/staged-new', record: rec('n') }],
          ['same.jpg', { staged: '/tmp/staged-same', record: rec('s') }],
        ]),
        before: { files: { 'same.jpg': rec('s'), 'orphan.jpg': rec('o') } },
        after: { files: { 'new.jpg': rec('n'), 'same.jpg': rec('s'), 'orphan.jpg': rec('o') } },
        present: new Map([
          ['same.jpg', 's'],
          ['orphan.jpg', null],
          ['foreign.jpg', null],
        ]),
        referenced: new Set(['new.jpg', 'same.jpg']),
      }),
    );
    expect(plan.changes.map((c) => `${c.kind} ${c.relPath}`)).toEqual([
      'create static/img/new.jpg',
      'delete static/img/orphan.jpg',
    ]);
    expect(JSON.parse(plan.manifestText ?? '{}')).toEqual({ files: { 'new.jpg': rec('n'), 'same.jpg': rec('s') } });
  });

  it('removes nothing with deletions: keep, and leaves an unchanged manifest alone', () => {
    const manifest = { files: { 'a.jpg': rec('a') } };
    const plan = planImages(
      base({
        before: manifest,
        after: manifest,
        present: new Map([['a.jpg', null]]),
        removeOrphans: false,
        manifestBefore: serializeManifest(manifest),
      }),
    );
    expect(plan).toEqual({ changes: [], manifest });
  });

  it('after a failed write or removal, the manifest lists what is really on disk', () => {
    const before = { files: { 'old.jpg': rec('o'), 'kept.jpg': rec('k1') } };
    const plan = planImages(
      base({
        downloaded: new Map([
          ['new.jpg', { staged: '/tmp/a', record: rec('n') }],
          ['kept.jpg', { staged: '/tmp/b', record: rec('k2') }],
        ]),
        before,
        after: { files: { 'new.jpg': rec('n'), 'kept.jpg': rec('k2'), 'old.jpg': rec('o') } },
        present: new Map<string, string | null>([
          ['old.jpg', null],
          ['kept.jpg', 'k1'],
        ]),
        referenced: new Set(['new.jpg', 'kept.jpg']),
        manifestBefore: serializeManifest(before),
      }),
    );
    expect(plan.changes.map((c) => `${c.kind} ${c.relPath}`)).toEqual([
      'update static/img/kept.jpg',
      'create static/img/new.jpg',
      'delete static/img/old.jpg',
    ]);
    const all = new Set(['static/img/kept.jpg', 'static/img/new.jpg', 'static/img/old.jpg']);
    const files = (text: string | undefined) => JSON.parse(text ?? 'null')?.files;
    // Nothing made: the manifest stays as it was (undefined: no write).
    expect(manifestAfterFailures(plan, before, serializeManifest(before), all)).toBeUndefined();
    // The new image and the update failed, the removal worked.
    expect(
      files(
        manifestAfterFailures(
          plan,
          before,
          serializeManifest(before),
          new Set(['static/img/new.jpg', 'static/img/kept.jpg']),
        ),
      ),
    ).toEqual({
      'kept.jpg': rec('k1'),
    });
    // The removal failed: the old image is still the tool's, to be removed next time.
    expect(
      files(manifestAfterFailures(plan, before, serializeManifest(before), new Set(['static/img/old.jpg']))),
    ).toEqual({
      'kept.jpg': rec('k2'),
      'new.jpg': rec('n'),
      'old.jpg': rec('o'),
    });
    // Every change made: the manifest of the plan, old.jpg gone.
    expect(manifestAfterFailures(plan, before, serializeManifest(before), new Set())).toBe(
      '{\n  "files": {\n' +
        '    "kept.jpg": {\n      "source": "src-k2",\n      "bytes": 3,\n      "sha256": "k2"\n    },\n' +
        '    "new.jpg": {\n      "source": "src-n",\n      "bytes": 3,\n      "sha256": "n"\n    }\n' +
        '  }\n}\n',
    );
  });
});
