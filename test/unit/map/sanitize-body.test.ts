import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { sanitizeBody, TooDeepBody } from '../../../src/map/sanitize-body.js';
import { FOOTNOTE_HOSTILE, HOSTILE, hostileText, KRAMDOWN_HOSTILE, liveMarkup } from '../../support/hostile-html.js';
import { propertyOptions } from '../../support/property.js';

/** Markdown without HTML: nothing to take out, and not one byte may change. */
const untouched: [string, string][] = [
  ['an autolink', 'See <https://example.com/a?b=1&c=2> and <mailto:a@b.example>.'],
  ['less-than and greater-than as words', 'a < b and b > c, 1<2, x <= y'],
  ['a quote', '> a quote\n> on two lines\n\nafter'],
  ['ampersands and entities', 'AT&T & friends &amp; &copy; &#123; &lt;script&gt;'],
  ['a code span holding a script', 'run `<script>alert(1)</script>` here'],
  ['a fenced code block holding HTML', '```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```\n'],
  [
    'brackets and safe links',
    'GDP [U.S.] [1] [ok](https://example.com/) ![i](https://example.com/i.png) [r](/p) [f](#x)',
  ],
  ['a safe reference definition', '[x][r]\n\n[r]: https://example.com/ "Title"\n'],
  ['braces', 'a {b} c, x{y}, {{ not liquid }}'],
  ['emphasis and a list', 'Emphasis *a* **b** _c_\n\n- one\n- two\n'],
  ['escapes already written', 'a \\<b> \\{: x} \\](y) \\\\'],
  ['a kramdown attribute list, which CommonMark renderers show as text', 'Para\n{: onclick="alert(1)"}'],
  ['code spans and blocks holding HTML, which CommonMark renderers show as code', 'a `<b>` b\n\n```\n<i>\n'],
  ['a footnote with harmless formatting and a link', 'a[^1]\n\n[^1]: A <b>note</b>, [x](https://x.example/).\n'],
  ['a footnote whose text is a URL', 'a[^1]\n\n[^1]: <https://x.example/>\n'],
  ['a definition labelled like a footnote, to a plain URL', '[^a b]: https://x.example/\n'],
];

/** For kramdown too, text without markup keeps every byte. */
const kramdownUntouched: [string, string][] = [
  ['autolinks and a destination in brackets', '<https://example.com/a?b=1&c=2> [r]\n\n[r]: <https://example.com/b>\n'],
  ['words, brackets, braces and safe links', 'a < b {b} [U.S.] [1] [ok](https://example.com/) > q & AT&T'],
  ['code without markup', '```js\nlet a = b;\n```\n\nand `x > y`'],
  ['harmless formatting', 'a <b>x</b> c<br>'],
];

/** Formatting that may stay, byte for byte. */
const harmless: [string, string][] = [
  ['a line break', 'line<br>break'],
  ['a line break alone', '<br>'],
  ['a line break written XHTML style', 'a<br/>b<br />c'],
  ['bold', 'a <b>x</b> c'],
  ['bold in capitals', 'a <B>x</B> c'],
  ['an http(s) link', '<a href="https://x.example/">y</a>'],
  ['a mailto link with a title', '<a href="mailto:a@b.example" title="write">m</a>'],
  ['a paragraph block', '<p>para</p>\n\ntext'],
  ['a list block', '<ul>\n<li>a</li>\n<li><em>b</em></li>\n</ul>\n'],
  ['Markdown between the tags', 'a <strong>*x* and `y`</strong> b'],
];

describe('sanitizeBody', () => {
  it.each(HOSTILE)('%s', (_, body, expected) => {
    expect(sanitizeBody(body)).toBe(expected);
  });

  it.each(untouched)('leaves alone %s', (_, body) => {
    expect(sanitizeBody(body)).toBe(body);
  });

  it.each(harmless)('keeps %s', (_, body) => {
    expect(sanitizeBody(body)).toBe(body);
  });

  it('writes every < of a text that keeps forming new tags as an entity', () => {
    // Each pass takes out one <x></x> and so joins a new <x> (ten levels deep; eight passes are tried).
    const nested = `${'<'.repeat(9)}<x></x>${'x></x>'.repeat(8)}x>`;
    expect(sanitizeBody(nested)).toBe('&lt;&lt;x>x>');
  });
});

