/**
 * Feed text is written into a Hugo content file, and Hugo runs its shortcode lexer over the
 * whole body before Markdown (inside code spans and fenced blocks too). A shortcode in feed
 * text would run, or fail the whole site build when unknown or malformed. This module makes
 * every shortcode delimiter inert, so Hugo hands the text to Markdown as the feed wrote it.
 *
 * Hugo's lexer (parser/pageparser) starts a shortcode at the leftmost `{{<` or `{{%` and at
 * nothing else; a lone `>}}` or `%}}` is plain text. (The only other mark it looks for is the
 * summary divider `<!--more-->`, which runs nothing and is left alone.) Right after the
 * opener, `/*` makes it Hugo's documented "show literally" form: the text up to the first
 * `*` `/` + closing delimiter is emitted as is, minus the two comment markers, and never lexed.
 *
 * So each opener becomes one of:
 *  - already that literal form: kept byte for byte, since Hugo already shows it literally and
 *    escaping it again would make the `/*` marks visible (and the output must be a fixed
 *    point: the same feed text is mapped on every sync, and files must not change);
 *  - followed somewhere by its closing delimiter: wrapped as `{{</*` … `*\/>}}` around the
 *    text up to the first closing delimiter, which Hugo then shows exactly as the feed wrote
 *    it, even when a quoted parameter holds `>}}` (the rest after it is plain text to Hugo).
 *    Markdown then reads that text as it would without Hugo: `{{<x>}}` holds the HTML tag `<x>`;
 *  - never closed: the `/*` form cannot be used (Hugo always adds the closing delimiter), so
 *    the second brace becomes the HTML entity `&#123;`. Markdown text and HTML show `{{<`;
 *    inside a code span or fence the entity shows as written (`{&#123;<`). A visible, well
 *    known escape was preferred to an invisible character (a zero-width space would look
 *    right but change what a reader copies), and a Markdown backslash (`{\{<`) would fail in
 *    raw HTML, where the entity still works.
 */
export function escapeShortcodes(text: string): string {
  let out = '';
  let copied = 0;
  for (let at = nextOpener(text, 0); at !== -1; at = nextOpener(text, copied)) {
    const { replacement, end } = escapeOpener(text, at);
    out += text.slice(copied, at) + replacement;
    copied = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

type Kind = '<' | '%';

/** As Hugo looks: at each `{{`, a shortcode starts when `<` or `%` follows. */
function nextOpener(text: string, from: number): number {
  for (let at = text.indexOf('{{', from); at !== -1; at = text.indexOf('{{', at + 1)) {
    const next = text[at + 2];
    if (next === '<' || next === '%') return at;
  }
  return -1;
}

/** The text that replaces the opener at `at` and what follows it, and where the rest resumes. */
function escapeOpener(text: string, at: number): { replacement: string; end: number } {
  const kind = text[at + 2] as Kind;
  const close = kind === '<' ? '>}}' : '%}}';
  const inner = at + 3;
  const literalEnd = literalFormEnd(text, inner, close);
  if (literalEnd !== undefined) return { replacement: text.slice(at, literalEnd), end: literalEnd };
  const closeAt = text.indexOf(close, inner);
  if (closeAt !== -1) {
    // The wrapped text holds no closing delimiter, so the first `*/` + close Hugo finds is ours.
    return { replacement: `{{${kind}/*${text.slice(inner, closeAt)}*/${close}`, end: closeAt + close.length };
  }
  return { replacement: `{&#123;${kind}`, end: inner };
}

// Where Hugo's literal form starting at `inner` ends, or undefined when Hugo would not take it
// as one. Hugo takes the first `*/` + close and refuses it ("comment must be closed") when
// that is missing or overlaps the opening `/*`, as in `{{</*/>}}`.
function literalFormEnd(text: string, inner: number, close: string): number | undefined {
  if (!text.startsWith('/*', inner)) return undefined;
  const end = text.indexOf(`*/${close}`, inner);
  return end === -1 || end - inner <= 1 ? undefined : end + 2 + close.length;
}
