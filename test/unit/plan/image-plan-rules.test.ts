import { describe, expect, it } from 'vitest';
import { earliestRetry, isBackedOff, type ImageFailureRecord } from '../../../src/images/backoff.js';
import { planImages, referencedImages } from '../../../src/plan/image-plan.js';
import { imagePlanInput, imageRecord } from '../../support/builders.js';

const rec = imageRecord;
const base = imagePlanInput;

describe('referencedImages', () => {
  it.each([
    ['/img/post', ['a.jpg']],
    ['/img/post/', ['a.jpg']],
    ['/img/post//', ['a.jpg']],
  ])('prefix %j: trailing slashes do not count', (prefix, names) => {
    expect([...referencedImages(prefix, ['/img/post/a.jpg', '/img/postx/b.jpg', '/img/c.jpg'])]).toEqual(names);
  });
});

describe('planImages', () => {
  it('a downloaded image no post points to is not written', () => {
    const plan = planImages(
      base({
        downloaded: new Map([['lost.jpg', { staged: '/tmp/s', record: rec('l') }]]),
        after: { files: { 'lost.jpg': rec('l') } },
      }),
    );
    expect(plan.changes).toEqual([]);
  });

  it('an orphan is removed with the size its record gives, before the run or else after it', () => {
    const plan = planImages(
      base({
        before: { files: { 'both.jpg': rec('b', 10), 'before.jpg': rec('x', 20) } },
        after: { files: { 'both.jpg': rec('b', 11), 'after.jpg': rec('y', 30) } },
        present: new Map<string, string | null>([
          ['both.jpg', null],
          ['before.jpg', null],
          ['after.jpg', null],
        ]),
      }),
    );
    expect(plan.changes).toEqual([
      { kind: 'delete', relPath: 'static/img/after.jpg', size: 30 },
      { kind: 'delete', relPath: 'static/img/before.jpg', size: 20 },
      { kind: 'delete', relPath: 'static/img/both.jpg', size: 10 },
    ]);
  });

  it('changes come in path order, creates and removals mixed', () => {
    const plan = planImages(
      base({
        downloaded: new Map([
          ['d.jpg', { staged: '/tmp/d', record: rec('d') }],
          ['b.jpg', { staged: '/tmp/b', record: rec('b') }],
        ]),
        before: { files: { 'c.jpg': rec('c'), 'a.jpg': rec('a') } },
        after: { files: { 'd.jpg': rec('d'), 'b.jpg': rec('b'), 'c.jpg': rec('c'), 'a.jpg': rec('a') } },
        present: new Map<string, string | null>([
          ['c.jpg', null],
          ['a.jpg', null],
        ]),
        referenced: new Set(['d.jpg', 'b.jpg']),
      }),
    );
    expect(plan.changes.map((c) => `${c.kind} ${c.relPath}`)).toEqual([
      'delete static/img/a.jpg',
      'create static/img/b.jpg',
      'delete static/img/c.jpg',
      'create static/img/d.jpg',
    ]);
  });

  it('no manifest, no image: no manifest text', () => {
    expect('manifestText' in planImages(base({}))).toBe(false);
  });

  it('the last image removed: the manifest is written empty', () => {
    const before = { files: { 'a.jpg': rec('a') } };
    const plan = planImages(
      base({
        before,
        after: before,
        present: new Map([['a.jpg', null]]),
        manifestBefore: '{\n  "files": {\n    "a.jpg": {}\n  }\n}\n',
      }),
    );
    expect(plan.manifestText).toBe('{\n  "files": {}\n}\n');
  });

  it('a manifest that would not change is not written', () => {
    const plan = planImages(base({ manifestBefore: '{\n  "files": {}\n}\n' }));
    expect(plan).toStrictEqual({ changes: [], manifest: { files: {} } });
  });
});

describe('image backoff records', () => {
  const record = (retryAt: string): ImageFailureRecord => ({
    count: 1,
    firstFailedAt: '2026-01-01T00:00:00.000Z',
    lastFailedAt: '2026-01-01T00:00:00.000Z',
    retryAt,
    reason: 'HTTP 404',
  });

  it('an image without a record is not backed off', () => {
    expect(isBackedOff(undefined, new Date('2026-01-01T00:00:00Z'))).toBe(false);
  });

  it('earliestRetry: the first retry time of all, or undefined without records', () => {
    expect(earliestRetry(new Map())).toBeUndefined();
    expect(
      earliestRetry(
        new Map([
          ['b', record('2026-01-01T04:00:00.000Z')],
          ['a', record('2026-01-01T02:00:00.000Z')],
          ['c', record('2026-01-01T03:00:00.000Z')],
        ]),
      ),
    ).toBe('2026-01-01T02:00:00.000Z');
    expect(
      earliestRetry(
        new Map([
          ['a', record('2026-01-01T02:00:00.000Z')],
          ['b', record('2026-01-01T04:00:00.000Z')],
        ]),
      ),
    ).toBe('2026-01-01T02:00:00.000Z');
  });
});
