import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/feed/parse.js';
import { mapItem } from '../../../src/map/item.js';
import { escapeShortcodes } from '../../../src/map/shortcodes.js';

/**
 * [case, feed text, file text] — written by hand from Hugo's lexer rules, checked against hugo in
 * test/e2e/hugo.test.ts.
 */
const table: [string, string, string][] = [
  [
    'the issue: an unknown shortcode and a known one',
    'Shortcodes: {{< nonexistent-shortcode >}} and {{% gist someone 123 %}} end.',
    'Shortcodes: {{</* nonexistent-shortcode */>}} and {{%/* gist someone 123 */%}} end.',
  ],
  ['closing form', '{{< /x >}}', '{{</* /x */>}}'],
  ['opening and closing pair', '{{< x >}}inner{{< /x >}}', '{{</* x */>}}inner{{</* /x */>}}'],
  ['no spaces', '{{<x>}}', '{{</*x*/>}}'],
  ['no spaces, markup form', '{{%x%}}', '{{%/*x*/%}}'],
  ['self-closing', '{{< x />}}', '{{</* x /*/>}}'],
  ['multi-line', '{{< x\n  a="1"\n>}} end', '{{</* x\n  a="1"\n*/>}} end'],
  // Escaped up to the first `>}}`: Hugo shows that part, and the rest is plain text to it.
  ['quoted parameter holding >}}', '{{< x "a >}} b" >}}', '{{</* x "a */>}} b" >}}'],
  ['inner ending in *', '{{< x *>}}', '{{</* x **/>}}'],
  ['empty', '{{<>}}', '{{</**/>}}'],
  ['another opener before the close', '{{< a {{< b >}}', '{{</* a {{< b */>}}'],
  ['a run of braces', '{{{< x >}}}', '{{{</* x */>}}}'],
  ['unbalanced {{<', 'Open {{< foo and more', 'Open {&#123;< foo and more'],
  ['unbalanced {{%', 'Open {{% foo', 'Open {&#123;% foo'],
  ['at the very end', 'end {{<', 'end {&#123;<'],
  ['closed only by the other kind', '{{< x %}} and {{% y', '{&#123;< x %}} and {&#123;% y'],
  ['closed past an opener of the other kind', '{{< x %}} {{% y >}}', '{{</* x %}} {{% y */>}}'],
  // Hugo looks for the close after the whole opener, so the % of {{% does not count twice.
  ['{{%}}', '{{%}}', '{&#123;%}}'],
  ['unbalanced, then balanced', '{{< a {{% b %}}', '{&#123;< a {{%/* b */%}}'],
  ['stray closers are plain text to Hugo', 'a >}} b %}} c */>}}', 'a >}} b %}} c */>}}'],
  ['already escaped', '{{</* x */>}} and {{%/* y */%}}', '{{</* x */>}} and {{%/* y */%}}'],
  ['already escaped, holding >}}', '{{</* a >}} b */>}}', '{{</* a >}} b */>}}'],
  // Hugo refuses these ("comment must be closed"), so they are not escaped yet.
  ['/* that overlaps its */', '{{</*/>}}', '{{</*/*/*/>}}'],
  ['/* closed by a plain >}}', '{{</* x >}}', '{{</*/* x */>}}'],
  ['/* never closed', '{{</* open', '{&#123;</* open'],
  ['in a code span', 'Run `{{< x >}}` or `{{< open`', 'Run `{{</* x */>}}` or `{&#123;< open`'],
  [
    'in a fenced block',
    '```\n{{< highlight go >}}\n{{% x %}}\n```\n',
    '```\n{{</* highlight go */>}}\n{{%/* x */%}}\n```\n',
  ],
  [
    'a built-in shortcode',
    'See {{< ref "x" >}} and {{< param title >}}',
    'See {{</* ref "x" */>}} and {{</* param title */>}}',
  ],
];

/** Text Hugo's lexer takes as plain text: left alone, the very same string. */
const plain = [
  '',
  'The body\nof the post',
  'Go templates {{ .Title }} and {{- x -}} are not shortcodes',
  'Spaced { {< x >} } and {{ < x > }}',
  'Lone > } % < and }} and {{',
  'Already broken {&#123;< x',
];

