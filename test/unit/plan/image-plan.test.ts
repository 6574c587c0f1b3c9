import { describe, expect, it } from 'vitest';
import { serializeManifest } from '../../../src/images/manifest.js';
import { manifestAfterFailures, planImages } from '../../../src/plan/image-plan.js';
import { imagePlanInput, imageRecord } from '../../support/builders.js';

describe('planImages', () => {
  const rec = (sha: string) => imageRecord(sha);
  const base = imagePlanInput;

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
