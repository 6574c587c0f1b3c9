/**
 * A YAML emitter that writes what go-yaml v2 (libyaml's emitter) writes, so the files of
 * an existing site stay byte-identical. The `yaml` package folds long lines its own way
 * (re-emitting the site's real files with it matches fewer than one in ten), hence this.
 *
 * The rules, from libyaml's emitter.c and go-yaml v2's encode.go/emitterc.go:
 * - a string that resolves to another type when plain (null, bool, number, timestamp,
 *   `<<`, base-60 float) is double-quoted; one with a line break asks for a literal block.
 *   Beyond go-yaml's rules, so is a string that any other generator's reader would take for
 *   something else (Ruby's `1,000` and `:symbol`, js-yaml's `._5`: see resolvesToString);
 * - the scalar's characters decide what the style may be (analyze_scalar): plain where
 *   allowed, else single-quoted, else double-quoted;
 * - plain and quoted scalars fold at the first space after column 80 (best_width), the
 *   continuation indented two past the parent;
 * - block sequences in a mapping are not indented (`key:` then `- item` at the same column).
 * One deliberate difference: U+2028/U+2029 are escaped (go-yaml writes them raw as line
 * breaks, which a YAML 1.2 reader does not read back as breaks).
 */

/** A scalar written plain, as is, such as a timestamp (go-yaml writes a time.Time unquoted). */
export class PlainScalar {
  constructor(readonly text: string) {}
}

export type YamlValue = string | number | boolean | null | PlainScalar | YamlValue[] | YamlMap;
export interface YamlMap {
  [key: string]: YamlValue;
}

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

export function emitYaml(root: YamlMap): string {
  const e = new Emitter();
  e.mapping(root, 0, false);
  return e.finish();
}

type Style = 'plain' | 'single' | 'double' | 'literal';

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

class Emitter {
  private out = '';
  private column = 0;

  finish(): string {
    if (this.column > 0) this.newline();
    return this.out;
  }

  private put(text: string, width = codePoints(text)): void {
    this.out += text;
    this.column += width;
  }

  private newline(): void {
    this.out += '\n';
    this.column = 0;
  }

  private indentTo(indent: number): void {
    if (this.column > 0) this.newline();
    this.put(' '.repeat(indent));
  }

  /** A block mapping whose keys start at `indent`; `inline` means the first key follows a `- ` already written. */
  mapping(map: YamlMap, indent: number, inline: boolean): void {
    let first = true;
    for (const [key, value] of Object.entries(map)) {
      if (!(first && inline)) this.indentTo(indent);
      first = false;
      this.scalar(key, indent, true);
      this.put(':');
      this.value(value, indent, 'mapping');
    }
  }

  private sequence(items: YamlValue[], indent: number): void {
    for (const item of items) {
      this.indentTo(indent);
      this.put('-');
      this.value(item, indent, 'sequence');
    }
  }

  /** Writes a value after `key:` or `-` (the cursor is right after the indicator). */
  private value(value: YamlValue, parentIndent: number, parent: 'mapping' | 'sequence'): void {
    if (Array.isArray(value)) {
      if (value.length === 0) return this.put(' []');
      if (parent === 'mapping') return this.sequence(value, parentIndent);
      this.put(' ');
      return this.inlineSequence(value, parentIndent + BEST_INDENT);
    }
    if (value !== null && typeof value === 'object' && !(value instanceof PlainScalar)) {
      if (Object.keys(value).length === 0) return this.put(' {}');
      if (parent === 'mapping') return this.mapping(value, parentIndent + BEST_INDENT, false);
      this.put(' ');
      return this.mapping(value, parentIndent + BEST_INDENT, true);
    }
    this.put(' ');
    this.scalar(value, parentIndent + BEST_INDENT, false);
  }

  /** A sequence inside a sequence: `- - a` then `  - b`. */
  private inlineSequence(items: YamlValue[], indent: number): void {
    items.forEach((item, i) => {
      if (i > 0) this.indentTo(indent);
      this.put('-');
      this.value(item, indent, 'sequence');
    });
  }

