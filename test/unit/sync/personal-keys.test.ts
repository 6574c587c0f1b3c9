import { describe, expect, it } from 'vitest';
import { MANAGED_KEY_LIST } from '../../../src/frontmatter/post-keys.js';
import { fileLayout, type FileLayout, type FrontMatterShape } from '../../../src/frontmatter/profiles.js';
import type { ExistingFile } from '../../../src/site/read.js';
import { personalKeys, renderPosts } from '../../../src/sync/render-posts.js';
import { indexSnapshot } from '../../support/site-index.js';
import { existingFile, feedWith, siteSnapshot, wantedText } from '../../support/builders.js';

// A key a person added by hand to an owned file, which a new profile (or mapping) writes too:
// the person's value stays, the tool's is not written there, and it is said once.

const HUGO: FrontMatterShape = {
  profile: 'hugo',
  format: 'yaml',
  fileName: '{slug}.md',
  mapping: { rename: {}, drop: [], add: {} },
};
const HUGO_KEYS = ['title', 'date', 'lastmod', 'link', 'tags', 'description', 'image', 'dropmark.editURL'];
const BOOKMARK: FrontMatterShape = { ...HUGO, profile: 'bookmark' };
/** A bookmark site switching to hugo: the tool wrote the bookmark keys last. */
const SWITCHING = fileLayout(HUGO, [...MANAGED_KEY_LIST]);

const feed = feedWith({ updated_at: '2024-03-07 22:29:46 UTC' }, [{ id: 1 }]);
/** An owned file of the bookmark site: it still has a key only the bookmark profile writes. */
const owned = (data: Record<string, unknown>) =>
  existingFile('example-1', '1', { data: { archetype: 'bookmark', ...data }, text: '---\ntitle: x\n---\n', body: '' });

function render(layout: FileLayout, file: ExistingFile) {
  const site = siteSnapshot([file]);
  return renderPosts({
    feed,
    index: indexSnapshot(site, feed, 'keep', layout),
    map: { feedUrl: 'https://me.dropmark.com/616548.json', imageMode: 'none', now: new Date('2026-01-01T00:00:00Z') },
    featuredImage: undefined,
    recordedBodies: new Map(),
    contentDir: 'content/post',
    deletions: 'delete',
  });
}

describe('personalKeys', () => {
  it("a key of the new shape the tool had not written, found in the file, is the person's", () => {
    const file = owned({ title: 'x', lastmod: '2020-01-01', image: '/me.png', 'dropmark.editURL': 'u', weight: 1 });
    expect(personalKeys(file, SWITCHING)).toEqual(['image', 'lastmod']);
    expect(personalKeys(owned({ title: 'x' }), SWITCHING)).toEqual([]);
  });

  it("never a guarded key: a person's templateEngineOverride, on a switch to eleventy, gets the tool's value", () => {
    const eleventy = fileLayout({ ...HUGO, profile: 'eleventy' }, [...MANAGED_KEY_LIST]);
    const file = owned({ title: 'x', templateEngineOverride: 'njk,md', render_with_liquid: true });
    expect(personalKeys(file, eleventy)).toEqual([]);
    const text = wantedText(render(eleventy, file).wanted[0]) ?? '';
    expect(text).toContain('\ntemplateEngineOverride: md\n');
    expect(text).not.toContain('njk');
  });

  it('a file the tool already rewrote in the new shape (a run killed before the record) holds none', () => {
    const converted = { title: 'x', date: 'd', lastmod: 'd', link: '', tags: [], description: '', image: '' };
    const file = existingFile('example-1', '1', {
      data: { ...converted, 'dropmark.editURL': 'u', weight: 1 },
      text: '---\ntitle: x\n---\n',
      body: '',
    });
    expect(personalKeys(file, SWITCHING)).toEqual([]);
  });

  it('the shape written last and no record of a person: the file is not even parsed', () => {
    const file = existingFile('example-1', '1');
    Object.defineProperty(file, 'data', {
      get() {
        throw new Error('parsed');
      },
    });
    expect(personalKeys(file, fileLayout(HUGO, HUGO_KEYS))).toEqual([]);
    expect(personalKeys(file, fileLayout(HUGO))).toEqual([]);
  });
});

describe("renderPosts: the person's value, not the profile's, in that one file", () => {
  it('bookmark -> hugo: the lastmod a person wrote stays, is told once and recorded', () => {
    const posts = render(SWITCHING, owned({ title: 'x', lastmod: '2020-01-01' }));
    const text = wantedText(posts.wanted[0]) ?? '';
    expect(text).toContain('\nlastmod: "2020-01-01"\n');
    expect(text).not.toContain('lastmod: 2024-03-07T22:29:46Z');
    expect(text).toContain('\ndate: 2024-03-07T22:29:46Z\n');
    expect(posts.personal).toEqual(new Map([['1', ['lastmod']]]));
    expect(posts.keptKeys).toEqual([{ file: 'content/post/example-1.md', keys: ['lastmod'] }]);
  });

  it('in TOML front matter too', () => {
    const layout = fileLayout({ ...HUGO, format: 'toml' }, [...MANAGED_KEY_LIST]);
    const text = wantedText(render(layout, owned({ title: 'x', lastmod: '2020-01-01' })).wanted[0]) ?? '';
    expect(text).toContain('\nlastmod = "2020-01-01"\n');
    expect(text).toContain('\ndate = 2024-03-07T22:29:46.000Z\n');
  });

  it('a later pass with the record: still kept, not told again', () => {
    const layout = fileLayout(HUGO, HUGO_KEYS, '{slug}.md', { '1': ['lastmod'] });
    const posts = render(layout, owned({ title: 'x', lastmod: '2020-01-01' }));
    expect(wantedText(posts.wanted[0])).toContain('\nlastmod: "2020-01-01"\n');
    expect(posts.personal).toEqual(new Map([['1', ['lastmod']]]));
    expect(posts.keptKeys).toEqual([]);
  });

  it('hugo -> bookmark: a key the person held stays, though the record lists it among the earlier keys', () => {
    const layout = fileLayout(BOOKMARK, HUGO_KEYS, '{slug}.md', { '1': ['lastmod'] });
    const data = { title: 'x', lastmod: '2020-01-01', tags: ['written by the tool'] };
    const posts = render(layout, existingFile('example-1', '1', { data, text: '---\ntitle: x\n---\n', body: '' }));
    const text = wantedText(posts.wanted[0]) ?? '';
    expect(text).toContain('\nlastmod: "2020-01-01"\n');
    // The tool's own earlier key goes, as before.
    expect(text).not.toContain('tags');
    expect(posts.keptKeys).toEqual([]);
  });
});
