/**
 * A reader for the YAML that yaml-emitter.ts writes, and for nothing else: the read-back check
 * (render/post.ts) reads every front matter it is about to write, and the full `yaml` parser was
 * most of a full sync's rendering time. This reader knows the emitter's few forms (a block
 * mapping of indented keys, block sequences of scalars, plain, single- and double-quoted scalars
 * folded the libyaml way, literal blocks, `[]` and `{}`) and reads them in one pass over the
 * text. Anything else it meets, however harmless, makes it step aside (OUTSIDE), and the full
 * parser reads the text instead: a text it reads is one whose reading by the `yaml` package
 * (core schema) is plain, and test/property/yaml-subset-reader.test.ts holds the two to the same
 * values on emitted and on hostile texts.
 */

/** The text is not one this reader knows: read it with the full parser. */
export const OUTSIDE: unique symbol = Symbol('outside the emitted subset');

/**
 * Every character may be one the emitter writes raw: line feeds, printable ASCII and the BMP's
 * printable rest (no tab, no C1 control, no LS/PS, no BOM, no surrogate, nothing astral: the
 * emitter escapes all of these in a double-quoted scalar).
 */
const RAW_TEXT = /^[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*$/;
/** The `yaml` package's core schema tags other than str (null's own test matches the empty text too). */
const CORE_NON_STRING = new RegExp(
  '^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+|' +
    '[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN|[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)?$',
);
/** Integers read back exactly as JavaScript numbers; any other number steps aside (`-1`, `1e3`, `0x1F`). */
const PLAIN_INT = /^(?:0|[1-9][0-9]{0,14})$/;
/** A character that starts a plain scalar only where libyaml would not write one. */
const INDICATORS = '#,[]{}&*!|>\'"%@`';

const ASIDE = { aside: true };

function aside(): never {
  throw ASIDE;
}

/** The values `text` (the emitter's output) reads as, or OUTSIDE when it is not of the emitter's forms. */
export function readEmittedYaml(text: string): unknown {
  if (text.length === 0 || text.charCodeAt(text.length - 1) !== 10 || !RAW_TEXT.test(text)) return OUTSIDE;
  try {
    const reader = new Reader(text);
    return reader.document();
  } catch (error) {
    if (error === ASIDE) return OUTSIDE;
    throw error;
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly s: string) {}

  document(): unknown {
    const value = this.mapping(0);
    if (this.pos !== this.s.length) aside();
    return value;
  }

  /** Spaces at the start of the line that starts at `at`. */
  private indentAt(at: number): number {
    let i = at;
    while (this.s.charCodeAt(i) === 32) i++;
    return i - at;
  }

  /** A block mapping whose keys start at column `indent`; it ends at a line indented less. */
  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let empty = true;
    while (this.pos < this.s.length) {
      const n = this.indentAt(this.pos);
      if (n < indent) break;
      if (n > indent) aside();
      this.pos += n;
      const key = this.key();
      // `__proto__` would set the prototype; a repeated key is not the emitter's.
      if (key === '__proto__' || Object.hasOwn(out, key)) aside();
      out[key] = this.value(indent, true);
      empty = false;
    }
    // The emitter writes an empty mapping as `{}`.
    if (empty) aside();
    return out;
  }

  /** `- item` lines at column `indent` (the emitter does not indent a sequence under its key). */
  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    while (this.pos < this.s.length) {
      const n = this.indentAt(this.pos);
      const at = this.pos + n;
      if (n !== indent || this.s.charCodeAt(at) !== 45 || !isBlankOrBreak(this.s.charCodeAt(at + 1))) break;
      this.pos = at + 1;
      out.push(this.value(indent, false));
    }
    return out;
  }

  /** A key (on one line, never folded), up to and past its `:`. */
  private key(): string {
    const start = this.pos;
    const c = this.s.charCodeAt(this.pos);
    let key: string;
    if (c === 34 || c === 39) key = this.quoted(c, 0, false);
    else {
      const colon = this.s.indexOf(':', this.pos);
      const eol = this.s.indexOf('\n', this.pos);
      // A colon inside a plain key, or none before the line's end: not a key the emitter writes plain.
      if (colon === -1 || colon > eol || !isBlankOrBreak(this.s.charCodeAt(colon + 1))) aside();
      key = this.s.slice(this.pos, colon);
      checkPlainLine(key);
      if (key === '<<' || CORE_NON_STRING.test(key)) aside();
      this.pos = colon;
    }
    // YAML limits an implicit key to 1024 characters; the full parser judges the long ones.
    if (this.s.charCodeAt(this.pos) !== 58 || this.pos - start > 1000) aside();
    this.pos++;
    return key;
  }

  /** The value after `key:` or `-`, whose indicator stands at column `indent`. */
  private value(indent: number, inMapping: boolean): unknown {
    const c = this.s.charCodeAt(this.pos);
    if (c === 10) {
      // Nothing after the indicator: a sequence or a mapping follows on the next lines.
      if (!inMapping) aside();
      this.pos++;
      const n = this.indentAt(this.pos);
      const first = this.s.charCodeAt(this.pos + n);
      if (n === indent && first === 45) {
        const items = this.sequence(indent);
        if (items.length === 0) aside();
        return items;
      }
      if (n === indent + 2) return this.mapping(indent + 2);
      return aside();
    }
    if (c !== 32) aside();
    this.pos++;
    if (this.s.startsWith('[]\n', this.pos)) {
      this.pos += 3;
      return [];
    }
    if (this.s.startsWith('{}\n', this.pos)) {
      this.pos += 3;
      return {};
    }
    return this.scalar(indent, inMapping);
  }

  /** A scalar value up to and past its line's end; continuation lines stand at `indent` + 2. */
  private scalar(indent: number, inMapping: boolean): unknown {
    const c = this.s.charCodeAt(this.pos);
    let value: unknown;
    if (c === 34 || c === 39) value = this.quoted(c, indent + 2, true);
    else if (c === 124 && inMapping) return this.literal(indent + 2);
    else return this.plain(indent);
    if (this.s.charCodeAt(this.pos) !== 10) aside();
    this.pos++;
    return value;
  }

  /** A plain scalar, its folds read as spaces, resolved the core schema's way. */
  private plain(indent: number): unknown {
    let eol = this.s.indexOf('\n', this.pos);
    let text = this.s.slice(this.pos, eol);
    checkPlainLine(text);
    this.pos = eol + 1;
    while (this.pos < this.s.length) {
      const n = this.indentAt(this.pos);
      // A line indented less ends the scalar; an empty line would be a line break in it.
      if (n <= indent && this.s.charCodeAt(this.pos + n) !== 10) break;
      if (n !== indent + 2) aside();
      eol = this.s.indexOf('\n', this.pos);
      const line = this.s.slice(this.pos + n, eol);
      checkPlainLine(line);
      text += ` ${line}`;
      this.pos = eol + 1;
    }
    return resolvePlain(text);
  }

  /** A quoted scalar from its opening quote (34 double, 39 single): `''` is a quote in single, `\` escapes double. */
  private quoted(quote: 34 | 39, foldIndent: number, folds: boolean): string {
    let out = '';
    let start = ++this.pos;
    for (;;) {
      const c = this.s.charCodeAt(this.pos);
      if (c === quote) {
        out += this.s.slice(start, this.pos);
        this.pos++;
        if (quote === 34 || this.s.charCodeAt(this.pos) !== 39) return out;
        out += "'";
        start = ++this.pos;
      } else if (c === 92 && quote === 34) {
        out += this.s.slice(start, this.pos) + this.escape();
        start = this.pos;
      } else if (c === 10) {
        out += `${this.s.slice(start, this.pos)} `;
        start = this.fold(foldIndent, folds);
      } else if (Number.isNaN(c)) {
        aside();
      } else {
        this.pos++;
      }
    }
  }

  /**
   * A line break inside a quoted scalar, read as one space: only the emitter's kind, between two
   * characters that are not spaces, the next line at exactly `foldIndent`. Returns where the text goes on.
   */
  private fold(foldIndent: number, folds: boolean): number {
    if (!folds || this.s.charCodeAt(this.pos - 1) === 32) aside();
    this.pos++;
    const n = this.indentAt(this.pos);
    if (n !== foldIndent || this.s.charCodeAt(this.pos + n) === 10) aside();
    this.pos += n;
    return this.pos;
  }

  /** An escape of a double-quoted scalar, at its backslash; only those the emitter writes. */
  private escape(): string {
    const e = this.s[this.pos + 1];
    this.pos += 2;
    const simple = e === undefined ? undefined : SIMPLE_ESCAPES[e];
    if (simple !== undefined) return simple;
    const digits = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : aside();
    const hex = this.s.slice(this.pos, this.pos + digits);
    if (hex.length !== digits || !/^[0-9A-F]+$/.test(hex)) aside();
    const cp = Number.parseInt(hex, 16);
    if (cp > 0x10ffff) aside();
    this.pos += digits;
    return String.fromCodePoint(cp);
  }

  /** A literal block (`|`, `|-`, `|+`; no indentation indicator) whose lines stand at `indent`. */
  private literal(indent: number): string {
    const eol = this.s.indexOf('\n', this.pos);
    const chomp = this.s.slice(this.pos + 1, eol);
    if (chomp !== '' && chomp !== '-' && chomp !== '+') aside();
    this.pos = eol + 1;
    const lines: string[] = [];
    let trailingEmpty = 0;
    while (this.pos < this.s.length) {
      const lineEnd = this.s.indexOf('\n', this.pos);
      const n = this.indentAt(this.pos);
      if (this.pos + n === lineEnd) {
        // An empty line; one of spaces only is read by rules this reader leaves to the full parser.
        if (n > 0 || lines.length === 0) aside();
        trailingEmpty++;
      } else {
        if (n < indent) break;
        if (lines.length === 0 && n > indent) aside();
        for (; trailingEmpty > 0; trailingEmpty--) lines.push('');
        lines.push(this.s.slice(this.pos + indent, lineEnd));
      }
      this.pos = lineEnd + 1;
    }
    if (lines.length === 0) aside();
    const body = lines.join('\n');
    if (chomp === '-') return body;
    return chomp === '+' ? `${body}\n${'\n'.repeat(trailingEmpty)}` : `${body}\n`;
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  __proto__: null,
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
} as unknown as Record<string, string>;

