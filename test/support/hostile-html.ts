import fc from 'fast-check';
import { Parser } from 'htmlparser2';

/**
 * Hostile post bodies for the sanitizer's unit tests and the real generator builds, and the
 * check of a built page: nothing in it may run, load or navigate to a script.
 */

/** [case, feed body, body written]: what a visitor's browser must never run, and what is left of it. */
export const HOSTILE: readonly [string, string, string][] = [
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
  // Eleventy turns indented code off: there, these lines are raw HTML; a fence is code everywhere.
  [
    'an indented code block holding a script',
    'text\n\n    <script>alert(1)</script>\n',
    'text\n\n```\n<script>alert(1)</script>\n```\n',
  ],
  ['indented code in a quote, holding a tag', '>     <b>\n>     x', '> ```\n> <b>\n> x\n> ```'],
  [
    'a fence indented four columns by a tab',
    '\t```<img src=x onerror=alert(1)>',
    '````\n```<img src=x onerror=alert(1)>\n````',
  ],
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
export const KRAMDOWN_HOSTILE: readonly [string, string, string][] = [
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

/**
 * [case, feed body, body written, body written for kramdown (Jekyll)]: footnotes, which kramdown
 * (Jekyll), goldmark (Hugo) and remark-gfm (Astro) render with their HTML live, and which a
 * CommonMark parse reads as a link reference definition to a harmless relative URL. kramdown
 * reads the text CommonMark calls a paragraph (`[^1]: ` once its HTML is out) as plain text
 * only with its `]:` escaped. Each was live in a page built by kramdown or goldmark.
 */
export const FOOTNOTE_HOSTILE: readonly [string, string, string, string][] = [
  [
    'a footnote holding an image with onerror',
    'a[^1]\n\n[^1]: <img src="x" onerror="alert(1)">',
    'a[^1]\n\n[^1]: ',
    'a[^1]\n\n[^1\\]: ',
  ],
  [
    'a footnote holding an svg with onload',
    'a[^1]\n\n[^1]: <svg onload=alert(1)>',
    'a[^1]\n\n[^1]: ',
    'a[^1]\n\n[^1\\]: ',
  ],
  [
    'a footnote holding an iframe',
    'a[^1]\n\n[^1]: <iframe src="https://evil.example/">',
    'a[^1]\n\n[^1]: ',
    'a[^1]\n\n[^1\\]: ',
  ],
  [
    'a footnote holding a javascript: link',
    'a[^n]\n\n[^n]: [x](javascript:alert(1))',
    'a[^n]\n\n[^n]: x',
    'a[^n]\n\n[^n]: x',
  ],
  [
    'an indented footnote holding a javascript: link',
    'a[^n]\n\n   [^n]: [x](javascript:alert(1))',
    'a[^n]\n\n   [^n]: x',
    'a[^n]\n\n   [^n]: x',
  ],
  [
    'a footnote in a list item holding a javascript: link',
    '- a[^n]\n\n  [^n]: [x](javascript:alert(1))',
    '- a[^n]\n\n  [^n]: x',
    '- a[^n]\n\n  [^n]: x',
  ],
  [
    'a footnote in a quote holding a javascript: link',
    '> a[^n]\n>\n> [^n]: [x](javascript:alert(1))',
    '> a[^n]\n>\n> [^n]: x',
    '> a[^n]\n>\n> [^n]: x',
  ],
  [
    'a footnote holding a script in a kramdown extension',
    'a[^1]\n\n[^1]: {::nomarkdown}<script>alert("F6")</script>{:/}',
    'a[^1]\n\n[^1]: {::nomarkdown}{:/}',
    'a[^1]\n\n',
  ],
  // goldmark takes a label with a space; the footnote parse here does not (a definition to it).
  [
    'a footnote whose label has a space, holding an image with onerror',
    'a[^a b]\n\n[^a b]: <img src=x onerror=alert(1)>',
    'a[^a b]\n\n\\[^a b]: ',
    'a[^a b]\n\n\\[^a b\\]: ',
  ],
  [
    'a footnote whose label has a space, holding a javascript: link',
    'a[^a b]\n\n[^a b]: [x](javascript:alert(1))',
    'a[^a b]\n\n\\[^a b]: x',
    'a[^a b]\n\n\\[^a b\\]: x',
  ],
];

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
  // What kramdown reads otherwise than CommonMark (found by rendering random bodies with kramdown).
  '<img src="x" onerror="alert(1)" é="1">',
  'java\tscript:alert(1)',
  '{::nomarkdown}',
  '{:/}',
  '~~~',
  '* ',
  '1. ',
  '    ',
  '$$',
  // Footnotes (goldmark, kramdown and remark-gfm read them), with a label micromark's extension refuses.
  '[^1]',
  '[^1]: ',
  '[^a b]: ',
);
export const hostileText = fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join(''));

/** Tags the generators' Markdown and layouts write, and the allow-list's: anything else in a page is a finding. */
const PAGE_TAGS = new Set(
  [
    'a b blockquote br code del em h1 h2 h3 h4 h5 h6 hr i ins li ol p pre s strong sub sup u ul',
    'img table thead tbody tr th td div span article time',
  ]
    .join(' ')
    .split(' '),
);

/** Attributes whose value is a URL a browser loads or follows. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'srcset', 'action', 'formaction', 'data', 'poster', 'xlink:href']);

/**
 * What in this HTML could run or load a script: an element outside the tags Markdown writes, an
 * event handler or style attribute, a URL that is not http(s), mailto or relative. A real parse
 * (htmlparser2), entities decoded as a browser does.
 */
export function liveMarkup(html: string): string[] {
  const found: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (!PAGE_TAGS.has(name)) found.push(`<${name}>`);
        for (const [attribute, value] of Object.entries(attributes)) {
          if (attribute.startsWith('on') || attribute === 'style') found.push(`<${name} ${attribute}>`);
          if (URL_ATTRIBUTES.has(attribute) && !followable(value)) found.push(`<${name} ${attribute}="${value}">`);
        }
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return found;
}

function followable(url: string): boolean {
  try {
    return ['http:', 'https:', 'mailto:'].includes(new URL(url, 'https://page.invalid/').protocol);
  } catch {
    return false;
  }
}
