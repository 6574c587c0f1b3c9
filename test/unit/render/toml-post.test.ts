import { describe, expect, it } from 'vitest';
import { RenderError } from '../../../src/errors.js';
import type { FrontMatterEntry } from '../../../src/map/front-matter-entries.js';
import type { Post, PostFields } from '../../../src/map/post.js';
import { Timestamp } from '../../../src/frontmatter/profiles.js';
import { renderTomlPost } from '../../../src/render/toml-post.js';
import { PLAIN_FIELDS } from '../../support/post-fields.js';

// renderTomlPost reads only the post's id and body; the fields are the profile entries' source.
const FIELDS: PostFields = PLAIN_FIELDS;
const POST: Post = { id: '7', fields: FIELDS, body: 'Body\n' };
const OWNER: FrontMatterEntry = ['dropmark.editURL', 'https://x.dropmark.com/1/7'];

/** The file for these entries and a person's keys (all of `kept`, in the order given). */
const render = (entries: FrontMatterEntry[], kept: Record<string, unknown> = {}, unlessSameAs?: string) =>
  renderTomlPost(POST, entries, Object.keys(kept), kept, unlessSameAs);

/** The RenderError a render throws, or a failure when it throws none or another error. */
function renderError(run: () => unknown): RenderError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RenderError);
    return error as RenderError;
  }
  throw new Error('rendered without an error');
}

describe("renderTomlPost: +++ front matter, the profile keys in order, then a person's", () => {
  it('writes the entries in their order, dates as TOML datetimes, tables after the plain keys', () => {
    const text = render([
      ['title', 'A "quoted" title'],
      ['date', new Timestamp('2019-02-26T11:47:13Z')],
      ['source', { name: 'Dropmark', apiendpoint: 'https://x.dropmark.com/1.json' }],
      ['tags', ['a', 'b']],
      ['render_with_liquid', false],
      ['socialScore', 37],
      OWNER,
    ]);
    expect(text).toBe(
      [
        '+++',
        'title = "A \\"quoted\\" title"',
        'date = 2019-02-26T11:47:13.000Z',
        'tags = [ "a", "b" ]',
        'render_with_liquid = false',
        'socialScore = 37',
        '"dropmark.editURL" = "https://x.dropmark.com/1/7"',
        '',
        '[source]',
        'name = "Dropmark"',
        'apiendpoint = "https://x.dropmark.com/1.json"',
        '+++',
        'Body',
        '',
      ].join('\n'),
    );
  });

  it("a person's key named like an entry does not replace the tool's value", () => {
    expect(render([['title', 'T'], OWNER], { title: 'mine', weight: 3 })).toBe(
      '+++\ntitle = "T"\n"dropmark.editURL" = "https://x.dropmark.com/1/7"\nweight = 3\n+++\nBody\n',
    );
  });
});

describe("a person's keys as TOML can hold them: TOML has no null, so a null is left out", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a null key', { gone: null, weight: 3 }, 'weight = 3\n'],
    ['an undefined key', { gone: undefined, weight: 3 }, 'weight = 3\n'],
    ['nulls in a list', { aliases: [null, '/a', null, '/b'] }, 'aliases = [ "/a", "/b" ]\n'],
    ['undefined in a list', { aliases: ['/a', undefined] }, 'aliases = [ "/a" ]\n'],
    ['nulls in a list in a list', { grid: [[1, null], [null], [2]] }, 'grid = [ [ 1 ], [], [ 2 ] ]\n'],
    [
      'a table inside a list beside a string',
      { links: ['x', { url: 'u', alt: null }] },
      'links = [ "x", { url = "u" } ]\n',
    ],
    ['undefined in such a table', { links: ['x', { url: 'u', alt: undefined }] }, 'links = [ "x", { url = "u" } ]\n'],
    ['a list inside a table', { params: { tags: ['a', null], none: null } }, '\n[params]\ntags = [ "a" ]\n'],
    ['a table in a table', { params: { deep: { x: 1, y: null } } }, '\n[params.deep]\nx = 1\n'],
    // A JavaScript date stays a datetime, not an empty table.
    ['a date', { published: new Date('2020-01-02T03:04:05Z') }, 'published = 2020-01-02T03:04:05.000Z\n'],
    ['a date in a table', { params: { published: new Date(0) } }, '\n[params]\npublished = 1970-01-01T00:00:00.000Z\n'],
  ])('%s', (_, kept, lines) => {
    expect(render([['title', 'T']], kept)).toBe(`+++\ntitle = "T"\n${lines}+++\nBody\n`);
  });
});

