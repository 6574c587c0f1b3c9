import type { FeedItem } from '../feed/parse.js';
import { nameKey } from '../frontmatter/file-names.js';
import { withoutSignedUrls } from '../text/signed-url.js';

/**
 * Terms (an item's tags: `tags` in the generator profiles, `categories` in bookmark) become paths and object keys
 * in the built site: Hugo and Eleventy make a page per term under `/tags/<term>/`, and Eleventy keys its
 * `collections` object by term. So a term never holds a path separator, a control character, or only dots (a
 * `..` stops a Hugo build, `../../post/x` aims at another page), and is never a name every JavaScript object
 * already has (`__proto__` crashes Eleventy).
 */
const PROTOTYPE_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype'].map(nameKey));

/** Slashes NFKC leaves as they are: division slash, fraction slash, big solidus. */
const SLASHES = /[\u2215\u2044\u29f8]/gu;

/** One term made safe: the term to write (and why it differs from the feed's), or why it is dropped. */
export type CleanTerm = { term: string; changed?: string } | { dropped: string };

export function cleanTerm(raw: string): CleanTerm {
  let changed: string | undefined;
  let text = raw;
  if (/[\p{Cc}\u2028\u2029]/u.test(text)) {
    changed = 'a tag holds no control characters';
    text = text.replace(/[\p{Cc}\u2028\u2029]/gu, ' ');
  }
  // Invisible characters (zero-width space, soft hyphen, word joiner, ...) would hide a `..`.
  if (/\p{Cf}/u.test(text)) {
    changed = 'a tag holds no invisible characters';
    text = text.replace(/\p{Cf}/gu, '');
  }
  // Look-alikes of the dot and the slash (`‥`, `．`, `／`) are what they look like to a generator.
  const compatible = text.normalize('NFKC').replace(SLASHES, '/');
  if (/[/\\]/.test(compatible) || /^[.\s]*$/.test(compatible)) text = compatible;
  if (/[/\\]/.test(text)) {
    changed = 'a tag is never a path';
    // Each part between separators, without the dot segments a path would walk: `a/b` is `a-b`, `../x` is `x`.
    text = text
      .split(/[/\\]/)
      .map((part) => part.trim())
      .filter((part) => !/^[.\s]*$/.test(part))
      .join('-');
  }
  text = text.replace(/\s+/gu, ' ').trim();
  if (/^[.\s]*$/.test(text)) return { dropped: 'it is empty or only dots once cleaned (a tag is never a path)' };
  if (!/[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(text))
    return { dropped: 'it has no letter, digit or emoji (its tag page would have an empty name)' };
  if (PROTOTYPE_NAMES.has(nameKey(text)))
    return { dropped: 'a name every JavaScript object has, which breaks generators that key tags by name' };
  return changed === undefined ? { term: text } : { term: text, changed };
}

export interface CollectionTerms {
  /** The items, each with its terms cleaned, once each (after case folding), in its own order. */
  items: FeedItem[];
  /** What was dropped or changed, naming the item. */
  warnings: { itemId: string; message: string }[];
}

/**
 * Pure: every item's terms made safe (cleanTerm), each item's terms unique after case folding (the first
 * spelling kept). `oneSpelling` (the generator profiles): a term is spelled one way across the collection, the
 * spelling most items use, ties to the first seen in feed order, so `Patient Engagement` and `patient engagement`
 * are one tag page. bookmark keeps each item's own spelling (its reference files hold both `AI` and `ai`).
 */
export function collectionTerms(items: readonly FeedItem[], oneSpelling: boolean): CollectionTerms {
  const warnings: { itemId: string; message: string }[] = [];
  const lists = items.map((item) => itemTerms(item, warnings));
  const spelling = oneSpelling ? mostUsedSpellings(lists) : undefined;
  return {
    items: items.map((item, i) => {
      const terms = lists[i] as string[];
      return { ...item, tags: spelling ? [...new Set(terms.map((t) => spelling.get(spellingKey(t)) ?? t))] : terms };
    }),
    warnings,
  };
}

function itemTerms(item: FeedItem, warnings: { itemId: string; message: string }[]): string[] {
  const seen = new Set<string>();
  const terms: string[] = [];
  for (const given of item.tags) {
    // Before the cleaning, which would turn a URL's slashes into dashes and hide it from the signed-URL check.
    const unsigned = withoutSignedUrls(given);
    if (unsigned !== given) warnings.push({ itemId: item.id, message: 'a signed URL in a tag is left out of it' });
    const raw = unsigned === given ? given : unsigned.replace(/\s+/g, ' ').trim();
    if (raw === '') continue;
    const clean = cleanTerm(raw);
    if ('dropped' in clean) {
      warnings.push({ itemId: item.id, message: `tag ${shown(raw)} left out: ${clean.dropped}` });
      continue;
    }
    if (clean.changed)
      warnings.push({
        itemId: item.id,
        message: `tag ${shown(raw)} written as ${shown(clean.term)}: ${clean.changed}`,
      });
    const key = nameKey(clean.term);
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push(clean.term);
  }
  return terms;
}

/**
 * What makes two spellings one tag to a generator: case, Unicode form, and whatever its slug of
 * a tag drops or merges (`Patient Engagement`, `patient-engagement`, `patient_engagement` and
 * `patient.engagement` are one `/tags/patient-engagement/` page in Eleventy; so are `C++` and
 * `C`, which Hugo would keep apart: one spelling for both is the price of a build that works).
 */
function spellingKey(term: string): string {
  // Eleventy's slugify keeps letters and digits and turns every run of anything else into one `-`.
  return nameKey(term.normalize('NFKC')).replace(/[^\p{L}\p{N}\p{Extended_Pictographic}]+/gu, '');
}

/** Spelling key -> the spelling the most items use; on a tie, the one seen first (a Map keeps insertion order). */
function mostUsedSpellings(lists: readonly string[][]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const term of lists.flat()) {
    const key = spellingKey(term);
    const bySpelling = counts.get(key) ?? new Map<string, number>();
    bySpelling.set(term, (bySpelling.get(term) ?? 0) + 1);
    counts.set(key, bySpelling);
  }
  const chosen = new Map<string, string>();
  for (const [key, bySpelling] of counts) {
    let best: [string, number] = ['', 0];
    for (const entry of bySpelling) if (entry[1] > best[1]) best = entry;
    chosen.set(key, best[0]);
  }
  return chosen;
}

/** A feed text quoted for a log line: short, with its control characters visible. */
function shown(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);
}
