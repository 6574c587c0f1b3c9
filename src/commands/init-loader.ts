import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkCollectionOptions } from '../config/collection-options.js';
import { LOADER_DEFAULTS } from '../config/loader-defaults.js';
import { ConfigError } from '../errors.js';
import type { InitFlags } from './catalog.js';
import { say, type CommandIo } from './io.js';
import { endpointWarning } from './init-endpoint.js';
import { addIgnores, shellWord, writeNewFiles } from './init-files.js';
import { planLoaderSetup, type LoaderGenerator, type LoaderSetup } from './init-loader-setup.js';
import { GIT_PACKAGE, INSTALL_HELP, localInstall, outsideWarning, type LocalInstall } from './init-package.js';
import { detectSite, GENERATOR_NAMES, type SiteLayout } from './init-site.js';
import { readSitePackage } from './site-package.js';

/**
 * `init --mode loader`: an Astro or Eleventy site that reads the feed when it builds. Writes the
 * loader's config and a page per item where the site has none (else says what to add), the
 * .gitignore lines of the folders the build downloads into, and says how to install the package.
 * No dropmark-sync.yaml and no workflow: nothing is synced, so nothing is committed by the tool.
 */
export async function runInitLoader(
  flags: InitFlags,
  io: CommandIo,
  askEndpoint: () => Promise<string | undefined>,
): Promise<number> {
  const root = io.cwd;
  const refused = refusedFlag(flags);
  if (refused !== undefined) return fail(io, refused);
  const pkg = await readSitePackage(root);
  const site = await detectSite(root, pkg);
  if (site.generator !== 'astro' && site.generator !== 'eleventy') return fail(io, notALoaderSite(site));
  const endpoint = flags.endpoint ?? (await askEndpoint());
  if (endpoint === undefined) return 1;
  const problem = await endpointProblem(endpoint, site.generator);
  if (problem !== undefined) return fail(io, problem);
  // Said once the endpoint is known to be taken, as it is then written all the same.
  const doubt = endpointWarning(endpoint, "It is written as given; change the loader's endpoint if it is wrong");
  if (doubt) say(io, doubt);
  const setup = await planLoaderSetup(root, site.generator, endpoint, pkg);
  const done = await writeNewFiles(root, setup.files);
  const ignored = await addIgnores(
    root,
    'dropmark-sync: what each build fetches again, never committed',
    setup.ignores,
  );
  if (ignored.length > 0) done.push(`wrote .gitignore (${ignored.join(', ')})`);
  const install = localInstall(root, pkg);
  const found = { generator: site.generator, evidence: site.evidence };
  io.stdout.write(nextSteps(root, found, { done, setup, install }));
  if (install.kind === 'outside') say(io, `dropmark-sync init: ${outsideWarning(install.spec)}\n`);
  return 0;
}

function fail(io: CommandIo, message: string): number {
  say(io, `dropmark-sync init: ${message}\n`);
  return 1;
}

/** The options that mean something only for committed files: refused, never silently without effect. */
function refusedFlag(flags: InitFlags): string | undefined {
  if (flags.github || flags.action !== undefined)
    return (
      `${flags.github ? '--github' : '--action'} is for the workflow that syncs the collection into committed ` +
      'files. With --mode loader the site reads the feed when it builds, so it needs no sync workflow: build ' +
      'it in its CI as usual. Leave the option out, or use --mode files'
    );
  if (flags.force)
    return (
      '--force overwrites dropmark-sync.yaml and the workflow, which --mode loader does not write (it ' +
      'never overwrites a file of the site: it prints the lines to add instead). Leave the option out'
    );
  return undefined;
}

const FILES_MODE =
  'run init without --mode: it writes dropmark-sync.yaml, for sync to commit the posts as Markdown files the site ' +
  'builds';

function notALoaderSite(site: SiteLayout): string {
  const found =
    site.generator === 'unknown'
      ? 'no Astro or Eleventy site was found here (no astro.config.*, eleventy.config.* or .eleventy.js, ' +
        "and neither astro nor @11ty/eleventy in package.json). Run it at the site's root, or"
      : `this is ${GENERATOR_NAMES[site.generator]} site (${site.evidence}). For it,`;
  const loader = '--mode loader is for an Astro 5 site (a content loader) or an Eleventy 3 site (a plugin)';
  return `${loader}, and ${found} ${FILES_MODE}`;
}

/** The endpoint checked as the build will check it: a bad one is said before anything is written. */
async function endpointProblem(endpoint: string, generator: LoaderGenerator): Promise<string | undefined> {
  const { what, keys } = LOADER_DEFAULTS[generator];
  try {
    await checkCollectionOptions({ endpoint }, what, keys);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

const BUILD = { astro: 'npx astro build', eleventy: 'npx @11ty/eleventy' } as const;
const LOADER = { astro: 'the content loader dropmark-sync/astro', eleventy: 'the plugin dropmark-sync/eleventy' };

/** How the site gets the package the build imports (it is in no npm registry). */
function installLine(install: LocalInstall): string[] {
  if (install.kind === 'none')
    return [`install the package the build imports (${INSTALL_HELP}):`, `npm install --save-dev ${GIT_PACKAGE}`];
  if (install.kind === 'outside') return [];
  return ['npm install    # package.json already installs dropmark-sync'];
}

function nextSteps(
  root: string,
  site: { generator: LoaderGenerator; evidence: string },
  { done, setup, install }: { done: readonly string[]; setup: LoaderSetup; install: LocalInstall },
): string {
  const written = setup.files.map((f) => f.file).filter((f) => existsSync(path.join(root, f)));
  const ignore = existsSync(path.join(root, '.gitignore')) ? ['.gitignore'] : [];
  const tarball = install.kind === 'tarball' ? [install.file] : [];
  // npm install writes both package files if the site had none.
  const commit = [...written, ...setup.edits, ...ignore, 'package.json', 'package-lock.json', ...tarball];
  const byHand = setup.byHand.flatMap((step) => step.split('\n').map((line) => (line === '' ? '' : `  ${line}`)));
  const lines = [
    `Detected: ${GENERATOR_NAMES[site.generator]} site (${site.evidence}); set up for ${LOADER[site.generator]}.`,
    ...done,
    ...setup.kept.map((f) => `kept ${f}`),
    ...(byHand.length > 0 ? ['', 'By hand:', ...byHand] : []),
    '',
    'Next:',
    ...installLine(install).map((line) => `  ${line}`),
    "  for a private collection, set DROPMARK_API_KEY in every build's environment (CI's too), never in a file",
    `  ${BUILD[site.generator]}    # each build reads the feed; docs/loaders.md: what to keep between CI builds`,
    '  commit what a fresh clone needs:',
    `  git add ${[...new Set(commit)].map(shellWord).join(' ')}`,
  ];
  return `${lines.join('\n')}\n`;
}
