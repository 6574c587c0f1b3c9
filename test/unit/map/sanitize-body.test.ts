import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { sanitizeBody } from '../../../src/map/sanitize-body.js';
import { propertyOptions } from '../../support/property.js';

/** [case, feed body, body written]: what a visitor's browser must never run, and what is left of it. */
const hostile: [string, string, string][] = [
  ['a script block', '<script>alert(1)</script>', ''],
  ['a script in a paragraph, with its text', 'a <script>alert(1)</script> b', 'a  b'],
  ['an image with onerror', 'x <img src=x onerror=alert(1)> y', 'x  y'],
  ['a javascript: href', '<a href="javascript:alert(1)">y</a>', '<a>y</a>'],
  ['a javascript: href written with entities', '<a href="&#106;avascript&colon;alert(1)">y</a>', '<a>y</a>'],
  ['an iframe', '<iframe src="https://evil.example/"></iframe>after', 'after'],
  ['an svg with onload', '<svg onload=alert(1)>', ''],
  ['a style block', '<style>body{display:none}</style>text', 'text'],
  ['handlers, class, style and target', '<p onclick="x" class="c" style="color:red">hi</p>', '<p>hi</p>'],
  ['target on a link', '<a href="https://x.example/" target="_blank">y</a>', '<a href="https://x.example/">y</a>'],
  ['a Markdown javascript: link', '[x](javascript:alert(1))', 'x'],
  ['a Markdown link in mixed case', 'see [x](JaVaScRiPt:alert(1)) now', 'see x now'],
  ['a Markdown link hidden by an entity', '[x](jav&#x61;script:alert(1))', 'x'],
  ['a Markdown data: link', '[x](data:text/html;base64,PHNjcmlwdD4=)', 'x'],
  ['a Markdown vbscript: link', '[*x*](vbscript:msgbox)', '*x*'],
  ['a Markdown image', '![a](javascript:alert(1))', 'a'],
  ['a Markdown image whose alt text has punctuation', '![a *b* [c]](javascript:alert(1))', 'a b \\[c\\]'],
  ['a reference definition', '[r]: javascript:alert(1)\n\nsee [x][r]', '\n\nsee [x][r]'],
  ['an autolink', '<javascript:alert(1)>', 'javascript:alert(1)'],
  ['a tag joined by a removed tag', '<<script></script>img src=x onerror=alert(1)>', ''],
  ['an unclosed allowed tag is closed', '<b>open', '<b>open</b>'],
  ['an unfinished tag left at the end of an HTML block', '<p>\n<b', '<p>\n</p>'],
  ['a comment', 'a <!-- c --> b', 'a  b'],
  ['CDATA that a browser ends at its first >', '<![CDATA[ > <img src=x onerror=alert(1)> ]]>', ''],
  ['a processing instruction', '<?php echo 1; ?>', ''],
  [
    'an HTML block that kramdown would keep open over the code after it',
    '<blockquote>\n\n`<script>alert(1)</script>`\n\n</blockquote>\n',
    '<blockquote></blockquote>\n\n`<script>alert(1)</script>`\n\n\n',
  ],
  [
    'a GFM table cell splitting a code span',
    '| a | b |\n|---|---|\n| `<script>|</script>` | x |\n',
    '| a | b |\n|---|---|\n| `|` | x |\n',
  ],
  ['the placeholder characters in feed text', 'a\uE0000\uE001 <b>x</b>', 'a0 <b>x</b>'],
];

/**
 * [case, feed body, body written for kramdown (Jekyll)]: what kramdown reads as markup and CommonMark
 * does not. Each was live in a page built by kramdown (checked in test/e2e/generators.test.ts).
 */
const kramdownHostile: [string, string, string][] = [
  ['an attribute list after a paragraph', 'Para\n{: onclick="alert(1)"}', 'Para\n\\{: onclick="alert(1)"}'],
  ['an extension', '{::nomarkdown}<script>alert(1)</script>{:/}', '\\{::nomarkdown}\\{:/}'],
  ['an attribute list joined by a removed tag', '{<script></script>: onclick=1}', '\\{: onclick=1}'],
  [
    'a tag with a non-ASCII attribute name',
    'a <img src="x" onerror="alert(1)" é="1"> b',
    'a \\<img src="x" onerror="alert(1)" é="1"> b',
  ],
  ['a link with a tab in its destination', '[x](java\tscript:alert(1))', '[x\\](java\tscript:alert(1))'],
  [
    'a definition with a tab in its destination',
    '[x][r]\n\n[r]: java\tscript:alert(1)\n',
    '[x][r]\n\n[r\\]: java\tscript:alert(1)\n',
  ],
  ['a link title holding a tag', '[x](https://a.example/ "<img src=x onerror=alert(1)>")', 'x'],
  ['an image alt text holding a tag', '![<b>x</b>](https://a.example/i.png)', '\\<b\\>x\\<\\/b\\>'],
  [
    'a code span holding a tag',
    'run `<script>alert(1)</script>` here',
    'run <code>&#60;script&#62;alert(1)&#60;/script&#62;</code> here',
  ],
  [
    'an unclosed code fence',
    '```\n<script>alert(1)</script>\n',
    '<pre><code>&#60;script&#62;alert(1)&#60;/script&#62;&#10;</code></pre>\n',
  ],
  [
    'a fence whose info string holds a tag',
    '~~~ <img src=x onerror=alert(1)>\ncode\n~~~\n',
    '<pre><code>code&#10;</code></pre>\n',
  ],
  [
    'indented code on a list item line',
    '*     <script>1</script>\n',
    '* <pre><code>&#60;script&#62;1&#60;/script&#62;&#10;</code></pre>\n',
  ],
  [
    'an HTML block kept open over the code after it',
    '<blockquote>\n\n`<script>alert(1)</script>`\n\n</blockquote>\n',
    '<blockquote></blockquote>\n\n<code>&#60;script&#62;alert(1)&#60;/script&#62;</code>\n\n\n',
  ],
];