function isBlankOrBreak(c: number): boolean {
  return c === 32 || c === 10;
}

/**
 * One line of a plain scalar as libyaml writes it: no leading or trailing space, no indicator
 * first (nor `-`, `?` or `:`, which libyaml writes plain only before a non-space; a continuation
 * line is held to the same rule), no `: ` or ` #` inside, no colon last, no document marker.
 */
function checkPlainLine(line: string): void {
  const c = line[0];
  if (c === undefined || c === ' ' || line.endsWith(' ') || line.endsWith(':')) aside();
  if (INDICATORS.includes(c) || '-?:'.includes(c)) aside();
  if (line.includes(': ') || line.includes(' #') || line.startsWith('---') || line.startsWith('...')) aside();
}

/** The core schema's reading of a plain scalar: a string, or the few other values the emitter writes plain. */
function resolvePlain(text: string): unknown {
  if (!CORE_NON_STRING.test(text)) return text === '<<' ? aside() : text;
  if (text === 'null' || text === '~' || text === 'Null' || text === 'NULL') return null;
  if (text === 'true' || text === 'True' || text === 'TRUE') return true;
  if (text === 'false' || text === 'False' || text === 'FALSE') return false;
  if (PLAIN_INT.test(text)) return Number(text);
  return aside();
}
