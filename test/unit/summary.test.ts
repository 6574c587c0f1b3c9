import { describe, expect, it } from 'vitest';
import { FeedError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import type { Change } from '../../src/plan/post-plan.js';
import { collectionDiff } from '../../src/report/diff.js';
import {
  summarizeCached,
  summarizeFailure,
  summarizePass,
  type DownloadFacts,
  type ImageChangeRecord,
  type ItemFailure,
  type PassFacts,
  type PassOutcome,
} from '../../src/summary.js';
import { changeRecords, postTextChanges } from '../../src/sync/change-records.js';

const ENDPOINT = 'https://me.dropmark.com/616548.json';
const STOPPED_ERROR =
  'https://me.dropmark.com/616548.json: stopped before the end (deadline or abort); ' +
  'every file is either old or new, and the next sync completes the rest';

interface Setup {
  onError?: 'degrade' | 'fail';
  dryRun?: boolean;
  diff?: boolean;
  stop?: 'stop' | 'abort';
  apiKey?: string;
  logger?: typeof silentLogger;
}

/** How the summary is told: the collection's endpoint, images.onError, the stop, the options. */
function run(setup: Setup = {}) {
  return {
    endpoint: ENDPOINT,
    onError: setup.onError ?? 'degrade',
    stop: setup.stop,
    dryRun: setup.dryRun ?? false,
    diff: setup.diff ?? false,
    secrets: setup.apiKey ? [setup.apiKey] : [],
    log: setup.logger ?? silentLogger,
  } as const;
}

const meta = (id: string) => ({ id, title: `T${id}`, link: `https://example.com/${id}`, editUrl: '' });
const FM = (title: string) => `---\ntitle: ${title}\n---\nbody\n`;

/** A full pass's facts: a locked file left alone, 7 unchanged, the bodies file written, item 8 not renderable. */
function facts(
  over: {
    changes?: Change[];
    images?: ImageChangeRecord[];
    downloads?: Partial<DownloadFacts>;
    failures?: ItemFailure[];
  } = {},
): PassFacts {
  const changes = over.changes ?? [];
  return {
    changes: changeRecords(changes, [{ relPath: 'content/post/locked.md', ...meta('9') }]),
    unchanged: 7,
    images: over.images ?? [],
    postTexts: postTextChanges(changes),
    stateFiles: [{ relPath: 'data/bodies.json', before: undefined, after: '{}\n' }],
    duplicates: [],
    keptKeys: [],
    failures: over.failures ?? [{ itemId: '8', reason: 'not renderable' }],
    downloads: over.downloads && {
      misses: [],
      leftOut: [],
      downloaded: 0,
      wouldDownload: [],
      wouldRefuse: [],
      ...over.downloads,
    },
  };
}

const outcome = (done: string[], failed: PassOutcome['failed'] = [], stopped = false): PassOutcome => ({
  done: new Set(done),
  failed,
  stopped,
});

describe('summarizePass: counts what the outcome says was done', () => {
  const changes: Change[] = [
    { kind: 'create', relPath: 'content/post/a.md', text: FM('a'), ...meta('1') },
    {
      kind: 'update',
      relPath: 'content/post/b.md',
      renamedFrom: 'content/post/old-b.md',
      before: FM('old'),
      text: FM('b'),
      changedKeys: ['title'],
      ...meta('2'),
    },
    // Written, but the old file could not be removed: only the new path is a changed file.
    {
      kind: 'update',
      relPath: 'content/post/c.md',
      renamedFrom: 'content/post/old-c.md',
      before: FM('c'),
      text: FM('c'),
      changedKeys: [],
      ...meta('3'),
    },
    {
      kind: 'update',
      relPath: 'content/post/d.md',
      before: FM('d'),
      text: FM('d2'),
      changedKeys: ['title'],
      ...meta('4'),
    },
    { kind: 'delete', relPath: 'content/post/e.md', before: FM('e'), ...meta('5') },
    { kind: 'create', relPath: 'content/post/f.md', text: FM('f'), ...meta('6') },
  ];
  const images: ImageChangeRecord[] = [
    { kind: 'create', relPath: 'static/img/post/1.jpg', size: 10 },
    { kind: 'delete', relPath: 'static/img/post/2.jpg', size: 20 },
  ];

  it('a real run with a failed write, a failed removal and a missing image', () => {
    const done = [
      'content/post/a.md',
      'content/post/b.md',
      'content/post/old-b.md',
      'content/post/c.md',
      'content/post/e.md',
      'static/img/post/1.jpg',
      'data/bodies.json',
    ];
    const p = facts({
      changes,
      images,
      downloads: {
        misses: [{ itemId: '7', reason: 'image: HTTP 404' }],
        downloaded: 2,
        wouldDownload: [{ relPath: 'static/img/post/x.jpg', from: 'https://cdn.example/x.jpg', replaces: false }],
      },
    });
    const summary = summarizePass(
      run({ diff: true }),
      p,
      outcome(done, [
        { relPath: 'content/post/f.md', reason: 'EACCES' },
        { relPath: 'content/post/old-c.md', reason: 'EBUSY' },
      ]),
    );
    expect(summary).toStrictEqual({
      endpoint: ENDPOINT,
      result: 'failed',
      created: 1,
      updated: 2,
      deleted: 1,
      unchanged: 7,
      skipped: 1,
      failed: 3,
      imagesDownloaded: 2,
      imagesMissing: 1,
      files: [
        'content/post/a.md',
        'content/post/b.md',
        'content/post/old-b.md',
        'content/post/c.md',
        'content/post/e.md',
        'static/img/post/1.jpg',
        'data/bodies.json',
      ],
      failures: [
        { itemId: '8', reason: 'not renderable' },
        { file: 'content/post/f.md', reason: 'EACCES' },
        { file: 'content/post/old-c.md', reason: 'EBUSY' },
      ],
      imageFailures: [{ itemId: '7', reason: 'image: HTTP 404' }],
      changes: [
        {
          kind: 'create',
          relPath: 'content/post/a.md',
          itemId: '1',
          title: 'T1',
          link: 'https://example.com/1',
          editUrl: '',
        },
        {
          kind: 'update',
          relPath: 'content/post/b.md',
          itemId: '2',
          title: 'T2',
          link: 'https://example.com/2',
          editUrl: '',
          renamedFrom: 'content/post/old-b.md',
          changedKeys: ['title'],
        },
        {
          kind: 'update',
          relPath: 'content/post/c.md',
          itemId: '3',
          title: 'T3',
          link: 'https://example.com/3',
          editUrl: '',
          renamedFrom: 'content/post/old-c.md',
          changedKeys: [],
        },
        {
          kind: 'update',
          relPath: 'content/post/d.md',
          itemId: '4',
          title: 'T4',
          link: 'https://example.com/4',
          editUrl: '',
          changedKeys: ['title'],
        },
        {
          kind: 'delete',
          relPath: 'content/post/e.md',
          itemId: '5',
          title: 'T5',
          link: 'https://example.com/5',
          editUrl: '',
        },
        {
          kind: 'create',
          relPath: 'content/post/f.md',
          itemId: '6',
          title: 'T6',
          link: 'https://example.com/6',
          editUrl: '',
        },
        {
          kind: 'skip',
          relPath: 'content/post/locked.md',
          itemId: '9',
          title: 'T9',
          link: 'https://example.com/9',
          editUrl: '',
        },
      ],
      images: [
        { kind: 'create', relPath: 'static/img/post/1.jpg', size: 10 },
        { kind: 'delete', relPath: 'static/img/post/2.jpg', size: 20 },
      ],
    });
  });

  it("a dry run: what would be downloaded, as files under the images folder, and the diff's texts when asked", () => {
    const p = facts({
      changes: [changes[0] as Change],
      downloads: {
        downloaded: 1,
        wouldDownload: [
          { relPath: 'static/img/post/a.jpg', from: 'https://cdn.example/a.jpg', replaces: false },
          { relPath: 'static/img/post/b.png', from: 'https://cdn.example/b.png', replaces: true },
        ],
      },
      failures: [],
    });
    const done = ['content/post/a.md', 'data/bodies.json'];
    const summary = summarizePass(run({ dryRun: true, diff: true }), p, outcome(done));
    expect(summary.wouldDownload).toStrictEqual([
      { relPath: 'static/img/post/a.jpg', from: 'https://cdn.example/a.jpg', replaces: false },
      { relPath: 'static/img/post/b.png', from: 'https://cdn.example/b.png', replaces: true },
    ]);
    expect(summary.imagesDownloaded).toBe(2);
    expect(summary.files).toStrictEqual([
      'content/post/a.md',
      'data/bodies.json',
      'static/img/post/a.jpg',
      'static/img/post/b.png',
    ]);
    expect(summary.textChanges).toStrictEqual([
      { relPath: 'content/post/a.md', before: undefined, after: FM('a') },
      { relPath: 'data/bodies.json', before: undefined, after: '{}\n' },
    ]);
    // What the command prints from it (report/diff.ts).
    expect(collectionDiff(summary)).toBe(
      [
        '--- /dev/null',
        '+++ b/content/post/a.md',
        '@@ -0,0 +1,4 @@',
        '+---',
        '+title: a',
        '+---',
        '+body',
        '--- /dev/null',
        '+++ b/data/bodies.json',
        '@@ -0,0 +1,1 @@',
        '+{}',
        '+ static/img/post/a.jpg (would download https://cdn.example/a.jpg)',
        '~ static/img/post/b.png (would download https://cdn.example/b.png)',
        '',
      ].join('\n'),
    );
    expect(summary.result).toBe('ok');
    expect('textChanges' in summarizePass(run({ dryRun: true }), p, outcome(done))).toBe(false);
    expect('textChanges' in summarizePass(run({ diff: true }), p, outcome(done))).toBe(false);
  });

  it('without images (modes remote and none): no image counts', () => {
    const summary = summarizePass(run(), facts(), outcome([]));
    expect(summary).toMatchObject({ imagesDownloaded: 0, imagesMissing: 0, imageFailures: [], files: [] });
    expect('wouldDownload' in summary).toBe(false);
  });

  it('missing images are failures under images.onError: fail', () => {
    const misses = [{ itemId: '7', reason: 'image: HTTP 404' }];
    const summary = summarizePass(run({ onError: 'fail' }), facts({ downloads: { misses } }), outcome([]));
    expect(summary).toMatchObject({ result: 'failed', failed: 2, imagesMissing: 1, imageFailures: [] });
    // The image misses come first, then the items that failed.
    expect(summary.failures).toStrictEqual([...misses, { itemId: '8', reason: 'not renderable' }]);
  });
});

describe('summarizePass: the result', () => {
  const clean = (downloads?: Partial<DownloadFacts>) => facts({ failures: [], ...(downloads ? { downloads } : {}) });
  it.each([
    ['nothing failed, nothing missing', 0, 0, 'ok'],
    ['an image missing', 1, 0, 'degraded'],
    ['a write failed', 0, 1, 'failed'],
    ['both', 1, 1, 'failed'],
  ])('%s: %s', (_what, missing, failedWrites, result) => {
    const p = clean(missing ? { misses: [{ itemId: '1', reason: 'r' }] } : undefined);
    const failed = failedWrites ? [{ relPath: 'x.md', reason: 'r' }] : [];
    const summary = summarizePass(run(), p, outcome([], failed));
    expect(summary.result).toBe(result);
    expect('error' in summary).toBe(false);
  });

  it('a clean stop is "stopped" without an error, even with a failure', () => {
    const summary = summarizePass(
      run({ stop: 'stop' }),
      clean(),
      outcome([], [{ relPath: 'x.md', reason: 'r' }], true),
    );
    expect(summary.result).toBe('stopped');
    expect('error' in summary).toBe(false);
  });

  it('an abort is "failed", and says the files are whole', () => {
    const summary = summarizePass(run({ stop: 'abort' }), clean(), outcome([], [], true));
    expect(summary.result).toBe('failed');
    expect(summary.error).toBe(STOPPED_ERROR);
  });
});

describe('summarizeCached', () => {
  const trusted = { key: 'k', feedHash: 'h', siteFingerprint: 'f', files: 40, savedAt: '' };
  it('an old state without skipped or imagesMissing counts none', () => {
    expect(summarizeCached(run(), 'unchanged-feed', trusted)).toStrictEqual({
      endpoint: ENDPOINT,
      result: 'unchanged-feed',
      created: 0,
      updated: 0,
      deleted: 0,
      unchanged: 40,
      skipped: 0,
      failed: 0,
      imagesDownloaded: 0,
      imagesMissing: 0,
      files: [],
      failures: [],
      imageFailures: [],
      changes: [],
      images: [],
    });
  });
});

describe('summarizeFailure', () => {
  it.each([
    ['an Error', new Error('socket hang up (key sekrit)'), `${ENDPOINT}: socket hang up (key [redacted])`],
    ['a thrown text', 'boom sekrit', `${ENDPOINT}: boom [redacted]`],
    ['null', null, `${ENDPOINT}: null`],
    [
      'one of ours: its message as it is',
      new FeedError('GET x: HTTP 500 (sekrit)', { url: 'x' }),
      'GET x: HTTP 500 ([redacted])',
    ],
  ])('%s', (_what, error, message) => {
    const summary = summarizeFailure(run({ apiKey: 'sekrit' }), error);
    expect(summary).toMatchObject({ result: 'failed', error: message });
  });

  it('without an API key nothing is redacted', () => {
    expect(summarizeFailure(run(), new Error('key sekrit')).error).toBe(`${ENDPOINT}: key sekrit`);
  });

  it('logs an unexpected error at debug with the endpoint; one of ours is not logged', () => {
    const calls: unknown[][] = [];
    const logger = { ...silentLogger, debug: (...args: unknown[]) => calls.push(args) } as typeof silentLogger;
    const error = new Error('bug');
    summarizeFailure(run({ logger }), error);
    summarizeFailure(run({ logger }), new FeedError('GET x: HTTP 500', { url: 'x' }));
    expect(calls).toStrictEqual([[{ endpoint: ENDPOINT, err: error }, 'sync failed']]);
  });

  it('a stop is "stopped" without an error; an abort "failed" with one', () => {
    const stopped = summarizeFailure(run({ stop: 'stop' }), new Error('aborted'));
    expect(stopped.result).toBe('stopped');
    expect('error' in stopped).toBe(false);
    expect(summarizeFailure(run({ stop: 'abort' }), new Error('aborted'))).toMatchObject({
      result: 'failed',
      error: STOPPED_ERROR,
    });
  });
});