  /** A scalar at the cursor; `indent` is where folded continuation lines start. */
  scalar(value: string | number | boolean | null | PlainScalar, indent: number, isKey: boolean): void {
    if (value === null) return this.put('null');
    if (typeof value === 'boolean') return this.put(value ? 'true' : 'false');
    if (typeof value === 'number') return this.put(formatNumber(value));
    if (value instanceof PlainScalar) return this.put(value.text);
    const style = selectStyle(value, isKey);
    switch (style) {
      case 'plain':
        return this.writePlain(value, indent, !isKey);
      case 'single':
        return this.writeSingleQuoted(value, indent, !isKey);
      case 'double':
        return this.writeDoubleQuoted(value, indent, !isKey);
      case 'literal':
        return this.writeLiteral(value, indent);
    }
  }

  private writePlain(value: string, indent: number, allowBreaks: boolean): void {
    this.writeFolded(value, indent, allowBreaks);
  }

  private writeSingleQuoted(value: string, indent: number, allowBreaks: boolean): void {
    this.put("'", 1);
    // Doubling quotes adds no space, so folding the escaped text folds where libyaml does.
    this.writeFolded(value.replace(/'/g, "''"), indent, allowBreaks);
    this.put("'", 1);
  }

  /**
   * Plain and single-quoted text, folded the libyaml way: at the first space past column 80
   * that is neither the first nor the last character, nor followed by another space.
   */
  private writeFolded(text: string, indent: number, allowBreaks: boolean): void {
    const width = codePoints(text);
    // No space can stand past column 80: nothing to fold (most values).
    if (!allowBreaks || this.column + width - 1 <= BEST_WIDTH) return this.put(text, width);
    let segment = 0;
    let spaces = false;
    const last = text.length - 1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 32) {
        if (!spaces && this.column > BEST_WIDTH && i !== 0 && i !== last && text.charCodeAt(i + 1) !== 32) {
          this.out += text.slice(segment, i);
          this.breakLine(indent);
          segment = i + 1;
        } else {
          this.column++;
        }
        spaces = true;
      } else {
        if (!isLowSurrogate(c)) this.column++;
        spaces = false;
      }
    }
    this.out += text.slice(segment);
  }

  /** A fold: a line break, then the continuation indent. The space folded away is not written. */
  private breakLine(indent: number): void {
    this.out += `\n${' '.repeat(indent)}`;
    this.column = indent;
  }

  private writeDoubleQuoted(value: string, indent: number, allowBreaks: boolean): void {
    const chars = [...value];
    this.put('"', 1);
    let spaces = false;
    chars.forEach((ch, i) => {
      const cp = ch.codePointAt(0) as number;
      if (!isPrintable(cp) || cp === 0xfeff || isBreak(cp) || ch === '"' || ch === '\\') {
        const escaped = escapeChar(cp);
        this.put(escaped, escaped.length);
        spaces = false;
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
          this.indentTo(indent);
          if (chars[i + 1] === ' ') this.put('\\', 1);
        } else {
          this.put(ch, 1);
        }
        spaces = true;
      } else {
        this.put(ch, 1);
        spaces = false;
      }
    });
    this.put('"', 1);
  }

  private writeLiteral(value: string, indent: number): void {
    this.put('|');
    this.put(blockHints(value));
    this.newline();
    let atLineStart = true;
    for (const ch of value) {
      if (ch === '\n') {
        this.newline();
        atLineStart = true;
      } else {
        if (atLineStart) this.put(' '.repeat(indent));
        this.put(ch, 1);
        atLineStart = false;
      }
    }
  }
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Length in code points (libyaml counts columns per character, not per UTF-16 unit). */
function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) if (isLowSurrogate(text.charCodeAt(i))) n--;
  return n;
}

function blockHints(value: string): string {
  let hints = '';
  if (value.startsWith(' ') || value.startsWith('\n')) hints += String(BEST_INDENT);
  if (!value.endsWith('\n')) hints += '-';
  else if (value === '\n' || value.endsWith('\n\n')) hints += '+';
  return hints;
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  return String(n);
}