describe('sanitizeBody, footnotes', () => {
  it.each(FOOTNOTE_HOSTILE)('%s', (_, body, expected) => {
    expect(sanitizeBody(body)).toBe(expected);
  });

  it.each(FOOTNOTE_HOSTILE)('%s, for kramdown', (_, body, __, expected) => {
    expect(sanitizeBody(body, { kramdown: true })).toBe(expected);
  });
});

describe('sanitizeBody, nesting', () => {
  const modes = [{ kramdown: false }, { kramdown: true }];

  it.each(modes)('refuses 3,000 nested quotes around a tag (kramdown: $kramdown)', (options) => {
    expect(() => sanitizeBody(`${'>'.repeat(3000)} <b>x</b>`, options)).toThrow(TooDeepBody);
  });

  it.each(modes)('refuses 50,000 nested quotes, without parsing them (kramdown: $kramdown)', (options) => {
    expect(() => sanitizeBody(`${'>'.repeat(50_000)} <b>x</b>`, options)).toThrow(TooDeepBody);
  });

  it('refuses quotes that taking out tags joins into a deep nesting', () => {
    expect(() => sanitizeBody(`${'><span></span>'.repeat(300)} <b>x</b>`)).toThrow(TooDeepBody);
  });

  it('refuses emphasis nested 200 levels deep', () => {
    expect(() => sanitizeBody(`${'*a '.repeat(200)}<b>x</b>${'*'.repeat(200)}`)).toThrow(TooDeepBody);
  });

  it('keeps 98 nested quotes, 100 levels with the paragraph and its text; refuses 99', () => {
    expect(sanitizeBody(`${'>'.repeat(98)} <b>x</b>`)).toBe(`${'>'.repeat(98)} <b>x</b>`);
    expect(() => sanitizeBody(`${'>'.repeat(99)} <b>x</b>`)).toThrow(TooDeepBody);
  });

  it('counts the indent at the start of a line as nesting, unless it ends the line', () => {
    expect(() => sanitizeBody(`${' '.repeat(1000)}x <b>y</b>`)).toThrow(TooDeepBody);
    const body = `a\n${' '.repeat(1000)}\n<b>x</b>`;
    expect(sanitizeBody(body)).toBe(body);
  });
});

describe('sanitizeBody for kramdown', () => {
  // What is taken out for every renderer is taken out for kramdown too; code is written otherwise for it.
  it.each(HOSTILE.filter(([name]) => !name.includes('code') && !name.includes('fence')))('%s', (_, body, expected) => {
    expect(sanitizeBody(body, { kramdown: true })).toBe(expected);
  });

  it.each(KRAMDOWN_HOSTILE)('%s', (_, body, expected) => {
    expect(sanitizeBody(body, { kramdown: true })).toBe(expected);
  });

  it.each(kramdownUntouched)('leaves alone %s', (_, body) => {
    expect(sanitizeBody(body, { kramdown: true })).toBe(body);
  });
});

describe('sanitizeBody, properties', () => {
  it('is idempotent: a written body is a fixed point, so files do not change from sync to sync', () => {
    fc.assert(
      fc.property(hostileText, fc.boolean(), (body, kramdown) => {
        const once = sanitizeBody(body, { kramdown });
        expect(sanitizeBody(once, { kramdown })).toBe(once);
      }),
      propertyOptions(500),
    );
  });

  it('returns a text without <, [ or { exactly as it came', () => {
    const plain = fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => s.replace(/[<[{]/g, ''));
    fc.assert(
      fc.property(plain, fc.boolean(), (body, kramdown) => {
        expect(sanitizeBody(body, { kramdown })).toBe(body);
      }),
      propertyOptions(500),
    );
  });
});

describe('sanitizeBody, rendered by markdown-it with raw HTML on', () => {
  // As markdown-it runs by default, and as Eleventy runs it (indented code blocks off).
  const renderers = [new MarkdownIt({ html: true }), new MarkdownIt({ html: true }).disable('code')];
  const live = (markdown: string) => renderers.flatMap((r) => liveMarkup(r.render(markdown)));

  it('the hostile bodies of the table give a page without a script, a handler or a javascript: URL', () => {
    expect(HOSTILE.flatMap(([, body]) => live(body))).not.toEqual([]);
    expect(HOSTILE.flatMap(([, body]) => live(sanitizeBody(body)))).toEqual([]);
  });

  it('no body gives a page with a script, a handler or a javascript: URL', () => {
    fc.assert(
      fc.property(hostileText, (body) => {
        expect(live(sanitizeBody(body))).toEqual([]);
      }),
      propertyOptions(300),
    );
  });
});
