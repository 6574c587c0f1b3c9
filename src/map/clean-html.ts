/**
 * One piece of raw HTML from a post's body, as it may be written: the allow-list below, applied by
 * sanitize-html (an HTML parse, htmlparser2, and an allow-list; no pattern decides what is safe).
 *
 * A piece whose every tag and attribute is allowed keeps its own bytes, so a `<br>` stays `<br>`
 * and a file that was safe does not change. sanitize-html writes what it parsed, and a browser
 * may parse some bytes differently from htmlparser2; so the bytes are kept only when the piece is
 * "plain" as well: nothing in it but text, allowed start tags each closed by its own end tag (or
 * void), allowed attributes once each, and no comment, CDATA, processing instruction, stray end
 * tag or unfinished tag (htmlparser2 drops those without a word, and the cases where parsers
 * disagree live there: `<![CDATA[ > <img onerror=...> ]]>` is one comment to htmlparser2 but ends
 * at the first `>` in a browser). Balance matters for the text that follows, too: a `<p` left open
 * takes the next paragraph's words as attributes, and kramdown (Jekyll) reads everything after an
 * unclosed `<blockquote>` as raw HTML. Any other piece is written as sanitize-html's output, which
 * is balanced and escaped.
 */
import { Parser } from 'htmlparser2';
import sanitizeHtml from 'sanitize-html';
import { signedUrlsIn, withoutSignedUrls } from '../text/signed-url.js';

/** Formatting a bookmark's text may keep. No img (a request on page view), no style, class, id or handlers. */
export const ALLOWED_TAGS: readonly string[] = [
  'a',
  'b',
  'blockquote',
  'br',
  'code',
  'del',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'ins',
  'li',
  'ol',
  'p',
  'pre',
  's',
  'strong',
  'sub',
  'sup',
  'u',
  'ul',
];

/** Attributes by tag; every other attribute is dropped. */
export const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = { a: ['href', 'title'] };

/** Schemes an `href` may have; relative and protocol-relative links stay (they are http(s) on an http(s) page). */
export const ALLOWED_SCHEMES: readonly string[] = ['http', 'https', 'mailto'];

const ALLOW_LIST: sanitizeHtml.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: Object.fromEntries(Object.entries(ALLOWED_ATTRIBUTES).map(([t, a]) => [t, [...a]])),
  allowedSchemes: [...ALLOWED_SCHEMES],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: true,
  disallowedTagsMode: 'discard',
  // A signed URL is a credential that expires (signed-url.ts): an attribute holding one goes.
  transformTags: { '*': (tagName, attribs) => ({ tagName, attribs: unsigned(attribs) }) },
};

function unsigned(attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  return Object.fromEntries(Object.entries(attribs).filter(([, value]) => signedUrlsIn(value).length === 0));
}

/** The same library's writing of the piece with nothing taken out: equal to the allow-list's when nothing was. */
const ALLOW_ALL: sanitizeHtml.IOptions = {
  allowedTags: false,
  allowedAttributes: false,
  allowVulnerableTags: true,
  allowedSchemesAppliedToAttributes: [],
  disallowedTagsMode: 'discard',
};

const ALLOWED_TAG_SET = new Set(ALLOWED_TAGS);

/**
 * The piece itself when it is plain and all allowed; otherwise sanitize-html's clean copy of it.
 * Either way without a signed URL: the parser hands text over in pieces (split at each entity), so
 * a URL in the text is found in what is written. Taking it out joins no markup that the next pass
 * of sanitize-body.ts does not clean.
 */
export function cleanHtml(piece: string): string {
  const clean = sanitizeHtml(piece, ALLOW_LIST);
  const kept = clean === sanitizeHtml(piece, ALLOW_ALL) && isPlain(piece) ? piece : clean;
  return withoutSignedUrls(kept);
}

/** What the walk has seen so far: where the covered bytes end, and the last start tag (for void elements). */
interface Walk {
  plain: boolean;
  covered: number;
  lastOpen: { name: string; at: number } | undefined;
  attributes: Set<string>;
}

/** Whether htmlparser2 reads the piece as nothing but text and balanced, allowed tags, byte for byte. */
function isPlain(piece: string): boolean {
  const walk: Walk = { plain: true, covered: 0, lastOpen: undefined, attributes: new Set() };
  const parser: Parser = new Parser(
    {
      ontext: () => cover(walk, parser.startIndex, parser.endIndex),
      onattribute: (name) => attribute(walk, name),
      onopentag: (name, _attributes, isImplied) => open(walk, name, parser.startIndex, parser.endIndex, isImplied),
      onclosetag: (name, isImplied) => close(walk, name, parser.startIndex, parser.endIndex, isImplied),
      oncomment: () => refuse(walk),
      oncdatastart: () => refuse(walk),
      onprocessinginstruction: () => refuse(walk),
    },
    { decodeEntities: true },
  );
  parser.end(piece);
  return walk.plain && walk.covered === piece.length;
}

function refuse(walk: Walk): void {
  walk.plain = false;
}

/** Each event must start where the one before ended: a gap is something htmlparser2 dropped. */
function cover(walk: Walk, start: number, end: number): void {
  if (start !== walk.covered) walk.plain = false;
  walk.covered = end + 1;
}

function attribute(walk: Walk, name: string): void {
  if (walk.attributes.has(name)) walk.plain = false;
  walk.attributes.add(name);
}

function open(walk: Walk, name: string, start: number, end: number, isImplied: boolean): void {
  const allowed = ALLOWED_ATTRIBUTES[name] ?? [];
  if (isImplied || !ALLOWED_TAG_SET.has(name) || [...walk.attributes].some((a) => !allowed.includes(a)))
    walk.plain = false;
  walk.attributes = new Set();
  walk.lastOpen = { name, at: start };
  cover(walk, start, end);
}

/** An implied end is fine only right after its own start tag: a void element (`<br>`); else a tag was left open. */
function close(walk: Walk, name: string, start: number, end: number, isImplied: boolean): void {
  if (isImplied) {
    if (walk.lastOpen?.name !== name || walk.lastOpen.at !== start) walk.plain = false;
  } else {
    cover(walk, start, end);
  }
  walk.lastOpen = undefined;
}
