import { describe, expect, it } from 'vitest';
import { visibleControls } from '../../../src/text/terminal.js';

describe('visibleControls at the edges of its ranges', () => {
  it.each([
    ['U+009F, the last C1 control', 'a\x9fb', 'a\\x9fb'],
    ['U+007F and U+0080', '\x7f\x80', '\\x7f\\x80'],
    ['U+FFFF is one code unit: the control after it is still seen', '\uffff\x1b', '\uffff\\x1b'],
    [
      'an astral character is two code units: the control after it is still seen',
      '\u{1F600}\x1b[2J',
      '\u{1F600}\\x1b[2J',
    ],
    ['U+2069, the last isolate', '\u2069', '\\u2069'],
    ['U+202A, the first embedding', '\u202a', '\\u202a'],
    ['U+2066, the first isolate', '\u2066', '\\u2066'],
    ['text after the last control is kept', '\x1bok', '\\x1bok'],
    ['empty text', '', ''],
  ])('%s', (_what, input, output) => expect(visibleControls(input)).toBe(output));
});
