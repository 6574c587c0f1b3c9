/**
 * A post's body is Markdown from the feed, and every generator passes a Markdown body's raw HTML
 * through to the page (Jekyll's kramdown, Eleventy's markdown-it, Astro's remark; Hugo when
 * `markup.goldmark.renderer.unsafe` is on). Feed text is hostile: `<script>`, `<img onerror>` or a
 * `javascript:` link would run in every visitor's browser. This module makes a body safe to render
 * while leaving every byte that is not the problem as it was: a body without markup comes out
 * byte-identical (Markdown's own `<https://...>` autolinks, `a < b`, a `>` quote, `&`).
 *
 * The body is parsed as CommonMark (mdast-util-from-markdown, with source offsets), again with
 * GFM tables, which the generators turn on (a table cell may split a code span and show its
 * `<script>` as HTML), and again with tables and GFM footnotes, which kramdown, goldmark and
 * remark-gfm read (`[^1]: <img ...>` is a harmless link reference definition to CommonMark, and a
 * footnote holding live HTML to them). Then, on the source text:
 *  - raw HTML goes through the allow-list of clean-html.ts: an HTML block alone; inline HTML with
 *    its siblings, the Markdown between the tags standing in as placeholders, so a `<b>`...`</b>`
 *    pair stays a pair and the text of a `<script>` goes with it;
 *  - a link or image whose destination is not http(s), mailto or relative becomes its text (an
 *    image its alt text), and such a link reference definition is removed; so does one whose
 *    destination or title is a signed URL (signed-url.ts), and such a URL in text or code goes;
 *  - a footnote definition's content is cleaned like any other; a definition whose label starts
 *    with `^` that the footnote parse did not take for one (goldmark and kramdown take other
 *    labels) is a footnote to some renderer, its destination and title Markdown: when they hold
 *    `<`, `[` or `]` its `[` is escaped, and what follows is cleaned as the paragraph it becomes;
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
 *
 * A body nested deeper than MAX_DEPTH levels is refused (TooDeepBody; the item fails by name):
 * the parse takes time that grows with the square of the depth (50,000 `>` are seconds) and the
 * walk here recurses once a level. No real text nests so deep, and Eleventy's markdown-it stops
 * rendering at 100 levels (its maxNesting).
 */
import type { Definition, Link, Nodes, Parents, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmTable } from 'micromark-extension-gfm-table';
import { cleanHtml } from './clean-html.js';
import { indentedAsFenced } from './code-blocks.js';
import { codeAsHtml, holdsKramdownMarkup, mayStartKramdownMarkup } from './kramdown.js';
import { isSignedUrl } from '../text/signed-link.js';
import { signedUrlsIn, withoutSignedUrls } from '../text/signed-url.js';

const MAX_PASSES = 8;

/** The deepest a body's tree may be (root 0; a paragraph's text in 98 nested quotes is 100). */
export const MAX_DEPTH = 100;

/** A body nested deeper than MAX_DEPTH: not parsed, not written. The caller names the item (item.ts). */
export class TooDeepBody extends Error {
  override name = 'TooDeepBody';
}

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
  // (nor, for kramdown, an attribute list), nor a signed URL, is returned as it is.
  const markup = (options.kramdown ? /[<[{]/ : /<|\]\(|\]:/).test(markdown);
  if (!markup && signedUrlsIn(markdown).length === 0) return markdown;
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
 * The parses whose HTML is cleaned: CommonMark; with GFM tables (Hugo's goldmark, Eleventy's
 * markdown-it and Astro's remark have them on); with tables and footnotes (goldmark and remark-gfm;
 * kramdown has footnotes too). What any of them reads as HTML is cleaned.
 */
interface Parse {
  options: Parameters<typeof fromMarkdown>[1];
  footnotes: boolean;
}
const COMMONMARK: Parse = { options: {}, footnotes: false };
const WITH_TABLES: Parse = {
  options: { extensions: [gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] },
  footnotes: false,
};
/** As goldmark (Hugo) and remark-gfm (Astro) read it: a footnote definition is a container, cleaned inside. */
const WITH_FOOTNOTES: Parse = {
  options: {
    extensions: [gfmTable(), gfmFootnote()],
    mdastExtensions: [gfmTableFromMarkdown(), gfmFootnoteFromMarkdown()],
  },
  footnotes: true,
};

function onePass(text: string, options: BodyOptions): string {
  let out = rewrite(text, COMMONMARK, options);
  // A table needs a `|`, a footnote a `[^`.
  if (out.includes('|')) out = rewrite(out, WITH_TABLES, options);
  if (out.includes('[^')) out = rewrite(out, WITH_FOOTNOTES, options);
  return out;
}

function rewrite(text: string, parse: Parse, options: BodyOptions): string {
  // Checked on every parse: taking markup out can join marks into a deeper nesting (`><span></span>>`).
  if (nestingBound(text) > 2 * MAX_DEPTH) throw new TooDeepBody();
  const tree: Root = fromMarkdown(text, parse.options);
  if (depthOf(tree) > MAX_DEPTH) throw new TooDeepBody();
  return new Rewriter(text, options.kramdown, parse.footnotes).range(tree, 0, text.length);
}

/**
 * Before the parse, at least as much as the deepest nesting of containers (quotes, list items,
 * footnotes) on any line. A line opens or continues each of its containers with a mark (`>`, `-`,
 * `1.`, `[^x]:`) or an indent of two columns or more (a list item's), so the marks at its start
 * and half its indent columns bound them. Indent that ends the line nests nothing. The bound is
 * checked against twice MAX_DEPTH (a `- ` counts one and a half): the parse of what passes is
 * quick, and the tree's own depth is checked after it.
 */
function nestingBound(text: string): number {
  let deepest = 0;
  for (const line of text.split(/\r\n|\r|\n/)) {
    let marks = 0;
    let columns = 0;
    CONTAINER_MARK.lastIndex = 0;
    for (let m = CONTAINER_MARK.exec(line); m !== null; m = CONTAINER_MARK.exec(line)) {
      if (m[1] === undefined) marks++;
      else if (CONTAINER_MARK.lastIndex < line.length) columns += m[1].replace(/\t/g, '    ').length;
    }
    deepest = Math.max(deepest, marks + Math.ceil(columns / 2));
  }
  return deepest;
}

/** One container mark or a run of indent (group 1), from where the last one ended (sticky). */
const CONTAINER_MARK = /([ \t]+)|>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)|\[\^[^\]]*\]:/y;

