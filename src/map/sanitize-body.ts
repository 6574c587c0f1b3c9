/**
 * A post's body is Markdown from the feed, and every generator passes a Markdown body's raw HTML
 * through to the page (Jekyll's kramdown, Eleventy's markdown-it, Astro's remark; Hugo when
 * `markup.goldmark.renderer.unsafe` is on). Feed text is hostile: `<script>`, `<img onerror>` or a
 * `javascript:` link would run in every visitor's browser. This module makes a body safe to render
 * while leaving every byte that is not the problem as it was: a body without markup comes out
 * byte-identical (Markdown's own `<https://...>` autolinks, `a < b`, a `>` quote, `&`).
 *
 * The body is parsed as CommonMark (mdast-util-from-markdown, with source offsets), and once more
 * with GFM tables, which Hugo, Eleventy and Astro turn on (a table cell may split a code span and
 * show its `<script>` as HTML). Then, on the source text:
 *  - raw HTML goes through the allow-list of clean-html.ts: an HTML block alone; inline HTML with
 *    its siblings, the Markdown between the tags standing in as placeholders, so a `<b>`...`</b>`
 *    pair stays a pair and the text of a `<script>` goes with it;
 *  - a link or image whose destination is not http(s), mailto or relative becomes its text (an
 *    image its alt text), and such a link reference definition is removed;
 *  - kramdown reads more than CommonMark: in plain text, `{:` (an attribute list such as
 *    `{: onclick="..."}` or an extension such as `{::nomarkdown}`) and a `<` that kramdown could take
 *    for a tag (`<img ... é="">`, which CommonMark does not) get a backslash, which every one of
 *    these renderers reads as the plain character; an unclosed code fence (code to CommonMark, a
 *    paragraph of raw HTML to kramdown) is closed.
 * Taking something out can join what was around it into new markup (`<<b></b>img ...>`), so the
 * passes repeat until the text no longer changes; a text that still changes after a few passes
 * (only a crafted one) has every `<`, `[` and `{` written as an entity.
 */
