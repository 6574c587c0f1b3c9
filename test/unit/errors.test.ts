import { describe, expect, it } from 'vitest';
import { ConfigError, describeError, FeedError, StateFileError } from '../../src/errors.js';

const systemError = (code: string, path?: string) => Object.assign(new Error(`${code}: raw text`), { code, path });

describe("describeError: an error's message for a person", () => {
  it('an operating-system error: what it means and what to do, at its path', () => {
    expect(describeError(systemError('ENOSPC', '/site/a.md'))).toBe(
      '/site/a.md: the disk is full; free some space and run again (ENOSPC)',
    );
  });

  it('withPath: false leaves the path out, for a caller that names the file itself', () => {
    expect(describeError(systemError('EACCES', '/site/a.md'), { withPath: false })).toBe(
      'permission denied; check the owner and permissions of the file and its folder (EACCES)',
    );
  });

  it('any other error: its own message (a system error of a code not known, too)', () => {
    expect(describeError(new FeedError('GET https://x.example/1.json: HTTP 404', { url: 'x' }))).toBe(
      'GET https://x.example/1.json: HTTP 404',
    );
    expect(describeError(systemError('ECONNRESET', '/x'))).toBe('ECONNRESET: raw text');
  });

  it('something thrown that is no error: its text, never "undefined"', () => {
    expect(describeError('plain text')).toBe('plain text');
    expect(describeError(undefined)).toBe('undefined');
  });
});

describe('the error classes take an options object', () => {
  it('a cause is kept only when given', () => {
    const inner = new Error('inner');
    expect(new StateFileError('x', { file: 'f', cause: inner }).cause).toBe(inner);
    expect('cause' in new StateFileError('x', { file: 'f' })).toBe(false);
  });

  it('ConfigError: the key path and the file, each optional', () => {
    expect(new ConfigError('x', { keyPath: 'http.timeoutMs', file: 'c.yaml' })).toMatchObject({
      name: 'ConfigError',
      keyPath: 'http.timeoutMs',
      file: 'c.yaml',
    });
    expect(new ConfigError('x')).toMatchObject({ keyPath: undefined, file: undefined });
  });
});