/** Markdown without HTML: nothing to take out, and not one byte may change. */
const untouched: [string, string][] = [
  ['an autolink', 'See <https://example.com/a?b=1&c=2> and <mailto:a@b.example>.'],
  ['less-than and greater-than as words', 'a < b and b > c, 1<2, x <= y'],
  ['a quote', '> a quote\n> on two lines\n\nafter'],
  ['ampersands and entities', 'AT&T & friends &amp; &copy; &#123; &lt;script&gt;'],
  ['a code span holding a script', 'run `<script>alert(1)</script>` here'],
  ['a fenced code block holding HTML', '```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```\n'],
  ['an indented code block holding HTML', 'text\n\n    <script>alert(1)</script>\n'],
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
  it.each(hostile)('%s', (_, body, expected) => {
    expect(sanitizeBody(body)).toBe(expected);
  });

  it.each(untouched)('leaves alone %s', (_, body) => {
    expect(sanitizeBody(body)).toBe(body);
  });

  it.each(harmless)('keeps %s', (_, body) => {
    expect(sanitizeBody(body)).toBe(body);
  });
});

describe('sanitizeBody for kramdown', () => {
  // What is taken out for every renderer is taken out for kramdown too; code is written otherwise for it.
  it.each(hostile.filter(([, body]) => !body.includes('`')))('%s', (_, body, expected) => {
    expect(sanitizeBody(body, { kramdown: true })).toBe(expected);
  });

  it.each(kramdownHostile)('%s', (_, body, expected) => {
    expect(sanitizeBody(body, { kramdown: true })).toBe(expected);
  });

  it.each(kramdownUntouched)('leaves alone %s', (_, body) => {
    expect(sanitizeBody(body, { kramdown: true })).toBe(body);
  });
});

/** Markdown and HTML pieces, so the strings are full of near-markup. */
const fragment = fc.constantFrom(
  '<',
  '>',
  '</',
  '<b>',
  '</b>',
  '<br>',
  '<p>',
  '</p>',
  '<script>',
  '</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">',
  '<a href="https://x.example/">',
  '</a>',
  '<!--',
  '-->',
  '[',
  ']',
  '(',
  ')',
  ']:',
  'javascript:alert(1)',
  'https://x.example/',
  '{',
  '{:',
  '}',
  '`',
  '```',
  '\n',
  '\n\n',
  '> ',
  '- ',
  '|',
  '---',
  ' ',
  'a',
  'é',
  '\\',
  '*',
  '&',
  '"',
  '=',
  '\t',
);
const hostileText = fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join(''));

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

/** What Eleventy's markdown-it (raw HTML on, tables on) and the allow-list may put into a page. */
const PAGE_TAGS = new Set(
  ['a b blockquote br code del em h1 h2 h3 h4 h5 h6 hr i img ins li ol p pre s strong sub sup u ul']
    .concat('table thead tbody tr th td')
    .join(' ')
    .split(' '),
);

/** Every element and attribute of the rendered page that could run or load something, as text. */
function liveMarkup(html: string): string[] {
  const found: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (!PAGE_TAGS.has(name)) found.push(`<${name}>`);
        for (const [attribute, value] of Object.entries(attributes)) {
          if (attribute.startsWith('on') || attribute === 'style') found.push(`${name} ${attribute}`);
          const scheme = ['href', 'src'].includes(attribute) ? new URL(value, 'https://page.invalid/').protocol : '';
          if (scheme !== '' && !['http:', 'https:', 'mailto:'].includes(scheme)) found.push(`${name} ${value}`);
        }
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return found;
}

describe('sanitizeBody, rendered by markdown-it with raw HTML on', () => {
  const markdownIt = new MarkdownIt({ html: true });

  it('the hostile bodies of the table give a page without a script, a handler or a javascript: URL', () => {
    expect(hostile.flatMap(([, body]) => liveMarkup(markdownIt.render(body)))).not.toEqual([]);
    expect(hostile.flatMap(([, body]) => liveMarkup(markdownIt.render(sanitizeBody(body))))).toEqual([]);
  });

  it('no body gives a page with a script, a handler or a javascript: URL', () => {
    fc.assert(
      fc.property(hostileText, (body) => {
        expect(liveMarkup(markdownIt.render(sanitizeBody(body)))).toEqual([]);
      }),
      propertyOptions(300),
    );
  });
});
