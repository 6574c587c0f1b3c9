import * as z from 'zod/mini';
import '../text/zod-english.js';
import { fileNameProblem } from '../frontmatter/file-names.js';
import {
  DEFAULT_PROFILE,
  FORMATS,
  mappingProblems,
  PROFILE_NAMES,
  profileFormats,
  SLUG_RULES,
} from '../frontmatter/profiles.js';

/**
 * The config file's schema: types, defaults, and a message per key that says what is
 * allowed. Unknown keys are refused (a typo must not silently fall back to a default).
 */

const relativeDir = (what: string) =>
  z.string({ error: `must be a folder path (string) ${what}` }).check(
    z.minLength(1, { error: `must not be empty` }),
    z.refine((p) => !p.startsWith('/') && !/^[a-zA-Z]:[\\/]/.test(p), {
      error: `must be relative ${what}, not absolute`,
    }),
    z.refine((p) => !p.split(/[\\/]/).includes('..'), {
      error: `must stay ${what}: ".." is not allowed`,
    }),
  );

const httpUrl = (what: string) =>
  z.string({ error: `must be ${what}` }).check(
    z.refine(
      (s) => {
        try {
          const u = new URL(s);
          return u.protocol === 'https:' || u.protocol === 'http:';
        } catch {
          return false;
        }
      },
      { error: `must be ${what}` },
    ),
  );

const positiveInt = (what: string, max = Number.MAX_SAFE_INTEGER) =>
  z
    .int({ error: `must be a whole number (${what})` })
    .check(
      z.minimum(1, { error: `must be at least 1 (${what})` }),
      z.maximum(max, { error: `must be at most ${max} (${what})` }),
    );

/** The largest value of each cron field: seconds (optional), minutes, hours, day of month, month, day of week. */
const CRON_MAX = [59, 59, 23, 31, 12, 7];

/**
 * node-cron accepts a step beyond its field (`*\/61 * * * *` runs once an hour, not every 61
 * minutes): such a step is refused, as docs/configuration.md promises for a bad cron.
 */
function cronStepsInRange(expression: string): boolean {
  const fields = expression.trim().split(/\s+/);
  const maxima = CRON_MAX.slice(fields.length === 6 ? 0 : 1);
  return fields.every((field, i) =>
    field.split(',').every((part) => {
      const step = part.split('/')[1];
      return step === undefined || (/^\d+$/.test(step) && Number(step) >= 1 && Number(step) <= (maxima[i] ?? 0));
    }),
  );
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const IMAGE_MODES = ['local', 'remote', 'none'] as const;

const imagesSchema = z.strictObject({
  mode: z._default(z.enum(IMAGE_MODES, { error: 'must be one of: local, remote, none' }), 'local'),
  dir: z._default(relativeDir('under siteDir'), 'static/img/content/post'),
  /** Defaults to data/dropmark-sync/images-<dir as a slug>.json, beside the content, committed with it. */
  manifest: z.optional(relativeDir('under siteDir')),
  maxBytes: z._default(positiveInt('bytes per image'), 10 * 1024 * 1024),
  /**
   * An SVG is served from the site's own origin, where a script in it would run with the
   * site's rights. refuse: no SVG is written; sanitize: a clean copy, rebuilt from an allow-list.
   */
  svg: z._default(z.enum(['refuse', 'sanitize'], { error: 'must be "refuse" or "sanitize"' }), 'refuse'),
  /**
   * degrade: an image that cannot be had leaves its post written without it (or with the
   * previous one) and the run degraded, exit 0; fail: the run fails, exit 1.
   */
  onError: z._default(z.enum(['degrade', 'fail'], { error: 'must be "degrade" or "fail"' }), 'degrade'),
  /** Plain-http image URLs are refused unless this is true (tests against a local server). */
  allowHttp: z._default(z.boolean({ error: 'must be true or false' }), false),
  urlPrefix: z._default(z.string({ error: 'must be a string such as /img/content/post' }), '/img/content/post'),
  allowedHosts: z._default(
    z.array(z.string({ error: 'must be a host name pattern such as *.dropmark.com' }), {
      error: 'must be a list of host name patterns',
    }),
    ['*.dropmarkusercontent.com', '*.dropmark.com'],
  ),
});

/** What an uploaded file may be, by the extension its bytes are identified as (never the URL's or the feed's word). */
export const DEFAULT_FILE_TYPES = [
  'pdf',
  'mp4',
  'webm',
  'mov',
  'm4v',
  'mp3',
  'm4a',
  'ogg',
  'oga',
  'wav',
  'flac',
  'zip',
  'docx',
  'xlsx',
  'pptx',
  'epub',
  'jpg',
  'png',
  'gif',
  'webp',
];

/**
 * Uploaded files, videos and audio (item kinds other, video, audio), mirrored like images. They
 * are fetched under images.allowedHosts and images.allowHttp: one list of hosts for every
 * download of the collection.
 */
/** Types a browser runs script in when the site serves them (XML with an XHTML namespace does). */
const SCRIPTABLE_TYPES = [
  'svg',
  'svgz',
  'html',
  'htm',
  'xhtml',
  'xht',
  'shtml',
  'xml',
  'xsl',
  'xslt',
  'js',
  'mjs',
  'swf',
];

const filesSchema = z.strictObject({
  mode: z._default(z.enum(['local', 'none'], { error: 'must be "local" or "none"' }), 'local'),
  dir: z._default(relativeDir('under siteDir'), 'static/files'),
  /** Defaults to data/dropmark-sync/files-<dir as a slug>.json, beside the content, committed with it. */
  manifest: z.optional(relativeDir('under siteDir')),
  urlPrefix: z._default(z.string({ error: 'must be a string such as /files' }), '/files'),
  // GitHub warns about a file over 50 MB in a push and refuses one over 100 MB.
  maxBytes: z._default(positiveInt('bytes per file'), 25 * 1024 * 1024),
  types: z._default(
    z.array(
      z.string({ error: 'must be a file extension such as pdf' }).check(
        z.regex(/^[a-z0-9]{1,10}$/, { error: 'must be a file extension in lower case, without the dot, such as pdf' }),
        z.refine((t) => !SCRIPTABLE_TYPES.includes(t), {
          error: `must not be one of ${SCRIPTABLE_TYPES.join(', ')}: a script in such a file would run on the site`,
        }),
      ),
      { error: 'must be a list of file extensions, such as [pdf, mp4]' },
    ),
    DEFAULT_FILE_TYPES,
  ),
});

const scalarValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))], {
  error: 'must be a string, number, true/false, or a list of strings or numbers',
});

