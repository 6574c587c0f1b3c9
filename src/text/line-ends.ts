/**
 * Line endings are not content. A site checked out on Windows (git's `core.autocrlf`, or
 * `eol=crlf` in `.gitattributes`) has every line of every file ending in CRLF; such a file is
 * read as the same file with LF lines (its owner, its values and its body unchanged), and a file
 * the tool rewrites keeps the line ending it had. A file with mixed endings is taken as it is:
 * its CRs may be content (a body from the feed can hold a lone `\r`, or a `\r\n` of its own).
 */
export type LineEnd = '\n' | '\r\n';

/** `\r\n` when the text has line breaks and every one of them is CRLF; otherwise `\n`. */
export function lineEndOf(text: string): LineEnd {
  const first = text.indexOf('\n');
  if (first <= 0 || text.charCodeAt(first - 1) !== CR) return '\n';
  for (let i = text.indexOf('\n', first + 1); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (text.charCodeAt(i - 1) !== CR) return '\n';
  }
  return '\r\n';
}

/** A file's text as the tool reads it (LF line breaks when all of its breaks are CRLF), and its own line ending. */
export function lfView(onDisk: string): { text: string; lineEnd: LineEnd } {
  const lineEnd = lineEndOf(onDisk);
  return { text: lineEnd === '\r\n' ? onDisk.replaceAll('\r\n', '\n') : onDisk, lineEnd };
}

/** The text with LF line breaks when all of its breaks are CRLF; any other text as it is. */
export function withLfLines(text: string): string {
  return lfView(text).text;
}

/**
 * Text the tool made (LF lines) with the given line ending: every LF not already after a CR
 * becomes CRLF, so a `\r\n` the feed put in a body stays one line break.
 */
export function withLineEnd(text: string, lineEnd: LineEnd): string {
  return lineEnd === '\n' ? text : text.replace(/(?<!\r)\n/g, '\r\n');
}

const CR = 13;
