import { describe, expect, it } from 'vitest';
import { chooseOutput } from '../../../src/commands/io.js';

describe('chooseOutput: one format per stream, the level, the colours', () => {
  it.each([
    [{}, {}, true, { format: 'pretty', level: 'info', color: true }],
    [{}, {}, false, { format: 'json', level: 'info', color: false }],
    [{ 'log-format': 'json' }, {}, true, { format: 'json', level: 'info', color: true }],
    [{ 'log-format': 'pretty' }, {}, false, { format: 'pretty', level: 'info', color: false }],
    [{ 'log-format': 'pretty' }, { FORCE_COLOR: '1' }, false, { format: 'pretty', level: 'info', color: true }],
    [{}, { NO_COLOR: '1' }, true, { format: 'pretty', level: 'info', color: false }],
    [{}, { NO_COLOR: '' }, true, { format: 'pretty', level: 'info', color: true }],
    [{}, { FORCE_COLOR: '0' }, true, { format: 'pretty', level: 'info', color: false }],
    [{ 'no-color': true }, { FORCE_COLOR: '1' }, true, { format: 'pretty', level: 'info', color: false }],
    [{ quiet: true }, {}, false, { format: 'json', level: 'warn', color: false }],
    [{ quiet: true }, { LOG_LEVEL: 'debug' }, false, { format: 'json', level: 'warn', color: false }],
    [{ quiet: true }, { LOG_LEVEL: 'error' }, false, { format: 'json', level: 'error', color: false }],
    [{}, { LOG_LEVEL: 'silent' }, false, { format: 'json', level: 'silent', color: false }],
    [{}, { LOG_LEVEL: '' }, false, { format: 'json', level: 'info', color: false }],
  ])('flags %j env %j tty %s', (flags, env, tty, expected) => {
    expect(chooseOutput(flags, env, tty)).toEqual(expected);
  });

  it.each(['bogus', 'INFO', 'warning', '30'])('LOG_LEVEL=%s is an error that names it', (level) => {
    expect(() => chooseOutput({}, { LOG_LEVEL: level }, false)).toThrow(`LOG_LEVEL "${level}" is not a level`);
  });
});
