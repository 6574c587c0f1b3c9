import transliterate from '@sindresorhus/transliterate';
import type { SlugRule } from '../frontmatter/profiles.js';

/** Longest slug kept, in UTF-8 bytes, so `<date>-<slug>-<id>.md` stays far below the 255-byte file name limit. */
export const MAX_SLUG_LENGTH = 180;

/**
 * A title as a slug, by the collection's rule (profiles.ts, SlugRule):
 * - ascii (the reference rule): lower-cases, turns `&` into `and`, every run of characters outside `[a-z0-9]`
 *   into one `-`, and trims `-` at both ends (`Q&A: Hazel` -> `qanda-hazel`, `Café` -> `caf`);
 * - transliterate: the same, on the title written in Latin letters first (`Über Größe` -> `ueber-groesse`,
 *   `Привет` -> `privet`); letters of a script without a Latin form (Japanese, Chinese, Korean) stay as they are;
 * - keep-letters: the letters and digits of every script stay as they are (`Über` -> `über`), as Hugo's URLs do.
 */
export function slugify(text: string, rule: SlugRule = 'ascii'): string {
  if (rule === 'ascii') return cut(asciiSlug(text));
  // NFKC first: ligatures, full-width forms and superscripts become the letters and digits they stand for.
  const compatible = text.normalize('NFKC');
  const letters = rule === 'transliterate' ? toLatin(compatible) : compatible;
  const slug = letters
    .replace(/&/g, 'and')
    .toLowerCase()
    .replace(/[^a-z0-9\p{Ll}\p{Lo}\p{Lm}\p{M}\p{Nd}]+/gu, '-')
    // A combining mark cannot start a name: it would join whatever comes before it (a date, a brand).
    .replace(/^[-\p{M}]+|-+$/gu, '');
  return cut(slug.normalize('NFC'));
}

function asciiSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The text in Latin letters where the transliteration library has them. Each character (grapheme) it cannot
 * write in Latin (a kanji, a hangul syllable), or would lose (the kana length mark), stays as it is; the runs in
 * between are transliterated whole, so rules that look at more than one character still apply.
 */
function toLatin(text: string): string {
  let out = '';
  let run = '';
  for (const { segment } of graphemes.segment(text)) {
    if (staysAsIs(segment)) {
      out += transliterate(run) + segment;
      run = '';
    } else {
      run += segment;
    }
  }
  return out + transliterate(run);
}

function staysAsIs(grapheme: string): boolean {
  if (!/[\p{L}\p{N}]/u.test(grapheme)) return false;
  return !/^[\x00-\x7f]*[A-Za-z0-9][\x00-\x7f]*$/.test(transliterate(grapheme));
}

/** At most MAX_SLUG_LENGTH bytes, cut between two characters (graphemes), without a trailing `-`. */
function cut(slug: string): string {
  // A short slug comes through the cut unchanged; the test only spares the work.
  if (slug.length <= MAX_SLUG_LENGTH / 3 || Buffer.byteLength(slug) <= MAX_SLUG_LENGTH) return slug;
  let out = '';
  let bytes = 0;
  for (const { segment } of graphemes.segment(slug)) {
    bytes += Buffer.byteLength(segment);
    if (bytes > MAX_SLUG_LENGTH) break;
    out += segment;
  }
  return out.replace(/-+$/, '');
}

/** The host of a link, lower case, without a leading `www.`; "" when the link is not an http(s) URL. */
export function linkBrand(link: string | null): string {
  if (!link) return '';
  try {
    const url = new URL(link.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return '';
    return url.hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** The brand part of a slug: the link brand without its last label (`academic.oup.com` -> `academic.oup`). */
export function slugBrand(brand: string): string {
  const dot = brand.lastIndexOf('.');
  return dot === -1 ? '' : brand.slice(0, dot);
}

/** `slugify(brand + "-" + title)`; falls back to `item-<id>` when nothing is left. */
export function baseSlug(brand: string, title: string, id: string, rule: SlugRule = 'ascii'): string {
  return slugify(`${slugBrand(brand)}-${title}`, rule) || `item-${id}`;
}