function selectStyle(value: string, isKey: boolean): Style {
  const canUsePlain = resolvesToString(value);
  let style: Style = value.includes('\n') ? 'literal' : canUsePlain ? 'plain' : 'double';
  const a = analyzeScalar(value);
  if (isKey && a.multiline) style = 'double';
  if (style === 'plain') {
    if (!a.blockPlainAllowed) style = 'single';
    if (value.length === 0 && isKey) style = 'single';
  }
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || isKey)) style = 'double';
  return style;
}

/**
 * libyaml's yaml_emitter_analyze_scalar, for block context (the only context written here).
 * Long on purpose: it follows the C function line for line, so the two can be compared when
 * a file is not reproduced byte for byte; split, it would no longer read against its source.
 */
function analyzeScalar(value: string): Analysis {
  if (value.length === 0) {
    return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  if (isPlainProse(value)) return PROSE;
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;

  if (value.startsWith('---') || value.startsWith('...')) blockIndicators = true;

  // By code point, as libyaml reads characters, without an array of them (this runs for every value written).
  const n = value.length;
  for (let i = 0; i < n; ) {
    const cp = value.codePointAt(i) as number;
    const end = cp > 0xffff ? i + 2 : i + 1;
    const next = value.charCodeAt(end);
    const followedByWhitespace = end >= n || next === 32 || next === 9;
    if (i === 0) {
      if (cp < 0x80 && '#,[]{}&*!|>\'"%@`'.includes(value[0] as string)) blockIndicators = true;
      if ((cp === 63 || cp === 58) && followedByWhitespace) blockIndicators = true;
      if (cp === 45 && followedByWhitespace) blockIndicators = true;
    } else {
      if (cp === 58 && followedByWhitespace) blockIndicators = true;
      if (cp === 35 && precededByWhitespace) blockIndicators = true;
    }
    // LS and PS are escaped rather than written raw (see the file comment).
    if (!isPrintable(cp) || cp === 0x2028 || cp === 0x2029) special = true;
    const isBreakHere = isBreak(cp);
    if (cp === 32) {
      if (i === 0) leadingSpace = true;
      if (end === n) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreakHere) {
      // These break flags never decide here (kept to read against libyaml): a text with a LF is a
      // literal block or double-quoted whatever they say, and CR, NEL, LS and PS are special.
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (end === n) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = cp === 32 || cp === 9 || isBreakHere;
    i = end;
  }

  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  // breakSpace never decides: a text with a LF is a literal block, which it allows, and one with any
  // other break is special, which forbids plain and single quotes as well.
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || special) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
    blockAllowed = false;
  }
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

/** What analyzeScalar finds in plain prose: nothing that asks for quotes. */
const PROSE: Analysis = { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
/**
 * A first character that is no indicator (nor `-`, `?`, `:`, `.`), then only printable characters
 * written raw (no tab, break, LS/PS, BOM or surrogate).
 */
const PROSE_CHARS = /^[A-Za-z0-9(\u00c0-\u024f][\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*$/;

/**
 * Most values (titles, descriptions, links): text in which analyzeScalar would raise no flag, told
 * by one regular expression instead of a walk through every character. Besides the characters, no
 * trailing space, no `: ` or final colon, no ` #` (a `#` after a tab or break cannot occur here).
 */
function isPlainProse(value: string): boolean {
  return (
    PROSE_CHARS.test(value) &&
    !value.endsWith(' ') &&
    !value.endsWith(':') &&
    !value.includes(': ') &&
    !value.includes(' #')
  );
}

/** go-yaml's is_printable: LF, printable ASCII, and the BMP minus surrogates, U+FFFE/FFFF and BOM; nothing above it. */
function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  );
}

function isBreak(cp: number): boolean {
  return cp === 0x0a || cp === 0x0d || cp === 0x85 || cp === 0x2028 || cp === 0x2029;
}

function escapeChar(cp: number): string {
  switch (cp) {
    case 0x00:
      return '\\0';
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x09:
      return '\\t';
    case 0x0a:
      return '\\n';
    case 0x0b:
      return '\\v';
    case 0x0c:
      return '\\f';
    case 0x0d:
      return '\\r';
    case 0x1b:
      return '\\e';
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x85:
      return '\\N';
    case 0xa0:
      return '\\_';
    case 0x2028:
      return '\\L';
    case 0x2029:
      return '\\P';
  }
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

// ---- Would this text read back as something other than a string? Every reader a profile's
// generator uses is asked: go-yaml v2 (Hugo, and the bookmark files' byte-for-byte model), Ruby's
// Psych (Jekyll), js-yaml 3 and 4 (gray-matter, Eleventy, Astro 5) and the `yaml` package (Astro 6,
// and the read-back check). A text any of them takes for a number, a boolean, a null, a date, a
// symbol or a merge key is double-quoted; quoting a text one reader would have read as a string
// costs nothing, as every reader reads a quoted scalar as a string.

const RESOLVE_MAP = new Set([
  '',
  // go-yaml's and js-yaml's merge key; YAML 1.1's value type (PyYAML refuses it).
  '<<',
  '=',
]);
/** YAML 1.1 booleans and nulls: go-yaml v2 reads three spellings of each, Psych any case (`yEs`, `nULL`). */
const YAML11_WORDS = /^(?:y|yes|n|no|true|false|on|off|null|~|[-+]?\.inf|[-+]?\.nan)$/i;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP = new RegExp(
  '^-?\\d{4}-\\d{1,2}-\\d{1,2}' +
    '(?:(?:[Tt]|\\s+)\\d{1,2}:\\d{1,2}:\\d{1,2}(?:\\.\\d*)?(?:\\s*(?:Z|[-+]\\d{1,2}(?::?\\d{2})?))?)?$',
);
const GO_INT = /^[-+]?(?:0[bB][01]+|0[oO]?[0-7]+|0[xX][0-9a-fA-F]+|[0-9]+)$/;
/** js-yaml's floats: underscores anywhere after the first character, though not last (`._5` is 0.5). */
const JS_YAML_FLOAT = /^(?:[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?)$/;
/** Psych's INTEGER and FLOAT (Ruby's YAML 1.1 reader): commas count as digit separators (`1,000` is 1000). */
const PSYCH_INT = /^[-+]?(?:0b[0-1_,]+|0[0-7_,]+|(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|0x[0-9a-fA-F_,]+)$/;
const PSYCH_FLOAT = /^[-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][-+][0-9]+)?$/;
// The core schema of the `yaml` package (YAML 1.2).
const CORE_NON_STRING = new RegExp(
  '^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|' +
    '[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$',
);

export function resolvesToString(s: string): boolean {
  if (RESOLVE_MAP.has(s) || YAML11_WORDS.test(s) || CORE_NON_STRING.test(s)) return false;
  // Psych reads `:name` as a Ruby symbol, which Jekyll's safe loader refuses (the page is not built).
  if (s.length > 1 && s.startsWith(':')) return false;
  if ('+-.0123456789'.includes(s[0] ?? '')) return !looksNumeric(s);
  return true;
}

/** A text starting with a sign, a dot or a digit that some reader takes for a number or a timestamp. */
function looksNumeric(s: string): boolean {
  if (TIMESTAMP.test(s) || BASE60_FLOAT.test(s)) return true;
  if (s.startsWith('.')) {
    // go-yaml tries strconv.ParseFloat: Go's syntax, underscores between digits included (".5_5" is 0.55).
    if (/^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/.test(s)) return true;
  } else {
    // go-yaml v2 removes every underscore before it parses a number.
    const bare = s.replace(/_/g, '');
    if (GO_INT.test(bare) || YAML_STYLE_FLOAT.test(bare)) return true;
  }
  if (JS_YAML_FLOAT.test(s) && !s.endsWith('_')) return true;
  return PSYCH_INT.test(s) || (PSYCH_FLOAT.test(s) && !/^[-+]?\.$/.test(s));
}
