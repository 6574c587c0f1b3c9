import { describe, expect, it } from 'vitest';
import { parseManifest, serializeManifest } from '../../../src/images/manifest.js';

const good = { source: 'https://cdn.example/353804/aaa/first.jpg', bytes: 1234, sha256: 'ab12' };

describe('parseManifest: a damaged manifest', () => {
  it.each([
    ['no file', undefined],
    ['an empty file', ''],
    ['broken JSON', '{"files": {"first.jpg": '],
    ['JSON null', 'null'],
    ['a number', '42'],
    ['an array', '[{"files": {}}]'],
    ['no files key', '{"images": {}}'],
    ['files as null', '{"files": null}'],
    ['files as an array', `{"files": [${JSON.stringify(good)}]}`],
    ['files as a string', '{"files": "first.jpg"}'],
  ])('%s is an empty manifest (every image is downloaded again and compared)', (_name, text) => {
    expect(parseManifest(text)).toEqual({ files: {} });
  });

  it('keeps each sound entry and leaves out each damaged one alone', () => {
    const text = JSON.stringify({
      files: {
        'first.jpg': good,
        'bytes-as-text.jpg': { ...good, bytes: '1234' },
        'negative.jpg': { ...good, bytes: -1 },
        'fraction.jpg': { ...good, bytes: 1.5 },
        'no-hash.jpg': { source: good.source, bytes: 1 },
        'hash-as-number.jpg': { ...good, sha256: 12 },
        'source-null.jpg': { ...good, source: null },
        'null.jpg': null,
        'array.jpg': [good.source, 1, 'ab12'],
        'text.jpg': 'ab12',
        'second.png': {
          source: 'https://cdn.example/353804/bbb/second.png',
          bytes: 0,
          sha256: 'cd34',
          extra: 'dropped',
        },
        // Names the tool would never write: never trusted, so never deleted either.
        '../escape.jpg': good,
        '.hidden.jpg': good,
        'first.exe': good,
        ['__proto__']: good,
      },
    });
    expect(parseManifest(text)).toEqual({
      files: {
        'first.jpg': { source: 'https://cdn.example/353804/aaa/first.jpg', bytes: 1234, sha256: 'ab12' },
        'second.png': { source: 'https://cdn.example/353804/bbb/second.png', bytes: 0, sha256: 'cd34' },
      },
    });
  });
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
