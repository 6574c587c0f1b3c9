import { hash } from 'node:crypto';

/**
 * The SHA-256 of a text, base64: what a compact read (site/read.ts) holds of a file of the site instead of its text,
 * enough to tell whether a rendered post is that file as it is.
 */
export function textHashOf(text: string): string {
  return hash('sha256', text, 'base64');
}
