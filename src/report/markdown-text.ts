/**
 * Feed text and URLs on their way into the Markdown report that GitHub renders as a pull
 * request body: every feed-derived text inert (no HTML, no Markdown, no live link, no
 * mention or reference), and cut to a length that one row can afford.
 */

/** A title longer than this is cut, with an ellipsis: one row never takes the body's budget. */
export const TITLE_MAX = 200;

/** A zero-width space, as an entity: GitHub shows nothing, but no autolink or reference matches across it. */
const ZWSP = '&#8203;';

/** `text` at most `max` characters long, a cut marked with an ellipsis; never half a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  return `${last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut}…`;
}

/** Feed text cut to `max` characters, then made inert (escapeText). */
export function inert(text: string, max: number): string {
  return escapeText(truncate(text, max));
}

/**
 * Text in a table cell or a line: no table breaks, no HTML, no Markdown links or emphasis from
 * feed data, and nothing GitHub would turn into a link, a mention or a reference.
 */
function escapeText(text: string): string {
  const flat = escapeHtml(text.replace(/[\r\n]+/g, ' '));
  return breakLinks(flat.replace(/([\\`*_[\]|#~!])/g, '\\$1'));
}

/**
 * GitHub makes links of bare text twice: cmark-gfm's autolink extension while parsing (`www.`
 * after a space or `*_~(`; `http://`, `https://` and `ftp://` in any case after any letters,
 * so also after `_` or a digit; e-mail addresses, `mailto:` and `xmpp:`), then its own filters
 * on the rendered text (e-mail addresses, `@user` and `@org/team` mentions, `#1`, `GH-1` and
 * `owner/repo#1` references). Rather than guess which text those take, every one of the
 * characters they all need is kept apart from its neighbour by a zero-width space:
 * - after every `:` (a scheme from its `//` or its address: `https:`, `ftp:`, `mailto:`, `xmpp:`),
 * - after every `@` (a mention or an e-mail address from its name or domain),
 * - after every `#` and `GH-` (a reference from its number),
 * - before every `.` (`www` from its dot, each label of a domain from the next). Before, not
 *   after: `www.&#8203;x` is still a `www.` autolink (the domain check stops at `&`, having
 *   seen a dot), a link to a junk host; `www&#8203;.x` is no autolink at all.
 * A backslash (`\@`, `\:`) or `&#64;` does not stop them (github/markup#1168,
 * github/cmark-gfm#181); the zero-width space does, and is what Renovate and Dependabot insert
 * against mentions. What a reader sees is the same text.
 */
function breakLinks(text: string): string {
  return text.replace(/[:@#.]|GH-/gi, (match) => (match === '.' ? `${ZWSP}.` : `${match}${ZWSP}`));
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A URL this long is not made a link (the title is shown alone): one row never takes the body's budget. */
const URL_MAX = 2000;

/** The bookmarked page as a link target: any http(s) URL (that is what the post links to), or undefined. */
export function pageUrl(url: string): string | undefined {
  const u = parsed(url);
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) return undefined;
  return linkTarget(u);
}

/**
 * The item's page on Dropmark as a link target, only when it is one: http(s) on dropmark.com
 * or one of its subdomains, no user, port, query or fragment, the path ending in the item's
 * id. Linked as https (feeds give `http://USER.dropmark.com/...`; Dropmark serves https).
 * Anything else is no edit link, whatever it ends in.
 */
export function dropmarkEditUrl(url: string, itemId: string): string | undefined {
  const u = parsed(url);
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) return undefined;
  if (u.username !== '' || u.password !== '' || u.port !== '' || u.search !== '' || u.hash !== '') return undefined;
  const host = u.hostname;
  if (host !== 'dropmark.com' && !host.endsWith('.dropmark.com')) return undefined;
  if (!/^\d+$/.test(itemId) || u.pathname.split('/').at(-1) !== itemId) return undefined;
  u.protocol = 'https:';
  return linkTarget(u);
}

function parsed(url: string): URL | undefined {
  return URL.canParse(url) ? new URL(url) : undefined;
}

/** The URL with the characters that could end a Markdown link encoded; undefined when too long for a row. */
function linkTarget(u: URL): string | undefined {
  const target = u
    .toString()
    .replace(/[()<>"'\s|\\[\]`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return target.length <= URL_MAX ? target : undefined;
}

/**
 * A file name or key as inline code (no autolink, mention or HTML inside), cut to `max`
 * characters, on one line: a line break in a name (a file of a cloned site) would end the
 * table row, and what follows it would be Markdown again.
 */
export function code(text: string, max = 300): string {
  const line = truncate(text, max).replace(/[\r\n\u2028\u2029]+/g, ' ');
  return `\`${line.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}