describe('refusals: a file that would not read back as the values meant is never returned', () => {
  it('a value TOML cannot be written with (an invalid date) names the item and the reason', () => {
    const error = renderError(() => render([['date', new Timestamp('not a date')]]));
    expect(error.message).toBe('item 7: front matter cannot be written as TOML (cannot serialize invalid date)');
    expect(error.itemId).toBe('7');
  });

  it('front matter the TOML reader refuses (smol-toml writes an undefined in an inline table as `undefined`)', () => {
    const error = renderError(() => render([['links', ['x', { alt: undefined }]]]));
    expect(error.message).toBe(
      'item 7: rendered front matter is not valid TOML (Invalid TOML document: invalid value\n\n' +
        '1:  links = [ "x", { alt = undefined } ]\n' +
        // The caret under the "u" of undefined, in column 27 of the quoted line.
        `${' '.repeat(27)}^\n)`,
    );
    expect(error.itemId).toBe('7');
  });

  const REFUSED =
    'item 7: rendered front matter does not read back to the values meant; the file was not written. ' +
    'Please report this item to the dropmark-sync maintainers';

  it.each<[string, FrontMatterEntry]>([
    // A lone surrogate (a feed's JSON may hold "\ud800") is written as U+FFFD.
    ['a lone surrogate', ['title', 'a\ud800b']],
    // A profile value of null is left out by the writer.
    ['a null entry', ['note', null]],
  ])('%s reads back as another value', (_, entry) => {
    const error = renderError(() => render([entry, OWNER]));
    expect(error.message).toBe(REFUSED);
    expect(error.itemId).toBe('7');
  });

  it('the check is skipped only when the text is exactly the file already on disk (nothing is written)', () => {
    const onDisk = '+++\ntitle = "a\ufffdb"\n+++\nBody\n';
    expect(render([['title', 'a\ud800b']], {}, onDisk)).toBe(onDisk);
    expect(renderError(() => render([['title', 'a\ud800b']], {}, `${onDisk}x`)).message).toBe(REFUSED);
  });
});

describe("a person's TOML dates, read from the file and written back", () => {
  it('stay dates in the form they were written in (date, local datetime, offset), nested ones too', async () => {
    const { parseFrontMatter } = await import('../../../src/frontmatter/read-front-matter.js');
    const file = [
      '+++',
      'title = "T"',
      'published = 2020-01-02',
      'reminder = 2021-05-06T07:08:09',
      'expiryDate = 2022-03-04T05:06:07Z',
      'lunch = 12:30:00',
      '[talk]',
      'on = [ 2023-01-01 ]',
      '+++',
      'Body',
      '',
    ].join('\n');
    const data = parseFrontMatter(file)?.data ?? {};
    const { title: _, ...kept } = data;
    const text = render([['title', 'T'], OWNER], kept);
    expect(text).toBe(
      [
        '+++',
        'title = "T"',
        '"dropmark.editURL" = "https://x.dropmark.com/1/7"',
        'published = 2020-01-02',
        'reminder = 2021-05-06T07:08:09.000',
        'expiryDate = 2022-03-04T05:06:07.000Z',
        'lunch = 12:30:00.000',
        '',
        '[talk]',
        'on = [ 2023-01-01 ]',
        '+++',
        'Body',
        '',
      ].join('\n'),
    );
  });
});
