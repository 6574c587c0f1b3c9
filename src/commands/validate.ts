import { validateSite } from '../validate.js';
import { loadConfigOrSay, say, type CommandIo } from './context.js';

export const VALIDATE_OPTIONS = {
  config: { type: 'string' },
  'site-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const VALIDATE_HELP = `Usage: dropmark-sync validate [options]

Checks every file this tool owns (files with dropmark.editURL) in each collection's content
folder: front matter parses, required keys and their types, slug matches the file name, no
signed (expiring) image URLs, no key or password in a URL, no item in two files. Prints each
problem with its file and key.

Options:
  --config FILE     config file (default: $DROPMARK_SYNC_CONFIG, else ./dropmark-sync.yaml, else ./config/dropmark-sync.yaml)
  --site-dir DIR    root of the static site (overrides siteDir)
  --json            the problems as one JSON object on stdout
  -h, --help        this help

A file formatted otherwise than the tool writes it (key order, quotes, folding) gets a note,
not a problem: a sync leaves it as it is when it means the same.

Exit status: 0 no problem (notes aside); 1 any problem, or a bad config or option.
`;

export interface ValidateFlags {
  config?: string | undefined;
  'site-dir'?: string | undefined;
  json?: boolean | undefined;
}

export async function runValidate(flags: ValidateFlags, io: CommandIo): Promise<number> {
  const loaded = await loadConfigOrSay(io, { configFile: flags.config, siteDir: flags['site-dir'] });
  if (!loaded) return 1;
  const { problems, notes, checked } = await validateSite(loaded.config);
  if (flags.json) io.stdout.write(`${JSON.stringify({ ok: problems.length === 0, checked, problems, notes })}\n`);
  for (const p of problems) say(io, `${p.file}${p.key ? `: ${p.key}` : ''}: ${p.message}\n`);
  for (const n of notes) say(io, `note: ${n.file}: ${n.message}\n`);
  say(io, `dropmark-sync validate: ${checked} file(s) checked, ${problems.length} problem(s)${notes.length ? `, ${notes.length} note(s)` : ''}\n`);
  return problems.length === 0 ? 0 : 1;
}
