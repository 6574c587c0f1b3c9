/**
 * Every command, declared once: its options (from which parsing, the flags' types and the
 * help text are made) and the module that runs it, loaded only when that command runs, so
 * `--version` and `status` do not pay for the HTTP, YAML-emitter and logging stacks.
 */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The value's placeholder in the help, for a string option. */
  value?: string;
  /** The help text; further lines are indented under the first. */
  help: string;
  /** Only these values are accepted (a string option). */
  choices?: readonly string[];
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parsed flags of a command: a string option gives a string, a boolean one a boolean. */
export type FlagsOf<O extends OptionSpecs> = {
  -readonly [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean;
};

export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  /** One line, for the top-level help. */
  summary: string;
  /** What the command does, for its own help. */
  description: string;
  options: O;
  /** Environment, signals and exit statuses: what follows the options in the help. */
  footer: string;
}

const CONFIG_FILE = {
  type: 'string',
  value: 'FILE',
  help: 'config file (default: $DROPMARK_SYNC_CONFIG, else ./dropmark-sync.yaml, else\n./config/dropmark-sync.yaml)',
} as const satisfies OptionSpec;
const SITE_DIR = {
  type: 'string',
  value: 'DIR',
  help: 'root of the static site (overrides siteDir)',
} as const satisfies OptionSpec;

/** How a worker's stderr looks: one format per stream, chosen here or from whether it is a terminal. */
const OUTPUT = {
  'log-format': {
    type: 'string',
    value: 'FORMAT',
    choices: ['json', 'pretty'],
    help:
      'json: JSON lines only, the summary as the last record (default when stderr is\n' +
      'not a terminal); pretty: readable lines and the summary (default on a terminal)',
  },
  quiet: { type: 'boolean', short: 'q', help: 'print only warnings and errors (a clean run prints nothing)' },
  'no-color': { type: 'boolean', help: 'no colours (also NO_COLOR=1; FORCE_COLOR=1 forces them)' },
} as const satisfies OptionSpecs;

const HELP = { help: { type: 'boolean', short: 'h', help: 'this help' } } as const satisfies OptionSpecs;

const LOG_ENV = `Environment:
  DROPMARK_API_KEY       read key of a private collection (sent as ?key=, never logged)
  DROPMARK_SYNC_CONFIG   config file, when --config is not given
  LOG_LEVEL              trace, debug, info (default), warn, error, fatal or silent; anything else
                         is an error
  NO_COLOR, FORCE_COLOR  no colours / colours even when stderr is not a terminal
A ./.env file may set these (the environment wins); any other variable in it is ignored.`;

export const SYNC = {
  summary: 'one pass over every configured collection, then exit',
  description: `One pass over every configured collection: fetch the feed, write the Markdown files that
changed, delete the files of items gone from the feed, then exit.`,
  options: {
    config: CONFIG_FILE,
    endpoint: {
      type: 'string',
      value: 'URL',
      help: "sync this one feed instead of the configured collections\n(with the first collection's other settings)",
    },
    'site-dir': SITE_DIR,
    json: { type: 'boolean', help: 'print the final summary as one JSON object on stdout' },
    'allow-mass-delete': {
      type: 'boolean',
      help: 'allow deleting more than half of the files this tool owns,\nor every file when the feed is empty',
    },
    'allow-partial-feed': {
      type: 'boolean',
      help:
        'take the feed as the whole collection even when it lists fewer items\nthan its items_total_count says: ' +
        'posts of unlisted items are deleted',
    },
    full: { type: 'boolean', help: 'ignore the cache of the last run (ETag, feed hash) and do a full pass' },
    'retry-images': {
      type: 'boolean',
      help:
        'try every missing image and uploaded file now, even one still waiting out\n' +
        'its backoff (a failed download is tried again after 1 h, then 2 h, ... up to 7 days)',
    },
    'dry-run': {
      type: 'boolean',
      help:
        'change nothing on disk and request no image (no lock, no cache); print\n' +
        'what would change as a unified diff on stdout (images: one line each,\n' +
        '"would download" with the image\'s URL path)',
    },
    check: {
      type: 'boolean',
      help: 'like --dry-run, but print only the summary; exit 2 when anything\nwould change, 0 when nothing would',
    },
    report: { type: 'string', value: 'FILE', help: 'write a Markdown report of the changes (for a pull request body)' },
    ...OUTPUT,
    ...HELP,
  },
  footer: `${LOG_ENV}

SIGINT, SIGTERM and SIGHUP (a closed terminal) stop cleanly after the file in progress; a
second one aborts at once.

Exit status: 0 done (changes written, nothing to do, stopped cleanly, or degraded: every post
written but some images missing, unless images.onError is "fail"); 1 the sync failed or some
items or files failed (the summary names them), another sync holds the site's lock, or a bad
config or option; 2 only with --check: changes are pending.`,
} as const satisfies CommandSpec;

