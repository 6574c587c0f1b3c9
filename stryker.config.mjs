// @ts-check
/**
 * `npm run mutate` (see bench/MUTATION.md). Not part of CI: a full run takes many minutes.
 * The pure core: the files whose every behaviour a unit or property test should pin. When
 * files move or are renamed, this list is the one place to update.
 */
const core = [
  'src/plan/post-plan.ts',
  'src/map/item.ts',
  'src/map/dates.ts',
  'src/map/shortcodes.ts',
  'src/map/slugify.ts',
  'src/map/unique-slugs.ts',
  'src/map/post.ts',
  'src/map/social-score.ts',
  'src/render/yaml-emitter.ts',
  'src/render/post.ts',
  'src/plan/image-plan.ts',
  'src/images/url.ts',
  'src/images/sniff.ts',
  'src/http/address.ts',
  'src/http/ip-ranges.ts',
  'src/feed/parse.ts',
  'src/http/retry-after.ts',
  'src/report/markdown.ts',
  'src/report/diff.ts',
  'src/report/summary-text.ts',
  'src/text/terminal.ts',
  'src/sync/change-records.ts',
  'src/images/backoff.ts',
  'src/sync/render-posts.ts',
  'src/sync/site-index.ts',
  'src/summary.ts',
  'src/sync/state-files.ts',
  'src/frontmatter/profiles.ts',
  'src/frontmatter/file-names.ts',
  'src/map/front-matter-entries.ts',
  'src/render/toml-post.ts',
  'src/frontmatter/key-record.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: core,
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // `npm run mutate:incremental` reuses the results of mutants whose code and tests did not change.
  incrementalFile: 'reports/stryker-incremental.json',
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
