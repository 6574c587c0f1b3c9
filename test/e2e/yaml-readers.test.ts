import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Post } from '../../src/map/post.js';
import { fileLayout, PROFILE_NAMES, type ProfileName } from '../../src/frontmatter/profiles.js';
import { renderPost } from '../../src/render/post.js';
import { tempDir } from '../support/cli.js';
import { FC_SEED, propertyOptions } from '../support/property.js';

/**
 * Every text the tool writes into YAML front matter reads back as that text in the reader of
 * each profile's generator: go-yaml v2 (Hugo, by a real build), Ruby's Psych as Jekyll calls it,
 * js-yaml 4 (Eleventy 3's front matter, Astro 5's @astrojs/markdown-remark), js-yaml 3 (gray-matter 4,
 * Eleventy 2) and the `yaml` package (Astro's current markdown-remark; the tool's own read-back).
 */

const require = createRequire(import.meta.url);
type Load = (text: string) => unknown;
const jsYaml3 = require('js-yaml') as { safeLoad: Load; load: Load };
const jsYaml4 = require('../../node_modules/@11ty/eleventy/node_modules/js-yaml') as { load: Load };
const JS_READERS: Record<string, Load> = {
  'js-yaml 4 (Eleventy 3, Astro 5)': (text) => jsYaml4.load(text),
  'js-yaml 3 (gray-matter 4)': (text) => jsYaml3.safeLoad(text),
  'yaml, core schema (Astro 6)': (text) => parseYaml(text, { schema: 'core' }),
};

const rubyFound = spawnSync('ruby', ['-ryaml', '-e', ''], { encoding: 'utf8' }).status === 0;
const hugoFound = spawnSync('hugo', ['version'], { encoding: 'utf8' }).status === 0;
if (!rubyFound) console.warn('test/e2e/yaml-readers.test.ts: Ruby (Jekyll) skipped: ruby not installed');
if (!hugoFound) console.warn('test/e2e/yaml-readers.test.ts: Hugo skipped: hugo not installed');

/** Texts some YAML reader takes for something else when they are written plain. */
const TRICKY = [
  // Numbers: with `,` or `_`, octal, binary, hex, base 60, exponents, Ruby's and Go's float forms.
  ...['1,000', '1,000,000', '1,000.5', '0,5', '1_000', '1_000.5', '1_', '0o17', '017', '08', '0b101', '0b1_0'],
  ...['0x1F', '0x1_F', '0x1,F', '-0x1F', '1:20', '190:20:30', '1:20.5', '-1:20', '1e3', '1E+3', '1.', '.5'],
  ...['._5', '.5_5', '.e+5', '+.5', '-0', '+1', '12', '3.14', '1,2,3', '1_000e3'],
  // Booleans and nulls of YAML 1.1, in any case.
  ...['yes', 'No', 'ON', 'off', 'y', 'n', 'Y', 'N', 'yES', 'oN', 'tRUE', 'False', 'nULL', 'null', '~', 'NULL'],
  ...['.inf', '-.Inf', '+.inf', '.nan', '.NaN', '.nAn'],
  // Ruby symbols, dates and timestamps, merge and value keys.
  ...[':symbol', ':a', ':"quoted"', '2024-03-10', '2024-3-1', '2024-03-10 10:00:00', '2024-03-10T10:00:00Z'],
  ...['-2024-03-10 10:00:00', '2024-03-10 10:00:00 +02:00', '<<', '='],
  // Indicators at the start.
  ...['!important', '!!str', '&anchor', '*alias', '%TAG', '@handle', '`code`', '|pipe', '>fold', '#hash'],
  ...["'quoted'", '"double"', '[a]', '{a}', '- x', '? x', ': x', '-', '?', ':', ',', 'a: b', 'a #b'],
  // Plain texts that must stay plain (the bookmark profile writes them so).
  ...['v1.2', '3d-printing', '12 monkeys', 'Q&A', 'x:y', '1.2.3', '2019-02-26x', 'Nan', 'yess', 'nope'],
];

const PROFILES_WRITTEN = PROFILE_NAMES;

function post(id: string, value: string): Post {
  return {
    id,
    fields: {
      archetype: 'bookmark',
      categories: [value],
      date: '2019-02-26T11:47:13Z',
      description: value,
      'dropmark.editURL': `https://me.dropmark.com/616548/${id}`,
      featuredImage: '',
      link: 'https://www.example.com/x',
      linkBrand: 'example.com',
      slug: `item-${id}`,
      socialScore: 1,
      socialScoreSimulated: true,
      source: { name: 'Dropmark', apiendpoint: 'https://me.dropmark.com/616548.json' },
      title: value,
    },
    body: 'Body.\n',
  };
}

/** The file the tool writes for a post whose title, description and only tag are `value`. */
function written(profile: ProfileName, id: string, value: string): string {
  return renderPost(
    post(id, value),
    {},
    undefined,
    fileLayout({ profile, format: 'yaml', fileName: '{slug}.md', mapping: { rename: {}, drop: [], add: {} } }),
  );
}

const frontMatterOf = (file: string) => file.slice(4, file.indexOf('\n---\n') + 1);
const tagKey = (profile: ProfileName) => (profile === 'bookmark' ? 'categories' : 'tags');

/** What a reader took from the file: the title, the description and the tags, in that order. */
function strings(data: unknown, profile: ProfileName): unknown[] {
  const d = data as Record<string, unknown>;
  return [d['title'], d['description'], d[tagKey(profile)]];
}

