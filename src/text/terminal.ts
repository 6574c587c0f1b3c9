/**
 * Feed text on its way to a terminal (the dry-run diff, the summary lines, log lines) with
 * every character a terminal acts on or reorders by made visible: the C0 controls but tab and
 * newline (ESC starts cursor moves, erase-line and OSC 0/52 title and clipboard writes; CR
 * overwrites the line), DEL, the C1 controls (U+009B is a one-byte CSI, U+009D an OSC), and
 * the bidi embeddings, overrides and isolates ("Trojan Source": U+202A-U+202E, U+2066-U+2069).
 *
 * Notation, as in JavaScript: `\x1b` for a code point below U+0100, `\u202e` above. A
 * backslash already in the text is left as it is, so a title that spells `\x1b` out reads the
 * same as one that held ESC: the output is for people to read, not to decode back.
 */
export function visibleControls(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    if (isHidden(cp)) {
      out += text.slice(from, i) + notation(cp);
      from = i + width;
    }
    i += width;
  }
  return from === 0 ? text : out + text.slice(from);
}

function isHidden(cp: number): boolean {
  return (
    (cp <= 0x1f && cp !== 0x09 && cp !== 0x0a) ||
    (cp >= 0x7f && cp <= 0x9f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069)
  );
}

function notation(cp: number): string {
  return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}
