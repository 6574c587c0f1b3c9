import { describe, expect, it } from 'vitest';
import { childEnv, dotEnvAdditions } from '../../src/env.js';

describe('dotEnvAdditions: what a .env may set', () => {
  const dotEnv = [
    '# a committed .env',
    'DROPMARK_API_KEY=key-from-file',
    'DROPMARK_SYNC_CONFIG="config/other.yaml"',
    'LOG_LEVEL=debug',
    'NO_COLOR=1',
    'FORCE_COLOR=0',
    'export GIT_CONFIG_COUNT=1',
    'GIT_CONFIG_KEY_0=core.fsmonitor',
    'GIT_CONFIG_VALUE_0=\'sh -c "touch /tmp/owned"\'',
    'GIT_DIR=/elsewhere/.git',
    'NODE_OPTIONS=--require=/tmp/evil.js',
    'NODE_TLS_REJECT_UNAUTHORIZED=0',
    'PATH=.',
    'HOME=/tmp',
    'dropmark_api_key=lower-case-is-another-name',
    '',
  ].join('\n');

  it("the tool's documented variables, and nothing else", () => {
    expect(dotEnvAdditions(dotEnv, {})).toEqual({
      DROPMARK_API_KEY: 'key-from-file',
      DROPMARK_SYNC_CONFIG: 'config/other.yaml',
      LOG_LEVEL: 'debug',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    });
  });

  it('a variable already set in the environment wins, even set to the empty text', () => {
    expect(dotEnvAdditions(dotEnv, { DROPMARK_API_KEY: 'real-key', LOG_LEVEL: '', NO_COLOR: '' })).toEqual({
      DROPMARK_SYNC_CONFIG: 'config/other.yaml',
      FORCE_COLOR: '0',
    });
  });

  it('an empty file, or one of comments and other lines, adds nothing', () => {
    expect(dotEnvAdditions('', {})).toEqual({});
    expect(dotEnvAdditions('# nothing\nNOT A LINE\nOTHER=1\n', {})).toEqual({});
  });
});

describe('childEnv: what a child process starts with', () => {
  it('what finds and runs a program, the home folder, the locale and the temp folder; nothing else', () => {
    expect(
      childEnv({
        PATH: '/usr/bin:/bin',
        HOME: '/home/me',
        XDG_CONFIG_HOME: '/home/me/.config',
        LANG: 'C.UTF-8',
        LC_ALL: 'C.UTF-8',
        LC_CTYPE: 'C.UTF-8',
        TMPDIR: '/tmp',
        DROPMARK_API_KEY: 'secret',
        GIT_DIR: '/elsewhere/.git',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'core.fsmonitor',
        GIT_CONFIG_VALUE_0: 'touch /tmp/owned',
        GIT_CONFIG_GLOBAL: '/tmp/evil.config',
        GIT_EXEC_PATH: '/tmp/evil',
        NODE_OPTIONS: '--require=/tmp/evil.js',
        LD_PRELOAD: '/tmp/evil.so',
        UNSET: undefined,
      }),
    ).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/me',
      XDG_CONFIG_HOME: '/home/me/.config',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      LC_CTYPE: 'C.UTF-8',
      TMPDIR: '/tmp',
    });
  });

  it("Windows' own variables, when they are set", () => {
    const windows = {
      SystemRoot: 'C:\\Windows',
      ComSpec: 'C:\\Windows\\system32\\cmd.exe',
      PATHEXT: '.COM;.EXE',
      USERPROFILE: 'C:\\Users\\me',
      HOMEDRIVE: 'C:',
      HOMEPATH: '\\Users\\me',
      TEMP: 'C:\\Temp',
      TMP: 'C:\\Temp',
    };
    expect(childEnv({ ...windows, GIT_DIR: 'C:\\elsewhere' })).toEqual(windows);
  });

  it('nothing from nothing', () => {
    expect(childEnv({})).toEqual({});
  });
});