describe('escapeShortcodes', () => {
  it.each(table)('%s', (_name, input, expected) => {
    expect(escapeShortcodes(input)).toBe(expected);
    expect(escapeShortcodes(expected)).toBe(expected);
  });

  it.each(plain)('leaves %j alone', (text) => expect(escapeShortcodes(text)).toBe(text));
});

/** Fragments that make delimiters on their own and by touching each other. */
const fragments = fc.constantFrom(
  '{{<',
  '>}}',
  '{{%',
  '%}}',
  '{{</*',
  '*/>}}',
  '{{%/*',
  '*/%}}',
  '/*',
  '*/',
  '{{',
  '}}',
  '{',
  '}',
  '<',
  '>',
  '%',
  '/',
  '*',
  '`',
  '```\n',
  '"',
  ' ',
  'a',
  'x',
  '\n',
);
const text = fc.array(fragments, { maxLength: 30 }).map((parts) => parts.join(''));

/**
 * What Hugo's lexer (parser/pageparser) hands on as text, restated independently: it stops at
 * the leftmost `{{<` or `{{%`; only `/*`…`*\/` + close right there is text (markers dropped,
 * refused when the first such end overlaps the `/*`). Anything else would be a live shortcode.
 */
function hugoText(escaped: string): string {
  const opener = /\{\{[<%]/g;
  let out = '';
  let from = 0;
  for (let m = opener.exec(escaped); m !== null; m = opener.exec(escaped)) {
    const inner = m.index + 3;
    const close = m[0] === '{{<' ? '>}}' : '%}}';
    const end = escaped.indexOf(`*/${close}`, inner);
    if (!escaped.startsWith('/*', inner) || end - inner <= 1)
      throw new Error(`live shortcode at ${m.index}: ${escaped}`);
    out += escaped.slice(from, inner) + escaped.slice(inner + 2, end) + close;
    from = opener.lastIndex = end + 2 + close.length;
  }
  return out + escaped.slice(from);
}

describe('escapeShortcodes (properties)', () => {
  it('is idempotent, so a file does not change from one sync to the next', () => {
    fc.assert(
      fc.property(text, (t) => escapeShortcodes(escapeShortcodes(t)) === escapeShortcodes(t)),
      { seed: 42, numRuns: 300 },
    );
  });

  it('leaves Hugo no shortcode to run', () => {
    fc.assert(
      fc.property(text, (t) => {
        hugoText(escapeShortcodes(t));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('makes Hugo show the feed text as written, when it holds no escape of its own', () => {
    fc.assert(
      fc.property(
        text.filter((t) => !t.includes('/*')),
        (t) => hugoText(escapeShortcodes(t)).replaceAll('{&#123;', '{{') === t,
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('is a no-op without {{< {{% >}} %}}', () => {
    const free = fc.string({ unit: 'grapheme', maxLength: 200 }).filter((t) => !/\{\{[<%]|[>%]\}\}/.test(t));
    fc.assert(
      fc.property(free, (t) => escapeShortcodes(t) === t),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('mapItem escapes the body only', () => {
  const context = { feedUrl: 'https://shah.dropmark.com/616548.json', imageMode: 'none' as const, now: new Date(0) };
  const item = (content: string | null, description: string | null): FeedItem => ({
    id: '1',
    name: 'Title {{< x >}}',
    description,
    content,
    link: null,
    thumbnail: null,
    tags: [],
    createdAt: null,
    updatedAt: null,
    url: null,
    kind: 'link',
    mime: null,
    size: null,
    parentId: null,
  });

  it('in content; the title and description stay as the feed gave them', () => {
    const post = mapItem(item('Body {{< x >}}', 'Note {{% y %}}'), 's', context);
    expect(post.body).toBe('Body {{</* x */>}}');
    expect(post.fields.title).toBe('Title {{< x >}}');
    expect(post.fields.description).toBe('Note {{% y %}}');
  });

  it('in a description that serves as body', () => {
    expect(mapItem(item(null, 'Note {{% y %}}'), 's', context).body).toBe('Note {{%/* y */%}}');
  });
});