import type { Link, Nodes, Parents, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import { cleanHtml } from './clean-html.js';

const MAX_PASSES = 8;

/** Private-use characters that mark where the Markdown between inline tags goes; dropped from feed text first. */
const OPEN_MARK = '\uE000';
const CLOSE_MARK = '\uE001';

/** The body, safe to render with raw HTML on; the same text when nothing in it needed a change. */
export function sanitizeBody(markdown: string): string {
  // No HTML, no link, no attribute list can be written without one of these.
  if (!/[<[{]/.test(markdown)) return markdown;
  let text = markdown.includes(OPEN_MARK) || markdown.includes(CLOSE_MARK) ? dropMarks(markdown) : markdown;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = rewrite(rewrite(text, false), true);
    if (next === text) return text;
    text = next;
  }
  return inert(text);
}

function dropMarks(text: string): string {
  return text.split(OPEN_MARK).join('').split(CLOSE_MARK).join('');
}

/** The last resort for a text that keeps changing: nothing in it can start markup any more. */
function inert(text: string): string {
  return text.replace(/</g, '&lt;').replace(/\[/g, '&#91;').replace(/\{/g, '&#123;');
}

function rewrite(text: string, tables: boolean): string {
  const tree: Root = tables
    ? fromMarkdown(text, { extensions: [gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] })
    : fromMarkdown(text);
  return new Rewriter(text).range(tree, 0, text.length);
}

/** Nodes whose children are blocks: raw HTML among them is an HTML block, cleaned alone. */
const BLOCK_PARENTS = new Set(['root', 'blockquote', 'list', 'listItem', 'table', 'tableRow']);

class Rewriter {
  constructor(private readonly source: string) {}

  /** The node's source from `start` to `end`, rewritten. */
  range(node: Nodes, start: number, end: number): string {
    switch (node.type) {
      case 'text':
        return this.text(start, end);
      case 'html':
        return cleanHtml(this.source.slice(start, end));
      case 'code':
        return this.code(node, start, end);
      case 'link':
        return isSafeUrl(node.url) ? this.children(node, start, end) : this.linkText(node);
      case 'image':
        return isSafeUrl(node.url) ? this.source.slice(start, end) : escapeMarkdown(node.alt ?? '');
      case 'definition':
        return isSafeUrl(node.url) ? this.source.slice(start, end) : '';
      default:
        return 'children' in node ? this.children(node, start, end) : this.source.slice(start, end);
    }
  }

  private node(node: Nodes): string {
    return this.range(node, startOf(node), endOf(node));
  }

  /** The parent's source with each child rewritten; inline HTML among the children is cleaned with them. */
  private children(parent: Parents, start: number, end: number): string {
    const kids = parent.children as Nodes[];
    const first = kids[0];
    const last = kids[kids.length - 1];
    if (first === undefined || last === undefined) return this.source.slice(start, end);
    const inner =
      !BLOCK_PARENTS.has(parent.type) && kids.some((k) => k.type === 'html')
        ? this.inlineHtml(kids)
        : this.each(kids);
    return this.source.slice(start, startOf(first)) + inner + this.source.slice(endOf(last), end);
  }

  private each(kids: readonly Nodes[]): string {
    let out = '';
    let at = startOf(kids[0] as Nodes);
    for (const kid of kids) {
      out += this.source.slice(at, startOf(kid)) + this.node(kid);
      at = endOf(kid);
    }
    return out;
  }

  /**
   * The children as one piece of HTML for the allow-list: the tags as written, everything else a
   * placeholder, put back (rewritten) where the cleaned piece still has it.
   */
  private inlineHtml(kids: readonly Nodes[]): string {
    const marks: string[] = [];
    const mark = (markdown: string) => `${OPEN_MARK}${marks.push(markdown) - 1}${CLOSE_MARK}`;
    let piece = '';
    let at = startOf(kids[0] as Nodes);
    for (const kid of kids) {
      if (startOf(kid) > at) piece += mark(this.source.slice(at, startOf(kid)));
      piece += kid.type === 'html' ? this.source.slice(startOf(kid), endOf(kid)) : mark(this.node(kid));
      at = endOf(kid);
    }
    return cleanHtml(piece).replace(
      new RegExp(`${OPEN_MARK}(\\d+)${CLOSE_MARK}`, 'g'),
      (_, index: string) => marks[Number(index)] ?? '',
    );
  }

  /** A link that may not stay: its text, as Markdown (an autolink's text is its URL, now plain text). */
  private linkText(link: Link): string {
    return link.children.length === 0 ? '' : this.each(link.children);
  }

  /**
   * Plain text: a backslash before `{:` and before a `<` that kramdown may read as the start of
   * a tag, a comment or a processing instruction. A character the text already escapes stays.
   */
  private text(start: number, end: number): string {
    let out = '';
    for (let i = start; i < end; i++) {
      const c = this.source[i] as string;
      const next = this.source[i + 1] ?? '';
      if (c === '\\' && isAsciiPunctuation(next) && i + 1 < end) {
        out += c + next;
        i++;
      } else if ((c === '{' && next === ':') || (c === '<' && mayStartKramdownTag(next))) {
        out += `\\${c}`;
      } else {
        out += c;
      }
    }
    return out;
  }

  /** A fenced code block left unclosed gets its closing fence: kramdown would read its lines as Markdown. */
  private code(node: Nodes, start: number, end: number): string {
    const slice = this.source.slice(start, end);
    const fence = /^(`{3,}|~{3,})/.exec(slice)?.[1];
    if (fence === undefined) return slice;
    const newline = slice.endsWith('\n') ? '\n' : '';
    const lines = slice.slice(0, slice.length - newline.length).split('\n');
    // The container's marks (`> `, a list item's indent) stand before the fence's column on every line.
    const prefixLength = (node.position?.start.column ?? 1) - 1;
    const lastLine = lines[lines.length - 1] as string;
    const closing = lastLine.slice(prefixLength).trim();
    const closed = lines.length > 1 && closing.length >= fence.length && [...closing].every((ch) => ch === fence[0]);
    if (closed) return slice;
    return `${lines.join('\n')}\n${lastLine.slice(0, prefixLength)}${fence}${newline}`;
  }
}

function startOf(node: Nodes): number {
  return node.position?.start.offset ?? 0;
}

function endOf(node: Nodes): number {
  return node.position?.end.offset ?? 0;
}

/**
 * http(s), mailto, or relative (a path, `#fragment`, `//host`). The URL parser does what a
 * browser does first (it drops tabs and newlines, so `java\tscript:` is `javascript:`).
 */
export function isSafeUrl(url: string): boolean {
  try {
    return ['http:', 'https:', 'mailto:'].includes(new URL(url, 'https://base.invalid/').protocol);
  } catch {
    return false;
  }
}

function isAsciiPunctuation(c: string): boolean {
  return c !== '' && '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'.includes(c);
}

/** kramdown starts a tag at `<` + a name character, `/`, `?` or `!` (its names take any non-ASCII letter). */
function mayStartKramdownTag(c: string): boolean {
  return c !== '' && (/[A-Za-z/?!_:]/.test(c) || c.charCodeAt(0) > 0x7f);
}

/** Text shown as written: every ASCII punctuation character backslash-escaped. */
function escapeMarkdown(text: string): string {
  return [...text].map((c) => (isAsciiPunctuation(c) ? `\\${c}` : c)).join('');
}

