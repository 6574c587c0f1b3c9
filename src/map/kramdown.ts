/**
 * What a Jekyll site's renderer, kramdown, reads differently from CommonMark, for sanitize-body.ts.
 * kramdown is no CommonMark parser: its lists, code blocks and HTML blocks start and end in other
 * places, it takes unquoted tags CommonMark refuses (`<img ... é="">`), links with a tab in the
 * destination, attribute lists (`{: onclick="..."}`) and extensions (`{::nomarkdown}`). Rendering
 * random bodies with kramdown showed that text CommonMark calls code can be a paragraph of raw
 * HTML to kramdown in many ways (an unclosed fence, an info string of two words, a list that
 * kramdown nests otherwise). So for a Jekyll site nothing that could start markup is left to
 * that difference: the characters are escaped, and code that holds them is written as HTML
 * (`<pre><code>` and `<code>`, every special character an entity), which reads as the same code
 * whichever way kramdown parses the lines around it.
 */

/** Whether `c` followed by `next` may start markup in kramdown: a tag, a comment, an attribute list, a link. */
export function mayStartKramdownMarkup(c: string, next: string): boolean {
  if (c === '{') return next === ':';
  if (c === ']') return next === '(' || next === ':';
  // kramdown starts a tag at `<` + a name character, `/`, `?` or `!` (its names take any non-ASCII letter).
  if (c === '<') return next !== '' && (/[A-Za-z/?!_:]/.test(next) || next.charCodeAt(0) > 0x7f);
  return false;
}

/** Whether the text holds anything kramdown may read as markup. */
export function holdsKramdownMarkup(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (mayStartKramdownMarkup(text[i] as string, text[i + 1] ?? '')) return true;
  return false;
}

/** Code as HTML: a block on one line (a newline is `&#10;`, so no container's marks are needed), or a span. */
export function codeAsHtml(code: string, block: boolean): string {
  return block ? `<pre><code>${entities(`${code}\n`)}</code></pre>` : `<code>${entities(code)}</code>`;
}

/** Every character that means something to Markdown or HTML, as a numeric entity. */
function entities(text: string): string {
  return [...text].map((c) => ('&<>"\'`*_[]{}\\|~#!\n'.includes(c) ? `&#${c.charCodeAt(0)};` : c)).join('');
}
