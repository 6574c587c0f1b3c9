/**
 * A feed body read as its bytes come, so that a large feed (a 100k-item collection is ~230 MB of JSON) is never
 * held whole, neither as bytes nor as one string: each element of the root object's `items` list is handed over,
 * parsed, as soon as its last byte has come, and is garbage once the caller has taken what it needs. What is left of
 * the body (the root object, its `items` list written as `[]`) is parsed at the end.
 *
 * This scanner decides only where each element begins and ends: it matches brackets outside strings and finds each
 * string's end. Whether each piece is JSON, `JSON.parse` decides, and the separators between elements are checked
 * here, so a body is accepted exactly when `JSON.parse` accepts it whole (test/property/item-scanner.test.ts holds
 * the two to the same values on generated, cut and broken bodies). A body that is not JSON fails with the
 * `SyntaxError` either found. A streaming JSON library would tokenize every value in JavaScript; here all but a
 * few structural bytes are left to `JSON.parse` and `Buffer.indexOf`.
 */

/** The bytes that make JSON's structure (all ASCII: no byte of a multi-byte UTF-8 character is one of them). */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const [OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, COMMA, COLON] = [0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a];

const BOM = [0xef, 0xbb, 0xbf];
const LIST_LEVEL = 2;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

export interface ItemSink {
  /** An `items` list of the root object begins; a later one (a key given twice) replaces it, as in JSON.parse. */
  list(): void;
  /** One element of that list, parsed. */
  item(raw: unknown): void;
}

/** Where the bytes of the body go: the rest of the body, or the element being read. */
class Pieces {
  private parts: Buffer[] = [];
  add(chunk: Buffer, from: number, to: number): void {
    // A copy: a slice would hold the whole chunk for a few bytes of it.
    if (to > from) this.parts.push(Buffer.from(chunk.subarray(from, to)));
  }
  text(chunk?: Buffer, from = 0, to = 0): string {
    if (this.parts.length === 0) return chunk ? chunk.toString('utf8', from, to) : '';
    if (chunk && to > from) this.parts.push(chunk.subarray(from, to));
    const whole = Buffer.concat(this.parts);
    this.parts = [];
    return whole.toString('utf8');
  }
}

export class FeedItemScanner {
  /** The brackets open outside strings, innermost last. */
  private readonly open: number[] = [];
  private inString = false;
  private escaped = false;
  /** The root object's keys: one is being read (its bytes), or the last one read waits for its value. */
  private key: Pieces | undefined;
  private lastKey: string | undefined;
  private expectKey = false;
  private expectValue = false;
  /** Inside the root's `items` list, whose own level is LIST_LEVEL brackets deep (the root's `{`, its `[`). */
  private inList = false;
  private element: Pieces | undefined;
  /** Where the element being read began in the current chunk (0 when it began in an earlier one). */
  private elementStart = 0;
  private afterComma = false;
  private readonly rest = new Pieces();
  private restStart = 0;
  /** How many bytes of a byte order mark the body began with; BOM.length once it is past (there or not). */
  private bom = 0;
  private readonly slashes = new NextByte(BACKSLASH);
  private readonly quotes = new NextByte(QUOTE);

  constructor(private readonly sink: ItemSink) {}

  push(chunk: Buffer): void {
    let i = this.bom < BOM.length ? this.skipBom(chunk) : 0;
    this.restStart = this.inList ? -1 : i;
    if (this.element) this.elementStart = 0;
    this.slashes.reset(chunk);
    this.quotes.reset(chunk);
    while (i < chunk.length) {
      i = this.inString ? this.stringEnd(chunk, i) : this.structure(chunk, i);
    }
    this.keepUnfinished(chunk);
  }

  /** The root value without its items' elements (`items: []`); throws the SyntaxError of a body that is not JSON. */
  end(): unknown {
    if ((this.bom > 0 && this.bom < BOM.length) || this.inString || this.open.length > 0 || this.element)
      throw new SyntaxError('Unexpected end of JSON input');
    return JSON.parse(this.rest.text());
  }

  /** A UTF-8 byte order mark at the body's start is no part of it (as JSON.parse of the decoded text without it). */
  private skipBom(chunk: Buffer): number {
    let i = 0;
    while (i < chunk.length && this.bom < BOM.length) {
      if (chunk[i] !== BOM[this.bom]) {
        // Part of a mark, then something else: no JSON text begins so.
        if (this.bom > 0) throw new SyntaxError('Unexpected token in JSON at position 0');
        this.bom = BOM.length;
        return 0;
      }
      this.bom++;
      i++;
    }
    return i;
  }

