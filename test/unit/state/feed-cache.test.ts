import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/feed/parse.js';
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

/** The hash of a feed body, as the fetch stage takes it: of the parsed feed. */
const hashOf = (body: string, stripSignatures: boolean) => feedHash(parseFeed(body, 'feed'), stripSignatures);

/** One item with `fields`, and a thumbnail signed with `expires` and `sig`. */
const item = (expires: number, sig: string, fields: Record<string, unknown>) =>
  JSON.stringify({
    items: [
      {
        id: 1,
        name: 'A report',
        thumbnail: `https://cdn2.dropmarkusercontent.com/1/abc/thumbnail/x.jpg?Expires=${expires}&Signature=${sig}`,
        ...fields,
      },
    ],
  });

describe('feedHash', () => {
  it('is the same for a re-signed feed when signatures are stripped', () => {
    expect(hashOf(signed(1, 'aaa'), true)).toBe(hashOf(signed(2, 'b~b-b'), true));
  });
  it('differs for a re-signed feed when signatures matter (image mode remote)', () => {
    expect(hashOf(signed(1, 'aaa'), false)).not.toBe(hashOf(signed(2, 'bbb'), false));
  });
  it('differs when the image path changes', () => {
    expect(hashOf(signed(1, 'aaa', 'x.jpg'), true)).not.toBe(hashOf(signed(1, 'aaa', 'y.jpg'), true));
  });
  it('sees escaped ampersands too', () => {
    const a = signed(1, 'aaa').replace(/&/g, '\\u0026');
    const b = signed(2, 'bbb').replace(/&/g, '\\u0026');
    expect(hashOf(a, true)).toBe(hashOf(b, true));
  });

  it("differs when a link's query changes, signature-like parameters included, images re-signed or not", () => {
    const link = (policy: string) => ({ link: `https://example.org/report?Policy=${policy}&Expires=9` });
    expect(hashOf(item(1, 'aaa', link('old')), true)).not.toBe(hashOf(item(2, 'bbb', link('new')), true));
    expect(hashOf(item(1, 'aaa', link('old')), true)).not.toBe(hashOf(item(1, 'aaa', link('new')), true));
    expect(hashOf(item(1, 'aaa', link('old')), false)).not.toBe(hashOf(item(1, 'aaa', link('new')), false));
  });

  it("differs when a signature-like parameter changes in the item's text", () => {
    const text = (sig: string) => ({
      description: `See https://example.org/a?Signature=${sig}`,
      content: `x?Policy=${sig}`,
    });
    expect(hashOf(item(1, 'aaa', text('one')), true)).not.toBe(hashOf(item(1, 'aaa', text('two')), true));
    const body = (sig: string) => ({
      content: `https://cdn2.dropmarkusercontent.com/1/f.pdf?Signature=${sig} (a note)`,
    });
    expect(hashOf(item(1, 'aaa', body('one')), true)).not.toBe(hashOf(item(1, 'aaa', body('two')), true));
  });

  it("is the same when only the image and an upload's own CDN URLs are re-signed", () => {
    const upload = (expires: number, sig: string) => {
      const file = `https://cdn2.dropmarkusercontent.com/1/abc/file.pdf?Expires=${expires}&Signature=${sig}&Policy=p`;
      return { link: file, content: file, description: 'A file' };
    };
    expect(hashOf(item(1, 'aaa', upload(1, 'aaa')), true)).toBe(hashOf(item(2, 'bbb', upload(2, 'bbb')), true));
    // The upload's path is its identity: another file is a change.
    const other = { ...upload(1, 'aaa'), link: 'https://cdn2.dropmarkusercontent.com/1/abd/file.pdf?Expires=1' };
    expect(hashOf(item(1, 'aaa', upload(1, 'aaa')), true)).not.toBe(hashOf(item(1, 'aaa', other), true));
  });

  it('differs when a CDN link the files hold changes: an Expires alone, a Signature in the fragment', () => {
    // Neither is a signed URL (signed-link.ts): the mapping writes them into the post as they are.
    const cdn = 'https://cdn2.dropmarkusercontent.com/353731/abc/';
    const links = (n: number) => [`${cdn}report.pdf?Expires=${n}`, `${cdn}page.html#?Signature=s${n}`];
    for (const [i, link] of links(1).entries()) {
      const other = links(2)[i];
      expect(hashOf(item(1, 'aaa', { link }), true)).not.toBe(hashOf(item(1, 'aaa', { link: other }), true));
      expect(hashOf(item(1, 'aaa', { content: link }), true)).not.toBe(
        hashOf(item(1, 'aaa', { content: other }), true),
      );
    }
    // A signed one the mapping leaves out: its new signature is no change.
    const signedLink = (n: number) => ({ link: `${cdn}report.pdf?Expires=${n}&Signature=s${n}&Key-Pair-Id=APK` });
    expect(hashOf(item(1, 'aaa', signedLink(1)), true)).toBe(hashOf(item(2, 'bbb', signedLink(2)), true));
  });

  it('differs when text moves from one field to the next, or an item is moved', () => {
    expect(hashOf(item(1, 'a', { name: 'ab', description: 'c' }), true)).not.toBe(
      hashOf(item(1, 'a', { name: 'a', description: 'bc' }), true),
    );
    expect(hashOf(item(1, 'a', { description: null }), true)).not.toBe(hashOf(item(1, 'a', { description: '' }), true));
    expect(hashOf('{"items":[{"id":1},{"id":2}]}', true)).not.toBe(hashOf('{"items":[{"id":2},{"id":1}]}', true));
  });

  it('keeps its value byte for byte: a new version of the tool does not count every saved feed as changed', () => {
    // Values of items-v4 as first released; a change here costs every collection one full pass after an upgrade. (The
    // items' text is items-v3's, whose released values it reproduced; v4 hashes the count after it, not before.)
    const cdn = 'https://cdn2.dropmarkusercontent.com/1/abc/';
    const sig = '?Expires=9&Signature=s~1&Key-Pair-Id=APK';
    const body = JSON.stringify({
      items_total_count: 3,
      items: [
        {
          id: 1,
          name: 'A report',
          description: 'x'.repeat(300),
          content: `${'Long text. '.repeat(40)}${cdn}doc.pdf${sig}`,
          link: 'https://example.com/a?Policy=p',
          thumbnail: `${cdn}thumbnail/a.jpg${sig}`,
          tags: [{ name: 'health' }, 'data'],
          created_at: '2024-03-01 10:00:00 UTC',
          type: 'link',
          size: 12,
          parent_id: 7,
        },
        {
          id: '2',
          name: 'Résumé ✓',
          content: `${cdn}file.pdf${sig}`,
          link: `${cdn}file.pdf${sig}`,
          type: 'other',
          mime: 'application/pdf',
        },
        { id: 3, link: `${cdn}photo.jpg${sig}`, type: 'image', content: null },
      ],
    });
    expect(hashOf(body, true)).toBe('items-v4:c05380e03c8250e6036fb9e1ee1d4d54e90b04e0b20016bc5115001c6e05a5e5');
    expect(hashOf(body, false)).toBe('items-v4:6d3d01d0bc7d611107ea1beceec855e159c3f3021d7d72d5893881b58a4f6c00');
  });

  it('names its algorithm, so a hash saved by an earlier one never matches', () => {
    expect(hashOf('{"items":[]}', true)).toMatch(/^items-v4:[0-9a-f]{64}$/);
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
  it('is no state when the time to retry missing images is no date (else trusted, never retried)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dms-cache-'));
    const file = stateFile(dir, '/srv/site', 'content/post', 'https://a.dropmark.com/1.json');
    const state = { key: 'k', feedHash: 'h', siteFingerprint: 'f', files: 3, savedAt: 'now' };
    await saveFeedState(file, { ...state, retryImagesAt: '2026-12-08T10:00:00.000Z' });
    expect(await loadFeedState(file)).toMatchObject({ retryImagesAt: '2026-12-08T10:00:00.000Z' });
    await writeFile(file, JSON.stringify({ ...state, retryImagesAt: 'soon' }));
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
