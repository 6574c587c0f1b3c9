import { parseEnv } from 'node:util';

/** An environment as the tool is given it: process.env at the edge, a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The variables a `./.env` file may set: the ones the tool documents (docs/configuration.md).
 * A `.env` is often committed with the site, so it is the site's text, not the user's: any
 * other variable would reach the tool or the programs it starts (GIT_CONFIG_* makes git run a
 * command, NODE_TLS_REJECT_UNAUTHORIZED=0 turns off the checks of the feed's certificate,
 * NODE_OPTIONS, HOME, PATH, ...). Those belong in the real environment, which the user sets.
 */
export const DOTENV_VARIABLES: readonly string[] = [
  'DROPMARK_API_KEY',
  'DROPMARK_SYNC_CONFIG',
  'LOG_LEVEL',
  'NO_COLOR',
  'FORCE_COLOR',
];

/** What a `.env` file's text adds to `env`: its documented variables that `env` does not set already. */
export function dotEnvAdditions(text: string, env: Env): Record<string, string> {
  const parsed = parseEnv(text);
  const added: Record<string, string> = {};
  for (const name of DOTENV_VARIABLES) {
    const value = parsed[name];
    if (value !== undefined && env[name] === undefined) added[name] = value;
  }
  return added;
}

/**
 * What a child process gets of the environment: what finds and runs a program, the home
 * folder (the user's own git config), the locale and the temp folder. Nothing else: a
 * variable meant for the tool (the read key) is not the child's, and one such as GIT_DIR or
 * GIT_CONFIG_* would change what the program does.
 */
const CHILD_VARIABLES: readonly string[] = [
  'PATH',
  'HOME',
  'XDG_CONFIG_HOME',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TMPDIR',
  // Windows: what a program needs to start, find its home and a temp folder.
  'SystemRoot',
  'ComSpec',
  'PATHEXT',
  'USERPROFILE',
  'HOMEDRIVE',
  'HOMEPATH',
  'TEMP',
  'TMP',
];

/** The part of `env` a child process starts with (CHILD_VARIABLES that are set). */
export function childEnv(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of CHILD_VARIABLES) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
