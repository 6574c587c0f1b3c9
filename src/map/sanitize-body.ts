/**
 * A post's body is Markdown from the feed, and every generator passes a Markdown body's raw HTML
 * through to the page (Jekyll's kramdown, Eleventy's markdown-it, Astro's remark; Hugo when
 * `markup.goldmark.renderer.unsafe` is on). Feed text is hostile: `<script>`, `<img onerror>` or a
 * `javascript:` link would run in every visitor's browser. This module makes a body safe to render
 * while leaving every byte that is not the problem as it was: a body without markup comes out
 * byte-identical (Markdown's own `<https://...>` autolinks, `a < b`, a `>` quote, `&`).
 *
 * The body is parsed as CommonMark (mdast-util-from-markdown, with source offsets), and again with
 * GFM tables, which the generators turn on (a table cell may split a code span and show its
 * `<script>` as HTML). Then, on the source text:
 *  - raw HTML goes through the allow-list of clean-html.ts: an HTML block alone; inline HTML with
 *    its siblings, the Markdown between the tags standing in as placeholders, so a `<b>`...`</b>`
 *    pair stays a pair and the text of a `<script>` goes with it;
 *  - a link or image whose destination is not http(s), mailto or relative becomes its text (an
 *    image its alt text), and such a link reference definition is removed;
 *  - an indented code block that holds markup is written fenced (code-blocks.ts: Eleventy reads
 *    indented lines as a paragraph);
 *  - for a Jekyll site (kramdown, see kramdown.ts) more: in plain text a backslash before `{:`,
 *    before a `<` that may start a tag and before `](` and `]:`, which every renderer reads as the
 *    plain character; code that holds such characters written as HTML code with entities; a link,
 *    image or definition holding them outside its text made text or removed.
 * The other generators' renderers are CommonMark (goldmark, markdown-it, remark) and read these
 * characters as the parse here does, so their bodies keep them byte for byte.
 * Taking something out can join what was around it into new markup (`<<b></b>img ...>`), so the
 * passes repeat until the text no longer changes; a text that still changes after a few passes
 * (only a crafted one) has every `<`, `[` and `{` written as an entity.
 */