  /**
   * Past the end of the string at `i` (or to the chunk's end): only `"` and `\` matter in a string. Each search runs
   * once per stretch and a key's bytes are kept once per chunk, so a string of many escapes costs linear time.
   */
  private stringEnd(chunk: Buffer, i: number): number {
    const from = i;
    if (this.escaped) {
      this.escaped = false;
      i++;
    }
    while (i < chunk.length) {
      const quote = this.quotes.from(i);
      const slash = this.slashes.from(i);
      if (slash !== -1 && (quote === -1 || slash < quote)) {
        // An escape: the byte after the backslash is taken with it (it may be in the next chunk).
        if (slash + 1 >= chunk.length) this.escaped = true;
        i = slash + 2;
        continue;
      }
      if (quote === -1) break;
      this.keyBytes(chunk, from, quote + 1);
      this.inString = false;
      if (this.key) this.keyEnded();
      return quote + 1;
    }
    this.keyBytes(chunk, from, chunk.length);
    return chunk.length;
  }

  private keyBytes(chunk: Buffer, from: number, to: number): void {
    this.key?.add(chunk, from, to);
  }

  private keyEnded(): void {
    const text = (this.key as Pieces).text();
    this.key = undefined;
    try {
      this.lastKey = JSON.parse(text) as string;
    } catch {
      // Not a JSON string: the rest's parse at the end fails on it.
      this.lastKey = undefined;
    }
  }

  /** One byte outside strings. */
  private structure(chunk: Buffer, i: number): number {
    const b = chunk[i] as number;
    if (isSpace(b)) return i + 1;
    const depth = this.open.length;
    if (this.inList && depth === LIST_LEVEL && this.listSeparator(chunk, i, b)) return i + 1;
    if (depth === 1 && this.open[0] === OPEN_BRACE && !this.inList) this.rootByte(chunk, i, b);
    switch (b) {
      case QUOTE:
        this.inString = true;
        break;
      case OPEN_BRACE:
      case OPEN_BRACKET:
        this.open.push(b);
        if (depth === 0) this.expectKey = b === OPEN_BRACE;
        break;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        if (this.open.pop() !== (b === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET)) throw unexpected(b);
        break;
    }
    return i + 1;
  }

  /** A byte of the root object's own level: its keys, and whether a value is the `items` list. */
  private rootByte(chunk: Buffer, i: number, b: number): void {
    if (b === QUOTE && this.expectKey) {
      this.key = new Pieces();
      this.key.add(chunk, i, i + 1);
      this.expectKey = false;
      return;
    }
    if (b === COLON) {
      this.expectValue = true;
      return;
    }
    if (b === COMMA) {
      this.expectKey = true;
      return;
    }
    if (this.expectValue) {
      this.expectValue = false;
      if (b === OPEN_BRACKET && this.lastKey === 'items') this.listBegins(chunk, i);
    }
  }

  private listBegins(chunk: Buffer, i: number): void {
    this.inList = true;
    this.afterComma = false;
    // The rest keeps the list's `[`; its elements go to the sink, its `]` to the rest again.
    this.rest.add(chunk, this.restStart, i + 1);
    this.restStart = -1;
    this.sink.list();
  }

  /**
   * A byte at the items list's own level: a separator, the list's end, or the first byte of an element. True when
   * the byte is taken here (a separator or the end), false when the element goes on with it.
   */
  private listSeparator(chunk: Buffer, i: number, b: number): boolean {
    if (b === COMMA || b === CLOSE_BRACKET) {
      if (this.element) this.elementEnds(chunk, i);
      // `[,`, `,,` and `,]` are no JSON; `[]` is.
      else if (b === COMMA || this.afterComma) throw unexpected(b);
      this.afterComma = b === COMMA;
      if (b === CLOSE_BRACKET) {
        this.open.pop();
        this.inList = false;
        // The rest goes on from the list's `]`.
        this.restStart = i;
      }
      return true;
    }
    if (!this.element) {
      this.element = new Pieces();
      this.elementStart = i;
      this.afterComma = false;
    }
    return false;
  }

  private elementEnds(chunk: Buffer, i: number): void {
    const text = (this.element as Pieces).text(chunk, this.elementStart, i);
    this.element = undefined;
    this.sink.item(JSON.parse(text));
  }

  /** At a chunk's end: what belongs to the rest or to an unfinished element is kept. */
  private keepUnfinished(chunk: Buffer): void {
    if (this.element) this.element.add(chunk, this.elementStart, chunk.length);
    if (this.restStart >= 0) this.rest.add(chunk, this.restStart, chunk.length);
  }
}

/** The next place of one byte at or after a position of a chunk, looked for again only once that place is passed. */
class NextByte {
  private chunk: Buffer = Buffer.alloc(0);
  /** -1: none left in the chunk; -2: not looked for yet. */
  private at = -2;
  constructor(private readonly byte: number) {}
  reset(chunk: Buffer): void {
    this.chunk = chunk;
    this.at = -2;
  }
  from(i: number): number {
    if (this.at === -2 || (this.at !== -1 && this.at < i)) this.at = this.chunk.indexOf(this.byte, i);
    return this.at;
  }
}

function unexpected(b: number): SyntaxError {
  return new SyntaxError(`Unexpected token '${String.fromCharCode(b)}' in JSON`);
}