export const SCHEDULE = {
  summary: "stay running and sync on the config's cron schedule",
  description: `Stays running and syncs on the config's cron "schedule" (in "timezone", if set). A tick that
comes while a sync is still running is skipped, never queued; a tick that finds another
process (a cron job) holding the site's lock is skipped too.`,
  options: {
    config: CONFIG_FILE,
    'site-dir': SITE_DIR,
    'run-now': { type: 'boolean', help: 'also sync once at start' },
    ...OUTPUT,
    ...HELP,
  },
  footer: `${LOG_ENV}

SIGINT, SIGTERM or SIGHUP (a closed terminal): no new ticks; a sync in progress stops after
the file being written and releases the lock; then exit 0, or 1 if that sync failed. A second
signal aborts at once.`,
} as const satisfies CommandSpec;

export const STATUS = {
  summary: 'say how the worker is doing (ok, degraded, failing, stale); exit 1 when it needs you',
  description: `Says how the worker is doing, from the last run's heartbeat (<cacheDir>/last-run.json). The
first line is one of:
  ok: last success 5 min ago
  degraded (2 images missing); ...     every post written, some images could not be had
  stopped: the last run was stopped before the end; ...
  failing since 2026-11-27T08:00:00Z (5 runs); last success 3 h ago
  stale: last success 7 h ago (allowed 6 h: two runs of the schedule "17 */3 * * *" plus
    deadlineMs); is the scheduler running?
Stale counts from the last success: without --max-age, once the config's schedule (in its
timezone) has come round twice since and deadlineMs has passed. For a cron monitor or a
Kubernetes probe.`,
  options: {
    config: CONFIG_FILE,
    'max-age': {
      type: 'string',
      value: 'AGE',
      help: 'stale (exit 1) when the last success is older than AGE (90s, 30m, 2h, 1d), instead of the schedule',
    },
    liveness: {
      type: 'boolean',
      help:
        'for a liveness probe: exit 1 only when the worker stopped running its schedule\n(its last run, whatever ' +
        'its result, too old) or the clock is wrong; 0 before the first run ends',
    },
    json: { type: 'boolean', help: 'print the state and the heartbeat as one JSON object on stdout' },
    ...HELP,
  },
  footer: `Exit status: 0 ok, degraded or stopped; 1 failing, stale, a heartbeat from the future or a
corrupt one, no heartbeat yet, or a bad config or option.`,
} as const satisfies CommandSpec;

export const VALIDATE = {
  summary: 'check the files already in the site against the schema; exit 1 on any problem',
  description: `Checks every file this tool owns (files with dropmark.editURL) in each collection's content
folder: front matter parses, required keys and their types, slug matches the file name, no
signed (expiring) image URLs, no key or password in a URL, no item in two files. Prints each
problem with its file and key.`,
  options: {
    config: CONFIG_FILE,
    'site-dir': SITE_DIR,
    json: { type: 'boolean', help: 'the problems as one JSON object on stdout' },
    ...HELP,
  },
  footer: `A file formatted otherwise than the tool writes it (key order, quotes, folding) gets a note,
not a problem: a sync leaves it as it is when it means the same.

Exit status: 0 no problem (notes aside); 1 any problem, or a bad config or option.`,
} as const satisfies CommandSpec;

