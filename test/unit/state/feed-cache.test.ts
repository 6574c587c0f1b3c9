import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { feedHash, loadFeedState, saveFeedState, stateFile } from '../../../src/state/feed-cache.js';

const signed = (expires: number, sig: string, file = 'x.jpg') =>
  JSON.stringify({
    items: [
      {
        id: 1,
        thumbnail:
          `https://cdn2.dropmarkusercontent.com/1/abc/thumbnail/${file}` +
          `?Expires=${expires}&Signature=${sig}&Key-Pair-Id=APK`,
      },
    ],
  });

describe('feedHash', () => {
  it('is the same for a re-signed feed when signatures are stripped', () => {
    expect(feedHash(signed(1, 'aaa'), true)).toBe(feedHash(signed(2, 'b~b-b'), true));
  });
  it('differs for a re-signed feed when signatures matter (image mode remote)', () => {
    expect(feedHash(signed(1, 'aaa'), false)).not.toBe(feedHash(signed(2, 'bbb'), false));
  });
  it('differs when the image path changes', () => {
    expect(feedHash(signed(1, 'aaa', 'x.jpg'), true)).not.toBe(feedHash(signed(1, 'aaa', 'y.jpg'), true));
  });
  it('sees escaped ampersands too', () => {
    const a = signed(1, 'aaa').replace(/&/g, '\\u0026');
    const b = signed(2, 'bbb').replace(/&/g, '\\u0026');
    expect(feedHash(a, true)).toBe(feedHash(b, true));
  });
});

describe('feed state file', () => {
  it('round-trips, and a corrupt or missing file is no state', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dms-cache-'));
    const file = stateFile(dir, '/srv/site', 'content/post', 'https://a.dropmark.com/1.json');
    expect(await loadFeedState(file)).toBeUndefined();
    const state = { key: 'k', etag: '"v1"', feedHash: 'h', siteFingerprint: 'f', files: 3, savedAt: 'now' };
    await saveFeedState(file, state);
    expect(await loadFeedState(file)).toEqual(state);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '{ not json');
    expect(await loadFeedState(file)).toBeUndefined();
  });
  it('is named per site, content dir and feed', () => {
    const a = stateFile('/c', '/s', 'content/post', 'https://a.dropmark.com/1.json');
    expect(stateFile('/c', '/s', 'content/other', 'https://a.dropmark.com/1.json')).not.toBe(a);
    expect(stateFile('/c', '/s2', 'content/post', 'https://a.dropmark.com/1.json')).not.toBe(a);
    // A clone elsewhere, with its cache beside it, finds the same state file name.
    expect(
      path.basename(stateFile('/ci/site/.cache', '/ci/site', 'content/post', 'https://a.dropmark.com/1.json')),
    ).toBe(
      path.basename(
        stateFile('/home/me/site/.cache', '/home/me/site', 'content/post', 'https://a.dropmark.com/1.json'),
      ),
    );
  });
});