/**
 * A front-matter key, as far as JSON Schema can tell an editor: not empty, not the tool's
 * (`dropmark.*`, any case). The checks themselves, with their messages and the rules that
 * depend on the profile, are mappingProblems' (profiles.ts), run on the whole collection.
 */
const frontMatterKey = (error?: string) =>
  z.string(error === undefined ? undefined : { error }).register(z.globalRegistry, {
    pattern: '^(?![Dd][Rr][Oo][Pp][Mm][Aa][Rr][Kk]\\.)\\s*\\S',
    description: "a front-matter key: not empty, and not one of the tool's (dropmark.*)",
  });

const frontMatterSchema = z.strictObject({
  rename: z._default(
    z.record(frontMatterKey(), frontMatterKey('must map a key to its new name (a string)'), {
      error: 'must map keys to new names, such as { image: cover }',
    }),
    {},
  ),
  drop: z._default(z.array(frontMatterKey('must be a key name'), { error: 'must be a list of keys' }), []),
  add: z._default(
    z.record(frontMatterKey(), scalarValue, { error: 'must map new keys to values, such as { layout: link }' }),
    {},
  ),
});

/**
 * Jekyll publishes a file of `_posts` (or of a folder under one) only when its name starts with
 * `YYYY-MM-DD-`; any other name is skipped without a word, and the build has no post at all.
 */
function jekyllPostsProblem(c: { profile: string; fileName?: string | undefined; contentDir: string }) {
  if (c.profile !== 'jekyll' || c.fileName === undefined || c.fileName.startsWith('{date}-')) return undefined;
  if (!c.contentDir.split(/[\\/]+/).includes('_posts')) return undefined;
  return (
    `"${c.fileName}" does not start with "{date}-": Jekyll publishes a file of ${c.contentDir} only when its name ` +
    'starts with a date (2024-03-10-title.md), so no post would be built. Use "{date}-{slug}.md" (the default: ' +
    'remove fileName), or a contentDir outside _posts (a Jekyll collection such as _links)'
  );
}

