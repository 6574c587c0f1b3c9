import { validateSite } from '../site/file-checks.js';
import type { ValidateFlags } from './catalog.js';
import { loadConfigOrSay } from './context.js';
import { say, type CommandIo } from './io.js';

export async function runValidate(flags: ValidateFlags, io: CommandIo): Promise<number> {
  const loaded = await loadConfigOrSay(io, { configFile: flags.config, siteDir: flags['site-dir'] });
  if (!loaded) return 1;
  const { problems, notes, checked } = await validateSite(loaded.config);
  if (flags.json) io.stdout.write(`${JSON.stringify({ ok: problems.length === 0, checked, problems, notes })}\n`);
  for (const p of problems) say(io, `${p.file}${p.key ? `: ${p.key}` : ''}: ${p.message}\n`);
  for (const n of notes) say(io, `note: ${n.file}: ${n.message}\n`);
  say(
    io,
    `dropmark-sync validate: ${checked} file(s) checked, ${problems.length} problem(s)` +
      `${notes.length ? `, ${notes.length} note(s)` : ''}\n`,
  );
  return problems.length === 0 ? 0 : 1;
}
