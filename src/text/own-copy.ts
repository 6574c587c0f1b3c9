/**
 * A string of its own, equal to `part`. A part cut out of a longer text (a slice, a regular expression's match) may
 * share that text's memory and keep all of it alive while the part lives; V8 does so from 13 characters on. A value
 * kept long after its text is let go (a compact read's date, site/read.ts) is copied out of it.
 */
export function ownCopy(part: string): string {
  return Buffer.from(part, 'utf8').toString('utf8');
}
