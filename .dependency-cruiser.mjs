// The layer rules of src/, checked by `npm run lint:layers` (part of `npm test`) and by test/unit/layers.test.ts.
// The rules are generated from one ordered list so that moving a folder up or down is a one-line change.

/**
 * The layers of src/, lowest first. A module may import its own layer or a lower one, never a higher one.
 * Each layer is a list of path patterns (regular expressions on the path from the project root).
 */
export const LAYERS = [
  ['foundations', ['^src/(errors|version|env|log)[.]ts$', '^src/(text|fs)/']],
  ['http', ['^src/http/']],
  ['frontmatter', ['^src/frontmatter/']],
  ['config', ['^src/config/']],
  ['feed', ['^src/feed/']],
  ['images', ['^src/images/']],
  ['state', ['^src/state/']],
  ['map', ['^src/map/']],
  ['render', ['^src/render/']],
  // The library's mapping (mapFeed): the map and render steps for a caller that writes no files.
  ['library', ['^src/library/']],
  ['site', ['^src/site/']],
  ['plan', ['^src/plan/']],
  ['apply', ['^src/apply/']],
  ['summary', ['^src/summary[.]ts$']],
  ['sync', ['^src/sync/']],
  ['report', ['^src/report/']],
  ['entry points', ['^src/(scheduler|cron-times|cli|index)[.]ts$', '^src/action[^/]*[.]ts$', '^src/commands/']],
  // The generators' loaders (package exports ./astro, ./eleventy): above everything, so that nothing, the package
  // entry included, loads Astro's code.
  ['loaders', ['^src/loaders/']],
];

// Known upward imports, as module -> the higher modules it may still import. Empty: every module keeps to its layer
// (a temporary exception goes here, with the issue that removes it).
/** @type {Record<string, string[]>} */
export const KNOWN_EXCEPTIONS = {};

// The steps that decide what to write take data and return data: no disk, process, socket or HTTP. Besides the
// folders, the pure stages of a pass (src/sync: index, render and plan, the state files, the change records) and the
// pure half of mirroring (which image each item gets before any request). .dependency-cruiser-purity.mjs checks that
// none of them reaches I/O through another module either.
export const PURE = [
  '^src/(map|render|plan|frontmatter)/',
  '^src/sync/(index-files|mirror-requests|download-plan|render-posts|file-texts|plan-stage|state-files|change-records)[.]ts$',
  '^src/images/mirror-plan[.]ts$',
  // Which of several files that claim an item is the tool's: a rule on what site/read.ts read, reading nothing.
  '^src/site/claims[.]ts$',
];
const IO_CORE_MODULES = '^(fs|fs/promises|child_process|net|dns|dns/promises|dgram|http|https|http2|tls)$';
const IO_PACKAGES = ['^(undici|p-queue)($|/)', '(^|/)node_modules/(undici|p-queue)/'];
export const IO = [IO_CORE_MODULES, ...IO_PACKAGES];

const exactly = (file) => `^${file.replaceAll('.', '[.]')}$`;
// An empty pattern list joins into the empty pattern, which matches every path: leave the key out instead.
const unless = (paths) => (paths.length > 0 ? { pathNot: paths } : {});
const rankOf = (file) => LAYERS.findIndex(([, paths]) => paths.some((path) => new RegExp(path).test(file)));
const above = (rank) => LAYERS.slice(rank + 1).flatMap(([, paths]) => paths);
const ruleName = (rank) => `layer-${LAYERS[rank][0].replaceAll(' ', '-')}`;

function layerRule([name, paths], rank) {
  const excepted = Object.keys(KNOWN_EXCEPTIONS).filter((file) => rankOf(file) === rank);
  return {
    name: ruleName(rank),
    severity: 'error',
    comment: `${name} (layer ${rank} of ${LAYERS.length - 1}) may import only its own layer or a lower one`,
    from: { path: paths, ...unless(excepted.map(exactly)) },
    to: { path: above(rank) },
  };
}

// The same rule for a module with known exceptions, less exactly those imports.
function exceptionRule([file, allowed]) {
  const rank = rankOf(file);
  return {
    name: ruleName(rank),
    severity: 'error',
    comment: `${file} may import only its own layer or a lower one, apart from its known exceptions`,
    from: { path: exactly(file) },
    to: { path: above(rank), ...unless(allowed.map(exactly)) },
  };
}

const layerRules = LAYERS.slice(0, -1).map(layerRule);
const exceptionRules = Object.entries(KNOWN_EXCEPTIONS).map(exceptionRule);

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: the modules in it cannot be read, tested or moved one at a time',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    ...exceptionRules,
    {
      name: 'pure-no-io',
      severity: 'error',
      comment: 'map, render, plan, frontmatter and the plan stage are pure: the I/O happens in the stages around them',
      from: { path: PURE },
      to: { path: IO },
    },
    {
      name: 'pure-site-types-only',
      severity: 'error',
      comment: 'the pure steps may take the shape of what site/ read (a type), never call it',
      from: { path: PURE },
      to: { path: '^src/site/', pathNot: PURE, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count for the layers, and the site rule tells them apart from value imports.
    tsPreCompilationDeps: true,
    // Resolve packages as Node does for this ESM project, so an import of p-queue is seen for what it is.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'node', 'default'] },
  },
};
