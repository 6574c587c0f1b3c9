import { loadConfig, type ConfigOverrides, type LoadedConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { say, type CommandIo } from './io.js';

/**
 * Loads the config; on a config error prints it and returns undefined (exit 1). `missingHint`
 * says how this command takes a config when none is found, naming only its own options.
 */
export async function loadConfigOrSay(
  io: CommandIo,
  overrides: ConfigOverrides,
  missingHint = 'pass --config FILE',
): Promise<LoadedConfig | undefined> {
  try {
    return await loadConfig({ cwd: io.cwd, env: io.env, overrides, missingHint });
  } catch (error) {
    if (error instanceof ConfigError) {
      say(io, `dropmark-sync: ${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}