describe.each(Object.keys(JS_READERS))('%s', (reader) => {
  const load = JS_READERS[reader] as Load;

  it.each(PROFILES_WRITTEN)('reads every tricky title, description and tag of profile %s back as written', (p) => {
    const wrong = TRICKY.filter((v) => {
      const got = strings(load(frontMatterOf(written(p, '1', v))), p);
      return JSON.stringify(got) !== JSON.stringify([v, v, [v]]);
    });
    expect(wrong).toEqual([]);
  });
});

/** Every string the tool may be given: any code points, and texts made of the characters of numbers and dates. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.constantFrom(...'0123456789+-._,:eExXbBoO ~!&*%@`|>#?\'"=<yYnN'), maxLength: 12 }),
  fc.constantFrom(...TRICKY),
);

describe('any string round-trips through the emitter (fast-check, fixed seed)', () => {
  it.each(Object.keys(JS_READERS))('in %s, for every profile', (reader) => {
    const load = JS_READERS[reader] as Load;
    fc.assert(
      fc.property(anyText, fc.constantFrom(...PROFILES_WRITTEN), (value, p) => {
        expect(strings(load(frontMatterOf(written(p, '1', value))), p)).toEqual([value, value, [value]]);
      }),
      propertyOptions(1500),
    );
  });
});

// Jekyll reads front matter with `Psych.safe_load(yaml, permitted_classes: [Date, Time], aliases: true)`.
const RUBY_READER = `
require 'yaml'; require 'json'; require 'date'
typed = lambda do |v|
  next v.map { |x| typed.(x) } if v.is_a?(Array)
  v.is_a?(String) ? v : { 'class' => v.class.name, 'value' => v.to_s }
end
out = JSON.parse(STDIN.read).map do |doc|
  begin
    data = Psych.safe_load(doc, permitted_classes: [Date, Time], aliases: true)
    data.transform_values { |v| typed.(v) }
  rescue StandardError, Psych::Exception => e
    { 'error' => "#{e.class}: #{e.message}" }
  end
end
print JSON.generate(out)
`;

function readWithRuby(frontMatters: readonly string[]): unknown[] {
  const run = spawnSync('ruby', ['-e', RUBY_READER], { input: JSON.stringify(frontMatters), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ruby failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as unknown[];
}

describe.skipIf(!rubyFound)("Ruby's Psych as Jekyll calls it (skipped when ruby is not installed)", () => {
  it.each(PROFILES_WRITTEN)('reads every tricky title, description and tag of profile %s back as written', (p) => {
    const read = readWithRuby(TRICKY.map((v) => frontMatterOf(written(p, '1', v))));
    const wrong = TRICKY.filter((v, i) => JSON.stringify(strings(read[i], p)) !== JSON.stringify([v, v, [v]]));
    expect(wrong).toEqual([]);
  });

  it('reads any string back (the property test samples, fixed seed)', () => {
    const values = fc.sample(anyText, { seed: FC_SEED, numRuns: 1500 });
    for (const p of PROFILES_WRITTEN) {
      const read = readWithRuby(values.map((v) => frontMatterOf(written(p, '1', v))));
      const wrong = values.filter((v, i) => JSON.stringify(strings(read[i], p)) !== JSON.stringify([v, v, [v]]));
      expect(wrong, p).toEqual([]);
    }
  });
});

describe.skipIf(!hugoFound)('go-yaml v2, by a real Hugo build (skipped when hugo is not installed)', () => {
  const site: Record<string, string> = {
    'hugo.toml':
      'baseURL = "https://example.org/"\ndisableKinds = ["RSS", "sitemap", "robotsTXT", "404", "taxonomy", "term"]\n',
    'layouts/_default/single.html': '{{ jsonify (dict "file" .File.BaseFileName "title" .Title "params" .Params) }}',
    'layouts/_default/list.html': 'list',
  };
  const pages = new Map<string, { profile: ProfileName; value: string }>();
  let out = '';

  beforeAll(async () => {
    const dir = await tempDir('dms-yaml-hugo-');
    for (const [file, text] of Object.entries(site)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    await mkdir(path.join(dir, 'content', 'post'), { recursive: true });
    let n = 0;
    for (const profile of ['bookmark', 'hugo'] as const) {
      for (const value of TRICKY) {
        const id = String(++n);
        pages.set(id, { profile, value });
        await writeFile(path.join(dir, 'content', 'post', `p${id}.md`), written(profile, id, value));
      }
    }
    out = path.join(dir, 'public');
    const build = spawnSync('hugo', ['--quiet', '--source', dir, '--destination', out], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
  }, 60_000);

  it('shows every tricky title, description and tag as written, in both profiles Hugo reads', async () => {
    const folders = await readdir(path.join(out, 'post'), { withFileTypes: true });
    const read = new Map<string, { title: unknown; params: Record<string, unknown> }>();
    for (const folder of folders.filter((f) => f.isDirectory())) {
      const page = JSON.parse(await readFile(path.join(out, 'post', folder.name, 'index.html'), 'utf8'));
      read.set(page.file, page);
    }
    const wrong: string[] = [];
    for (const [id, { profile, value }] of pages) {
      const page = read.get(`p${id}`);
      const got = [page?.title, page?.params['title'], page?.params['description'], page?.params[tagKey(profile)]];
      if (JSON.stringify(got) !== JSON.stringify([value, value, value, [value]])) wrong.push(`${profile}: ${value}`);
    }
    expect(wrong).toEqual([]);
  });
});