export const INIT = {
  summary: "at a site's root: write dropmark-sync.yaml (and with --github a workflow)",
  description: `Run at the root of your site. Detects the generator (Hugo: hugo.toml|yaml|json or
config.toml|yaml, its content and static folders; Jekyll: _config.yml; Eleventy:
eleventy.config.*|.eleventy.js or @11ty/eleventy in package.json; Astro: astro.config.* or
astro in package.json, and how its content config reads heroImage), writes
dropmark-sync.yaml (commented, with the JSON Schema for editors), adds the cache folder and
the lock file to .gitignore, and prints what to do next. Where the site has none, it writes
a minimal post layout (title, date, link, image, tags), Eleventy's image passthrough and
Astro's content config, and adds the tool's files to Jekyll's exclude; it names each file.
Never overwrites a file (dropmark-sync.yaml and the workflow with --force only).
With --mode loader (an Astro 5 or Eleventy 3 site) it writes the loader's files instead: see --mode.`,
  options: {
    endpoint: {
      type: 'string',
      value: 'URL',
      help: "the collection's feed, https://USER.dropmark.com/ID.json (asked when missing)",
    },
    yes: { type: 'boolean', short: 'y', help: 'ask nothing: every other answer is the detected default' },
    mode: {
      type: 'string',
      value: 'MODE',
      choices: ['files', 'loader'],
      help:
        'files (the default): write dropmark-sync.yaml, for sync to commit the posts;\n' +
        'loader (an Astro 5 or Eleventy 3 site, which reads the feed when it builds):\n' +
        "write the loader's content config or Eleventy config where none is (else\n" +
        'print the lines to add), a page per item where none is, the .gitignore\n' +
        'lines; no dropmark-sync.yaml and no workflow (--github, --action and\n' +
        '--force are refused); see docs/loaders.md',
    },
    github: {
      type: 'boolean',
      help:
        'also write .github/workflows/dropmark-sync.yml: a scheduled sync that\n' +
        'opens, updates or closes one pull request with the report; it needs\n' +
        'nothing installed',
    },
    action: {
      type: 'string',
      value: 'REF',
      help:
        'the action the workflow uses, OWNER/REPO@REF or ./PATH (default\n' +
        "this version's release, OWNER/dropmark-sync@vVERSION, run from its\n" +
        'repository as it is)',
    },
    force: { type: 'boolean', help: 'overwrite dropmark-sync.yaml and the workflow if they exist' },
    ...HELP,
  },
  footer: `Exit status: 0 written; 1 a file exists (without --force), a bad endpoint, or no endpoint
with --yes or without a terminal; 1 also for --mode loader on another site, or with --github,
--action or --force.`,
} as const satisfies CommandSpec;

export type SyncFlags = FlagsOf<typeof SYNC.options>;
export type ScheduleFlags = FlagsOf<typeof SCHEDULE.options>;
export type StatusFlags = FlagsOf<typeof STATUS.options>;
export type ValidateFlags = FlagsOf<typeof VALIDATE.options>;
export type InitFlags = FlagsOf<typeof INIT.options>;

/** A command's help, made from its declaration. */
export function helpText(name: string, spec: CommandSpec): string {
  const left = (key: string, o: OptionSpec) =>
    `${o.short ? `-${o.short}, ` : ''}--${key}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
  const entries = Object.entries(spec.options);
  const width = Math.max(...entries.map(([k, o]) => left(k, o).length)) + 4;
  const lines = entries.flatMap(([key, o]) => {
    const [first = '', ...rest] = o.help.split('\n');
    const head = `  ${left(key, o)}`.padEnd(width + 2) + first;
    return [head, ...rest.map((line) => `${' '.repeat(width + 2)}${line}`)];
  });
  return (
    `Usage: dropmark-sync ${name} [options]\n\n${spec.description}\n\n` +
    `Options:\n${lines.join('\n')}\n\n${spec.footer}\n`
  );
}
