import { describe, expect, it } from 'vitest';
import { RenderError } from '../../../src/errors.js';
import type { Post, PostFields } from '../../../src/map/post.js';
import { canonicalFrontMatter, renderPost } from '../../../src/render/post.js';
import { parseFrontMatter } from '../../../src/frontmatter/read-front-matter.js';
import { expectedFiles, referenceFile } from '../../support/fixtures.js';
import { PLAIN_FIELDS } from '../../support/post-fields.js';

const FIELDS: PostFields = PLAIN_FIELDS;
const post = (fields: Partial<PostFields> = {}, body = 'Body\n'): Post => ({
  id: '7',
  fields: { ...FIELDS, ...fields },
  body,
});

// The managed part of FIELDS as the emitter writes it, in byte order of the keys.
const MANAGED_LINES = {
  head: 'archetype: bookmark\n',
  middle:
    'date: 2019-02-26T11:47:13Z\n' +
    'description: ""\n' +
    'dropmark.editURL: https://x.dropmark.com/1/7\n' +
    'featuredImage: ""\n' +
    'link: https://example.com/a\n' +
    'linkBrand: example.com\n',
  tail:
    'slug: s\n' +
    'socialScore: 3\n' +
    'socialScoreSimulated: true\n' +
    'source:\n' +
    '  name: Dropmark\n' +
    '  apiendpoint: https://x.dropmark.com/1.json\n' +
    'title: T\n',
};

describe('renderPost: the real files are its fixed points', () => {
  const files = [...expectedFiles(), [referenceFile().name, referenceFile().text] as const];
  it.each(files)('%s renders back to the same bytes', (_name, text) => {
    const parsed = parseFrontMatter(text);
    if (!parsed) throw new Error('fixture without front matter');
    const fields = parsed.data as unknown as PostFields;
    expect(renderPost({ id: '1', fields, body: parsed.body })).toBe(text);
  });
});

describe('renderPost: the text of a post', () => {
  it('is ---, the front matter sorted by key, ---, then the body verbatim', () => {
    expect(renderPost(post({ categories: ['a', 'b'] }, 'line one\n\nline two'))).toBe(
      `---\n${MANAGED_LINES.head}categories:\n- a\n- b\n${MANAGED_LINES.middle}${MANAGED_LINES.tail}` +
        '---\nline one\n\nline two',
    );
  });

  it('leaves out a field that is undefined (no categories key, not categories: null)', () => {
    expect(renderPost(post({ categories: undefined }))).toBe(
      `---\n${MANAGED_LINES.head}${MANAGED_LINES.middle}${MANAGED_LINES.tail}---\nBody\n`,
    );
  });

  it('writes the date unquoted, where another key holding the same text is quoted', () => {
    const text = renderPost(post(), { published: '2019-02-26T11:47:13Z' });
    expect(text).toContain('\ndate: 2019-02-26T11:47:13Z\n');
    expect(text).toContain('\npublished: "2019-02-26T11:47:13Z"\n');
  });

  it("writes a person's keys back in their sorted place, as YAML can hold them; managed keys are the tool's", () => {
    const kept = {
      zeta: null,
      draft: true,
      title: 'a person wrote this title',
      socialScore: 40,
      list: [1, 'x', null, { k: 'v' }],
      map: { b: 1, a: undefined },
      big: 10n,
      weight: 2.5,
      B: 'upper case sorts first',
    };
    expect(renderPost(post(), kept)).toBe(
      '---\n' +
        'B: upper case sorts first\n' +
        'archetype: bookmark\n' +
        'big: "10"\n' +
        'date: 2019-02-26T11:47:13Z\n' +
        'description: ""\n' +
        'draft: true\n' +
        'dropmark.editURL: https://x.dropmark.com/1/7\n' +
        'featuredImage: ""\n' +
        'link: https://example.com/a\n' +
        'linkBrand: example.com\n' +
        'list:\n- 1\n- x\n- null\n- k: v\n' +
        'map:\n  b: 1\n  a: null\n' +
        MANAGED_LINES.tail +
        'weight: 2.5\n' +
        'zeta: null\n' +
        '---\nBody\n',
    );
  });

  it('sorts keys by UTF-8 bytes (code points), not by UTF-16 units', () => {
    // U+FF61 is EF BD A1 in UTF-8, U+1F600 is F0 9F 98 80: U+FF61 first. In UTF-16, U+1F600
    // starts with the surrogate D83D, which sorts before FF61.
    const text = renderPost(post(), { '\u{1F600}': 1, '\uff61': 2, é: 3, z: 4 });
    expect(text.split('---\n')[1]?.split('\n').slice(-5)).toEqual([
      'z: 4',
      'é: 3',
      '\uff61: 2',
      '"\\U0001F600": 1',
      '',
    ]);
  });

  it('refuses a post whose front matter would read back as other values (-0 reads back as 0)', () => {
    expect(() => renderPost(post(), { offset: -0 })).toThrow(
      new RenderError(
        'item 7: rendered front matter does not read back to the values meant; the file was not written. ' +
          'Please report this item to the dropmark-sync maintainers',
        { itemId: '7' },
      ),
    );
    expect(() => renderPost(post(), { offsets: [-0] })).toThrow(/item 7: rendered front matter does not read back/);
  });

  it('refuses a post whose front matter is no YAML: a key past the 1024 characters of an implicit key', () => {
    expect(() => renderPost(post(), { ['k'.repeat(1100)]: 1 })).toThrow(
      /^item 7: rendered front matter is not valid YAML \(The : indicator must be at most 1024 chars/,
    );
  });

  it('skips the read-back check only when the text is exactly the file already on disk', () => {
    const same = `---\n${MANAGED_LINES.head}${MANAGED_LINES.middle}offset: 0\n${MANAGED_LINES.tail}---\nBody\n`;
    expect(renderPost(post(), { offset: -0 }, same)).toBe(same);
    expect(() => renderPost(post(), { offset: -0 }, `${same}x`)).toThrow(RenderError);
  });
});

describe('canonicalFrontMatter: the front matter the tool would write for values read from a file', () => {
  it('sorts the keys, writes a text date unquoted, and keeps what YAML can hold', () => {
    expect(
      canonicalFrontMatter({
        title: 'x',
        date: '2019-02-26T11:47:13Z',
        published: '2019-02-26T11:47:13Z',
        tags: [1, null],
        none: undefined,
        n: null,
        big: 10n,
        when: new Date(0),
      }),
    ).toBe(
      '---\n' +
        'big: "10"\n' +
        'date: 2019-02-26T11:47:13Z\n' +
        '"n": null\n' +
        'none: null\n' +
        'published: "2019-02-26T11:47:13Z"\n' +
        'tags:\n- 1\n- null\n' +
        'title: x\n' +
        'when: "1970-01-01T00:00:00.000Z"\n' +
        '---\n',
    );
  });

  it('writes a date that is no text as the value it is', () => {
    expect(canonicalFrontMatter({ date: 5 })).toBe('---\ndate: 5\n---\n');
  });
});

describe("renderPost: a managed key in a person's keys", () => {
  it('is not written back, even when the post leaves that key out (no tags: no categories)', () => {
    expect(renderPost(post({ categories: undefined }), { categories: ['from', 'the', 'old', 'file'] })).toBe(
      `---\n${MANAGED_LINES.head}${MANAGED_LINES.middle}${MANAGED_LINES.tail}---\nBody\n`,
    );
  });
});