import type { Link, Nodes, Parents, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import { cleanHtml } from './clean-html.js';
import { indentedAsFenced } from './code-blocks.js';
import { codeAsHtml, holdsKramdownMarkup, mayStartKramdownMarkup } from './kramdown.js';

const MAX_PASSES = 8;

/** Private-use characters that mark where the Markdown between inline tags goes; dropped from feed text first. */
const OPEN_MARK = '\uE000';
const CLOSE_MARK = '\uE001';

export interface BodyOptions {
  /** The site renders Markdown with kramdown (Jekyll). */
  kramdown: boolean;
}

/** The body, safe to render with raw HTML on; the same text when nothing in it needed a change. */
export function sanitizeBody(markdown: string, options: BodyOptions = { kramdown: false }): string {
  // Parsing costs about a millisecond a body: a text that cannot hold HTML, a link or a definition
  // (nor, for kramdown, an attribute list) is returned as it is.
  if (!(options.kramdown ? /[<[{]/ : /<|\]\(|\]:/).test(markdown)) return markdown;
  let text = markdown.includes(OPEN_MARK) || markdown.includes(CLOSE_MARK) ? dropMarks(markdown) : markdown;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = onePass(text, options);
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

/**
 * The parses whose HTML is cleaned: CommonMark, and with GFM tables (Hugo's goldmark, Eleventy's
 * markdown-it and Astro's remark have them on). What either reads as HTML is cleaned.
 */
const COMMONMARK = {};
const WITH_TABLES = { extensions: [gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] };

function onePass(text: string, options: BodyOptions): string {
  const commonMark = rewrite(text, COMMONMARK, options);
  // A table needs a `|`.
  return commonMark.includes('|') ? rewrite(commonMark, WITH_TABLES, options) : commonMark;
}

function rewrite(text: string, parse: Parameters<typeof fromMarkdown>[1], options: BodyOptions): string {
  const tree: Root = fromMarkdown(text, parse);
  return new Rewriter(text, options.kramdown).range(tree, 0, text.length);
}

/** Nodes whose children are blocks: raw HTML among them is an HTML block, cleaned alone. */
const BLOCK_PARENTS = new Set(['root', 'blockquote', 'list', 'listItem', 'table', 'tableRow']);

class Rewriter {
  constructor(
    private readonly source: string,
    private readonly kramdown: boolean,
  ) {}

  /** The node's source from `start` to `end`, rewritten. */
  range(node: Nodes, start: number, end: number): string {
    const slice = this.source.slice(start, end);
    switch (node.type) {
      case 'text':
        return this.kramdown ? this.text(start, end) : slice;
      case 'html':
        return cleanHtml(slice);
      case 'code':
      case 'inlineCode':
        // The slice: a fence's info string is code to CommonMark, and may be a paragraph to kramdown.
        if (!holdsKramdownMarkup(slice)) return slice;
        if (this.kramdown) return codeAsHtml(node.value, node.type === 'code') + (slice.endsWith('\n') ? '\n' : '');
        return isIndented(node, slice)
          ? indentedAsFenced(slice, this.lineBefore(start), node.position.start.column)
          : slice;
      case 'link':
        return this.linkMayStay(node, slice) ? this.children(node, start, end) : this.linkText(node);
      case 'image':
        return this.mayStay(node.url, slice.slice(2)) ? slice : escapeMarkdown(node.alt ?? '');
      case 'definition':
        return this.mayStay(node.url, slice.replace(/\]:(\s*)<(?=[^<>\n]*>)/, ']:$1')) ? slice : '';
      default:
        return 'children' in node ? this.children(node, start, end) : slice;
    }
  }

  /**
   * A safe URL, and for kramdown no markup in `syntax` (the source besides the text; a
   * definition's `<destination>` brackets taken out), which kramdown may read as raw text.
   */
  private mayStay(url: string, syntax: string): boolean {
    if (!isSafeUrl(url)) return false;
    return !this.kramdown || ![...syntax].some((c, i) => c !== ']' && mayStartKramdownMarkup(c, syntax[i + 1] ?? ''));
  }

  /** The text before `at` on its line. */
  private lineBefore(at: number): string {
    return this.source.slice(this.source.lastIndexOf('\n', at - 1) + 1, at);
  }

  /** A link's syntax is what follows its text: `](destination "title")`, or an autolink's `>`. */
  private linkMayStay(link: Link, slice: string): boolean {
    const last = link.children[link.children.length - 1];
    return this.mayStay(link.url, last === undefined ? slice : this.source.slice(endOf(last), endOf(link)));
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
      !BLOCK_PARENTS.has(parent.type) && kids.some((k) => k.type === 'html') ? this.inlineHtml(kids) : this.each(kids);
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
   * Plain text for kramdown: a backslash before `{:`, before a `<` that may start a tag, a comment
   * or a processing instruction, and before a `]` that a `(` or `:` follows (kramdown takes
   * `[x](java<TAB>script:...)` for a link, CommonMark does not). A character already escaped stays.
   */
  private text(start: number, end: number): string {
    let out = '';
    for (let i = start; i < end; i++) {
      const c = this.source[i] as string;
      const next = this.source[i + 1] ?? '';
      if (c === '\\' && isAsciiPunctuation(next) && i + 1 < end) {
        out += c + next;
        i++;
      } else {
        out += mayStartKramdownMarkup(c, next) ? `\\${c}` : c;
      }
    }
    return out;
  }
}

/** An indented code block's source starts with its indent; a fenced one's with its fence. */
function isIndented(node: Nodes, slice: string): node is Nodes & { position: NonNullable<Nodes['position']> } {
  return node.type === 'code' && node.position !== undefined && (slice[0] === ' ' || slice[0] === '\t');
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
function isSafeUrl(url: string): boolean {
  try {
    return ['http:', 'https:', 'mailto:'].includes(new URL(url, 'https://base.invalid/').protocol);
  } catch {
    return false;
  }
}

function isAsciiPunctuation(c: string): boolean {
  return c !== '' && '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'.includes(c);
}

/** Text shown as written: every ASCII punctuation character backslash-escaped. */
function escapeMarkdown(text: string): string {
  return [...text].map((c) => (isAsciiPunctuation(c) ? `\\${c}` : c)).join('');
}
