import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import type { Change } from '../../../src/plan/post-plan.js';
import { renderDiff } from '../../../src/report/diff.js';
import { formatSummary } from '../../../src/report/summary-text.js';
import { postTextChanges } from '../../../src/sync/change-records.js';
import { visibleControls } from '../../../src/text/terminal.js';
import { emptyCollectionSummary, totals, type Summary } from '../../../src/summary.js';

/** Every code point a terminal acts on or reorders by: C0 but tab and newline, DEL, C1, bidi overrides and isolates. */
function rawControls(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const hidden =
      (c <= 0x1f && c !== 0x09 && c !== 0x0a) ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069);
    if (hidden) found.push(`U+${c.toString(16).padStart(4, '0')} at ${i}`);
  }
  return found;
}

const HOSTILE =
  'a\x1b[1A\x1b[2Kb \x1b]0;pwned\x07 \x1b]52;c;ZXZpbA==\x07 \x9b2J c\rd\0e\x7ff\u202eg\u2066h\u2069 \u0085';

describe('visibleControls', () => {
  it.each([
    ['cursor up', 'x\x1b[1Ay', 'x\\x1b[1Ay'],
    ['erase line', '\x1b[2Kfake', '\\x1b[2Kfake'],
    ['OSC 0 (window title)', '\x1b]0;pwned\x07', '\\x1b]0;pwned\\x07'],
    ['OSC 52 (clipboard)', '\x1b]52;c;ZXZpbA==\x07', '\\x1b]52;c;ZXZpbA==\\x07'],
    ['CSI as C1', '\x9b2J', '\\x9b2J'],
    ['OSC as C1, ended by ST', '\x9d0;t\x9c', '\\x9d0;t\\x9c'],
    ['carriage return', 'ok\rBAD', 'ok\\x0dBAD'],
    ['NUL', 'a\0b', 'a\\x00b'],
    ['DEL', 'a\x7fb', 'a\\x7fb'],
    ['right-to-left override', 'a\u202eb', 'a\\u202eb'],
    [
      'bidi embeddings and isolates',
      '\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069',
      '\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069',
    ],
    ['next line (C1)', 'a\u0085b', 'a\\x85b'],
    ['unit separator, the last C0', '\x1f', '\\x1f'],
    ['tab and newline kept', 'a\tb\nc', 'a\tb\nc'],
    ['a backslash is left as it is', 'C:\\x1b', 'C:\\x1b'],
    ['printable text untouched', 'Café — 日本語 😀 ~', 'Café — 日本語 😀 ~'],
    ['neighbours of the ranges untouched', '\x20\xa0\u2029\u202f\u2065\u206a', '\x20\xa0\u2029\u202f\u2065\u206a'],
  ])('%s', (_name, input, output) => expect(visibleControls(input)).toBe(output));
});

function change(text: string, before: string): Change {
  return {
    kind: 'update',
    relPath: 'content/post/a\x1b[2K.md',
    id: '1',
    title: 't',
    link: '',
    editUrl: '',
    text,
    before,
  } as Change;
}

describe('renderDiff', () => {
  it('prints no raw control or bidi character, in lines added, removed or in file names', () => {
    const diff = renderDiff(postTextChanges([change(`title: ${HOSTILE}\n`, `title: old ${HOSTILE}\n`)]), [
      { kind: 'create', relPath: 'static/img/\u202egpj.exe', size: 3 },
    ]);
    expect(rawControls(diff)).toEqual([]);
    expect(diff).toContain('+title: a\\x1b[1A\\x1b[2Kb');
    expect(diff).toContain('-title: old a\\x1b[1A');
    // jsdiff already quotes such a file name as git does, with octal escapes.
    expect(diff).toContain('+++ "b/content/post/a\\033[2K.md"');
    expect(diff).toContain('+ static/img/\\u202egpj.exe (new image, 3 B)');
  });
});

function summaryWith(reason: string, error: string): Summary {
  const collection = {
    ...emptyCollectionSummary('https://x.dropmark.com/1.json'),
    result: 'failed' as const,
    failed: 1,
    error,
    failures: [{ itemId: '7', reason }],
    changes: [
      { kind: 'skip' as const, relPath: 'content/post/\u202egnp.md', itemId: '8', title: '', link: '', editUrl: '' },
    ],
  };
  return {
    ...totals([collection]),
    ok: false,
    result: 'failed',
    stopped: false,
    dryRun: true,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1000,
    collections: [collection],
  };
}

describe('formatSummary', () => {
  it('prints no raw control character from a failure reason or error', () => {
    const text = formatSummary(summaryWith(`bad date "\x1b[1A\x1b[2Kall good"`, 'refused \x1b]0;pwned\x07'));
    expect(rawControls(text)).toEqual([]);
    expect(text).toContain('  failed: item 7: bad date "\\x1b[1A\\x1b[2Kall good"\n');
    expect(text).toContain('  error: refused \\x1b]0;pwned\\x07\n');
    expect(text).toContain('  skipped: content/post/\\u202egnp.md is locked');
  });
});

async function capture(
  pretty: boolean,
): Promise<{ logger: Awaited<ReturnType<typeof createLogger>>; output: () => string }> {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return {
    logger: await createLogger({ pretty, color: true, secrets: [], destination, level: 'info' }),
    output: () => chunks.join(''),
  };
}

describe('the logger', () => {
  const log = async (pretty: boolean) => {
    const { logger, output } = await capture(pretty);
    logger.info(
      { title: 'x\x9b2Jy\u202ez', nested: { list: ['\x9b'] }, error: new Error('e\u202e') },
      'msg \x9b1A \u202eevil',
    );
    return output();
  };

  it('writes JSON lines with C1 and bidi characters escaped', async () => {
    const line = await log(false);
    expect(rawControls(line)).toEqual([]);
    // JSON.stringify doubles the backslash of the visible escape.
    expect(line).toContain('"msg":"msg \\\\x9b1A \\\\u202eevil"');
    expect(line).toContain('"title":"x\\\\x9b2Jy\\\\u202ez"');
    expect(line).toContain('"list":["\\\\x9b"]');
    expect(line).toContain('"message":"e\\\\u202e"');
  });

  it('prints pretty lines with C1 and bidi characters escaped (pino-pretty colours aside)', async () => {
    const text = await log(true);
    expect(rawControls(text.replace(/\x1b\[[0-9;]*m/g, ''))).toEqual([]);
    expect(text).toContain('msg \\x9b1A \\u202eevil');
    expect(text).toContain('x\\x9b2Jy\\u202ez');
  });
});
