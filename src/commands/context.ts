import { Agent } from 'undici';
import { loadConfig, type ConfigOverrides, type LoadedConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { createLogger } from '../log.js';
import { redactText } from '../redact.js';
import { visibleControls } from '../report/terminal.js';

export interface CommandIo {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export function secretsOf(env: CommandIo['env']): string[] {
  const key = env['DROPMARK_API_KEY'];
  return key ? [key] : [];
}

/** A line for a person on stderr: no secret, and no control character from feed text reaches the terminal. */
export function say(io: CommandIo, text: string): void {
  io.stderr.write(visibleControls(redactText(text, secretsOf(io.env))));
}

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

export function createRuntime(io: CommandIo, timeoutMs: number) {
  const logger = createLogger({ level: io.env['LOG_LEVEL'], pretty: io.stderr.isTTY === true, secrets: secretsOf(io.env) });
  const dispatcher = new Agent({ connect: { timeout: timeoutMs } });
  const delay = Number(io.env['DROPMARK_SYNC_TEST_WRITE_DELAY_MS'] ?? 0);
  // A test hook only: holds each step (a written temp file before its rename, a removal), so the crash and signal tests land mid-write.
  const beforeCommit = delay > 0 ? () => new Promise<void>((r) => setTimeout(r, delay)) : undefined;
  // A counter on a terminal only; nothing of it reaches a log file or a CI log.
  const onImageProgress = io.stderr.isTTY
    ? (done: number, total: number) => io.stderr.write(`\r  images ${done}/${total}${done === total ? '\n' : ''}`)
    : undefined;
  return { logger, dispatcher, beforeCommit, onImageProgress };
}

/**
 * SIGINT/SIGTERM: the first asks for a clean stop (the file being written completes, the
 * lock is released, then the process exits); the second exits at once. Writes are atomic
 * renames, so even then no half-written file is left, and the lock goes with the exit hook.
 */
export function onStopSignals(io: CommandIo, onFirst: () => void): { stop: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      say(io, `dropmark-sync: ${signal} received; stopping after the file in progress (send it again to abort at once)\n`);
      controller.abort(new Error(`stopped by ${signal}`));
      onFirst();
      return;
    }
    say(io, `dropmark-sync: ${signal} received again; aborting now\n`);
    process.exit(1);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    stop: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
