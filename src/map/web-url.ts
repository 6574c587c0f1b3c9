/**
 * What a URL-valued front-matter key (`link`, the remote `image`) may hold: an absolute http(s)
 * URL. Themes write these keys into `href` and `src`, and Liquid (Jekyll, Eleventy) does not
 * escape by default: a `javascript:` or `data:` link runs when clicked, and a quote in the text
 * ends the attribute. A scheme-less or protocol-relative text (`//host/x`) is refused as well:
 * the same key also goes into feeds and social cards, where there is no page to take a scheme from.
 */

/**
 * A URL text may stay as given when it holds only characters a URI may hold (RFC 3986), less the
 * single quote: a theme that writes `href='{{ page.link }}'` unescaped would end its attribute
 * there. (The parsed form keeps `'` in a path, so it is encoded after parsing too.)
 */
const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&()*+,;=%]*$/;

/**
 * The text itself when it is an http(s) URL written with URI characters only; its parsed form
 * (spaces, quotes, `<`, `>` and non-ASCII percent-encoded) when it is an http(s) URL written with
 * others; undefined when it is no http(s) URL.
 */
export function webUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return URI_CHARACTERS.test(text) ? text : url.href.replaceAll("'", '%27');
}