const collectionSchema = z
  .strictObject({
    endpoint: httpUrl('an http(s) URL of a Dropmark feed, such as https://USER.dropmark.com/ID.json'),
    contentDir: z._default(relativeDir('under siteDir'), 'content/post'),
    images: z.prefault(imagesSchema, {}),
    files: z.prefault(filesSchema, {}),
    deletions: z._default(z.enum(['delete', 'keep'], { error: 'must be "delete" or "keep"' }), 'delete'),
    /** keep: a retitled item keeps its file (links stay); follow-title: the file is renamed. */
    slugs: z._default(z.enum(['keep', 'follow-title'], { error: 'must be "keep" or "follow-title"' }), 'keep'),
    /**
     * How a title becomes a slug: ascii, transliterate or keep-letters (profiles.ts, SLUG_RULES). Default by
     * profile: ascii for bookmark (the reference rule), transliterate for the generators.
     */
    slugify: z.optional(z.enum(SLUG_RULES, { error: `must be one of: ${SLUG_RULES.join(', ')}` })),
    /** list: a stack is one post listing its items; flatten: each of its items is a post, tagged with its name. */
    stacks: z._default(z.enum(['list', 'flatten'], { error: 'must be "list" or "flatten"' }), 'list'),
    /** Which keys the files carry (docs/profiles.md). */
    profile: z._default(
      z.enum(PROFILE_NAMES, { error: `must be one of: ${PROFILE_NAMES.join(', ')}` }),
      DEFAULT_PROFILE,
    ),
    /** The file name of each post: {slug}, {id} and {date} (YYYY-MM-DD, UTC). Default by profile. */
    fileName: z.optional(
      z.string({ error: 'must be a file name pattern such as "{date}-{slug}.md"' }).check(
        z.superRefine((pattern, ctx) => {
          const problem = fileNameProblem(pattern);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      ),
    ),
    format: z._default(z.enum(FORMATS, { error: 'must be "yaml" or "toml"' }), 'yaml'),
    frontMatter: z.prefault(frontMatterSchema, {}),
  })
  .check(
    z.superRefine((c, ctx) => {
      if (!profileFormats(c.profile).includes(c.format))
        ctx.addIssue({
          code: 'custom',
          path: ['format'],
          message:
            `"${c.format}" front matter is not read by ${c.profile}; ` +
            'use yaml (toml is for Hugo: profiles hugo and bookmark)',
        });
      const postsProblem = jekyllPostsProblem(c);
      if (postsProblem !== undefined) ctx.addIssue({ code: 'custom', path: ['fileName'], message: postsProblem });
      for (const problem of mappingProblems(c.profile, c.frontMatter))
        ctx.addIssue({ code: 'custom', path: ['frontMatter', ...problem.at], message: problem.message });
    }),
  );

const retriesMessage = 'must be a whole number from 0 to 20';
const httpSchema = z.strictObject({
  timeoutMs: z._default(positiveInt('milliseconds'), 30_000),
  retries: z._default(
    z
      .int({ error: retriesMessage })
      .check(z.minimum(0, { error: retriesMessage }), z.maximum(20, { error: retriesMessage })),
    4,
  ),
  retryDelayMs: z._default(positiveInt('milliseconds before the first retry; it doubles each time'), 1_000),
  maxRetryAfterMs: z._default(positiveInt('milliseconds; a longer Retry-After is cut to this'), 120_000),
  maxBodyBytes: z._default(positiveInt('bytes'), 64 * 1024 * 1024),
  concurrency: z._default(positiveInt('parallel downloads', 64), 8),
  allowPrivateNetworks: z._default(z.boolean({ error: 'must be true or false' }), false),
});

const folder = () =>
  z.string({ error: 'must be a folder path (string)' }).check(z.minLength(1, { error: 'must not be empty' }));

export const configSchema = z
  .strictObject({
    siteDir: z._default(folder(), 'output'),
    cacheDir: z._default(folder(), '.cache/dropmark-sync'),
    schedule: z._default(
      z.string({ error: 'must be a cron expression in quotes, such as "*/30 * * * *"' }).check(
        // node-cron's own validation follows in load.ts, loaded only for a config that sets one.
        z.refine((s) => cronStepsInRange(s), {
          error: 'is not a valid cron expression (example: "*/30 * * * *")',
        }),
      ),
      '*/30 * * * *',
    ),
    timezone: z.optional(
      z.string({ error: 'must be an IANA time zone such as Europe/Berlin' }).check(
        z.refine(isTimeZone, {
          error: 'is not a time zone this system knows; use an IANA name such as Europe/Berlin',
        }),
      ),
    ),
    collections: z
      .array(collectionSchema, { error: 'must be a list of collections, each with an endpoint' })
      .check(z.minLength(1, { error: 'must name at least one collection' })),
    http: z.prefault(httpSchema, {}),
    /** A sync running longer than this is stopped (between file writes) and fails. */
    deadlineMs: z._default(positiveInt('milliseconds a whole sync may take'), 600_000),
    /**
     * A lock written by another host (a shared volume) and not refreshed for this long is taken
     * over. A lock of a live process on this host never is.
     */
    lockStaleMs: z._default(
      positiveInt('milliseconds after which an unrefreshed lock of another host is taken over'),
      3_600_000,
    ),
  })
  // A run is stopped at its deadline; a lock must not go stale while its run may still write.
  .check(
    z.refine((c) => c.deadlineMs < c.lockStaleMs, {
      error: 'must be below lockStaleMs, so no lock goes stale while its sync may still write',
      path: ['deadlineMs'],
    }),
  );

export type Config = z.output<typeof configSchema>;
export type CollectionConfig = Config['collections'][number];
export type HttpConfig = Config['http'];
