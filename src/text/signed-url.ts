import { decodeString } from 'micromark-util-decode-string';
import { isSignedUrl } from './signed-link.js';

/**
 * Runs of text that look like an http(s) URL: up to a space, `<`, `>`, a double quote, a backtick or a
 * private-use character (sanitize-body.ts marks places with them). Trailing punctuation (a
 * sentence's full stop, a closing bracket) is not part of one, as GFM's autolinks read it.
 */
const URL_RUN = /(?:(?:https?:)?\/\/|\bwww\.)[^\s<>"`\uE000-\uF8FF]+/gi;
const TRAILING = /[.,:;!?'"()[\]{}*_~]+$/;

/**
 * The signed URLs in a text, as written there. Markdown and HTML may write `&` as `&amp;` or a
 * character as `\&`: a run is checked as written and as Markdown decodes it.
 */
export function signedUrlsIn(text: string): string[] {
  if (!text.includes('//') && !hasWww(text)) return [];
  const found: string[] = [];
  for (const [run] of text.matchAll(URL_RUN)) {
    const url = run.replace(TRAILING, '');
    // GFM links `www.host/x` as `http://www.host/x`.
    const absolute = /^www\./i.test(url) ? `https://${url}` : url;
    if (isSignedUrl(absolute) || isSignedUrl(decodeString(absolute))) found.push(url);
  }
  return found;
}

/**
 * Whether `www.` is in the text, in any case: what URL_RUN needs besides `//`. Walked from dot to dot, as a
 * case-insensitive regex reads every character of a long body (this runs on every text of every item).
 */
function hasWww(text: string): boolean {
  for (let dot = text.indexOf('.', 3); dot !== -1; dot = text.indexOf('.', dot + 1)) {
    if (isW(text, dot - 1) && isW(text, dot - 2) && isW(text, dot - 3)) return true;
  }
  return false;
}

/** `| 32` folds an ASCII letter to lower case; only W and w fold to w. */
function isW(text: string, at: number): boolean {
  return (text.charCodeAt(at) | 32) === 0x77;
}

/** The text with every signed URL in it taken out. */
export function withoutSignedUrls(text: string): string {
  let out = text;
  for (const url of signedUrlsIn(text)) out = out.split(url).join('');
  return out;
}