/** The tree's depth, walked without recursion (the walk that rewrites it recurses). */
function depthOf(tree: Root): number {
  let deepest = 0;
  const stack: [Nodes, number][] = [[tree, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, depth] = next;
    deepest = Math.max(deepest, depth);
    if ('children' in node) for (const kid of node.children as Nodes[]) stack.push([kid, depth + 1]);
  }
  return deepest;
}

/** Nodes whose children are blocks: raw HTML among them is an HTML block, cleaned alone. */
const BLOCK_PARENTS = new Set(['root', 'blockquote', 'list', 'listItem', 'table', 'tableRow', 'footnoteDefinition']);

class Rewriter {
  constructor(
    private readonly source: string,
    private readonly kramdown: boolean,
    /** The parse read GFM footnotes: a definition labelled `^...` is one it did not take for a footnote. */
    private readonly footnotes: boolean,
  ) {}

  /** The node's source from `start` to `end`, rewritten. */
  range(node: Nodes, start: number, end: number): string {
    const slice = this.source.slice(start, end);
    switch (node.type) {
      case 'text':
        // A bare URL that is signed goes; the rest of the text is written as it reads.
        if (signedUrlsIn(node.value).length > 0) return escapeMarkdown(withoutSignedUrls(node.value));
        return this.kramdown ? this.text(start, end) : slice;
      case 'html':
        return cleanHtml(slice);
      case 'code':
      case 'inlineCode':
        return withoutSignedUrls(this.code(node, slice, start));
      case 'link':
        return this.linkMayStay(node, slice) ? this.children(node, start, end) : this.linkText(node);
      case 'image':
        return this.mayStay(node.url, slice.slice(2)) ? slice : escapeMarkdown(withoutSignedUrls(node.alt ?? ''));
      case 'definition':
        if (this.footnoteLike(node, slice)) return `\\${slice}`;
        return this.mayStay(node.url, slice.replace(/\]:(\s*)<(?=[^<>\n]*>)/, ']:$1')) ? slice : '';
      default:
        return 'children' in node ? this.children(node, start, end) : slice;
    }
  }

  /** Code as written, but fenced or as HTML code where a renderer would read markup in it. */
  private code(node: Nodes & { type: 'code' | 'inlineCode' }, slice: string, start: number): string {
    // The slice: a fence's info string is code to CommonMark, and may be a paragraph to kramdown.
    if (!holdsKramdownMarkup(slice)) return slice;
    if (this.kramdown) return codeAsHtml(node.value, node.type === 'code') + (slice.endsWith('\n') ? '\n' : '');
    return isIndented(node, slice)
      ? indentedAsFenced(slice, this.lineBefore(start), node.position.start.column)
      : slice;
  }

  /**
   * A safe URL, and for kramdown no markup in `syntax` (the source besides the text; a
   * definition's `<destination>` brackets taken out), which kramdown may read as raw text.
   */
  private mayStay(url: string, syntax: string): boolean {
    // A signed URL (signed-url.ts) expires and is a credential while it works: never written.
    if (!isSafeUrl(url) || isSignedUrl(url) || signedUrlsIn(syntax).length > 0) return false;
    return !this.kramdown || ![...syntax].some((c, i) => c !== ']' && mayStartKramdownMarkup(c, syntax[i + 1] ?? ''));
  }

  /**
   * A definition that goldmark or kramdown may read as a footnote (goldmark takes any label that is
   * not blank, spaces and nested brackets too) whose destination or title, Markdown to them, holds
   * `<` or a bracket: HTML, an autolink, a link or another definition, which the footnote parse
   * here did not see as such. Escaping its `[` makes it a paragraph to every renderer.
   */
  private footnoteLike(node: Definition, slice: string): boolean {
    if (!this.footnotes || !slice.startsWith('[^')) return false;
    const head = `[${node.label ?? ''}]:`;
    const rest = slice.startsWith(head) ? slice.slice(head.length) : slice.slice(2);
    return [...rest].some((c) => c === '<' || c === '[' || c === ']');
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
