import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { LOCK_NAME } from '../state/lock.js';
import type { InitFlags } from './catalog.js';
import { say, type CommandIo } from './io.js';
import { endpointWarning } from './init-endpoint.js';
import { editJekyllConfig, JEKYLL_EXCLUDES } from './init-jekyll.js';
import { addIgnores, shellWord, writeNewFiles } from './init-files.js';
import { runInitLoader } from './init-loader.js';
import { GIT_PACKAGE, installNote, localInstall, TOOL_REPOSITORY, type LocalInstall } from './init-package.js';
import { planSiteSetup, type SiteSetup } from './init-setup.js';
import { detectSite, GENERATOR_NAMES, type SiteLayout } from './init-site.js';
import { readSitePackage } from './site-package.js';
import { configText, workflowText } from './init-templates.js';
import { VERSION } from '../version.js';

const CONFIG_NAME = 'dropmark-sync.yaml';
const WORKFLOW = '.github/workflows/dropmark-sync.yml';
/** What a workflow's `uses:` takes for an action: `owner/repo[/path]@ref`, or a folder of the repository. */
const ACTION_REF =
  /^(?:[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*@[A-Za-z0-9._/-]+|\.\/[A-Za-z0-9._/-]*)$/;

/** The action the workflow runs, from this repository (the site installs nothing for it): this version's tag. */
const DEFAULT_ACTION = `${TOOL_REPOSITORY}@v${VERSION}`;

/**
 * `init`: detect, ask what is missing, write, check what was written, say what next. With `--mode
 * loader`, the loader's files instead (init-loader.ts).
 */
export async function runInit(
  flags: InitFlags,
  io: CommandIo,
  input: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  if (flags.mode === 'loader') return runInitLoader(flags, io, () => askEndpoint(flags, io, input));
  const root = io.cwd;
  if (flags.action !== undefined && !ACTION_REF.test(flags.action)) {
    say(
      io,
      `dropmark-sync init: --action ${JSON.stringify(flags.action)} is not an action the workflow can use: give ` +
        'OWNER/REPO@REF (a tag, a branch or a commit) or ./PATH; nothing was written\n',
    );
    return 1;
  }
  const targets = [CONFIG_NAME, ...(flags.github ? [WORKFLOW] : [])];
  const taken = targets.filter((t) => existsSync(path.join(root, t)));
  if (taken.length > 0 && !flags.force) {
    say(
      io,
      `dropmark-sync init: ${taken.join(' and ')} already exist${taken.length === 1 ? 's' : ''}; ` +
        'nothing was written. Use --force to overwrite\n',
    );
    return 1;
  }
  const endpoint = flags.endpoint ?? (await askEndpoint(flags, io, input));
  if (endpoint === undefined) return 1;
  const pkg = await readSitePackage(root);
  const site = await detectSite(root, pkg);
  // A site that installs nothing (the workflow runs the action by reference) has no node_modules to point editors to.
  const install = localInstall(root, pkg);
  const installed = install.kind !== 'none';
  const schema = installed
    ? undefined
    : `https://raw.githubusercontent.com/${TOOL_REPOSITORY}/v${VERSION}/schema/dropmark-sync.schema.json`;
  const config = configText(site, endpoint, schema);
  const problem = await checkConfig(root, config);
  if (problem) {
    say(io, `dropmark-sync init: ${problem}\n`);
    return 1;
  }
  // Said once the config is known to load, as it is then written all the same.
  const doubt = endpointWarning(endpoint);
  if (doubt) say(io, doubt);
  const setup = await planSiteSetup(root, site);
  const written = [await write(root, CONFIG_NAME, config)];
  written.push(...(await ignoreRuntimeFiles(root)));
  if (flags.github) written.push(await write(root, WORKFLOW, workflowText(site, flags.action ?? DEFAULT_ACTION)));
  const done = [...written.map((f) => `wrote ${f}`), ...(await setUpSite(root, setup))];
  const commit = filesToCommit(root, install, written, setup);
  io.stdout.write(nextSteps(site, done, setup, { commit: commit.files, github: flags.github === true, installed }));
  if (commit.warning) say(io, `dropmark-sync init: ${commit.warning}\n`);
  return 0;
}

/** The layout and the generator's own settings: new files only, and Jekyll's excludes added in place; what was done. */
async function setUpSite(root: string, setup: SiteSetup): Promise<string[]> {
  const written = await writeNewFiles(root, setup.files);
  if (setup.jekyllConfig !== undefined) {
    const file = setup.jekyllConfig;
    const edit = editJekyllConfig(await readFile(path.join(root, file), 'utf8'));
    if ('text' in edit) {
      await writeFile(path.join(root, file), edit.text);
      written.push(
        `edited ${file} (exclude: ${JEKYLL_EXCLUDES.join(', ')}, which Jekyll then does not publish; ` +
          'timezone: UTC unless set, so a post shows the day it is dated)',
      );
    } else if ('problem' in edit) {
      setup.byHand.push(`${file} is left as it is: ${edit.problem}`);
    }
  }
  return written;
}

async function askEndpoint(flags: InitFlags, io: CommandIo, input: NodeJS.ReadableStream): Promise<string | undefined> {
  const interactive = (input as { isTTY?: boolean }).isTTY === true;
  if (flags.yes || !interactive) {
    say(io, 'dropmark-sync init: pass --endpoint URL (the feed, https://USER.dropmark.com/ID.json)\n');
    return undefined;
  }
  const rl = createInterface({ input, output: io.stderr });
  try {
    const answer = (await rl.question('Dropmark feed URL (https://USER.dropmark.com/ID.json): ')).trim();
    return answer === '' ? undefined : answer;
  } finally {
    rl.close();
  }
}

/** The written config must load as any command would load it; a bad endpoint is said before anything is written. */
async function checkConfig(root: string, text: string): Promise<string | undefined> {
  try {
    await loadConfig({ cwd: root, env: {}, overrides: { configFile: CONFIG_NAME }, readText: async () => text });
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error.message.replace(/^config file \S+ is not valid:\n/, '');
    throw error;
  }
}

async function write(root: string, relPath: string, text: string): Promise<string> {
  await mkdir(path.dirname(path.join(root, relPath)), { recursive: true });
  await writeFile(path.join(root, relPath), text);
  return relPath;
}

/** The cache, the lock (and the installed packages) never belong in the site's history. */
async function ignoreRuntimeFiles(root: string): Promise<string[]> {
  const wanted = [
    '.cache/dropmark-sync/',
    LOCK_NAME,
    ...(existsSync(path.join(root, 'package.json')) ? ['node_modules'] : []),
  ];
  const added = await addIgnores(root, 'dropmark-sync: runtime state and packages, never committed', wanted);
  return added.length > 0 ? ['.gitignore'] : [];
}

/**
 * What the site's repository must hold for a fresh clone (a runner) to work: the files init wrote
 * or edited, and the local install's package files and tarball; or why that install cannot work.
 */
function filesToCommit(
  root: string,
  install: LocalInstall,
  written: readonly string[],
  setup: SiteSetup,
): { files: string[]; warning?: string } {
  const note = installNote(install);
  const packageFiles = install.kind === 'none' ? [] : ['package.json', 'package-lock.json'];
  const candidates = [
    ...written,
    ...setup.files.map((f) => f.file),
    ...(setup.jekyllConfig === undefined ? [] : [setup.jekyllConfig]),
    ...packageFiles,
    ...note.commit,
  ];
  const files = [...new Set(candidates)].filter((f) => existsSync(path.join(root, f)));
  return note.warning === undefined ? { files } : { files, warning: note.warning };
}

function nextSteps(
  site: SiteLayout,
  done: readonly string[],
  setup: SiteSetup,
  { commit, github, installed }: { commit: readonly string[]; github: boolean; installed: boolean },
): string {
  const detected =
    site.generator === 'unknown'
      ? 'no known generator; the default profile (bookmark), no layout written'
      : `${GENERATOR_NAMES[site.generator]} site (${site.evidence})`;
  // Not in the npm registry: without a local install, npx runs it from its repository (built on the way).
  const run = installed ? 'npx dropmark-sync' : `npx --yes ${GIT_PACKAGE}`;
  const lines = [
    `Detected: ${detected}.`,
    ...done,
    ...setup.kept.map((f) => `kept ${f}`),
    ...(setup.byHand.length > 0 ? ['', 'By hand:', ...setup.byHand.map((step) => `  ${step}`)] : []),
    '',
    'Next:',
    `  ${run} sync --dry-run    # see what the first sync would write`,
    `  ${run} sync              # write it`,
  ];
  lines.push(
    '  commit what a fresh clone needs (the runner has only what is committed):',
    `  git add ${commit.map(shellWord).join(' ')}`,
  );
  if (github) {
    lines.push(
      '  The workflow needs nothing installed. In the repository settings allow GitHub Actions to',
      '  create pull requests; add the secret DROPMARK_API_KEY if the collection is private, and',
      "  DROPMARK_SYNC_TOKEN (a personal access token or an App token) for the site's own CI to run",
      '  on the sync pull request.',
    );
  }
  return `${lines.join('\n')}\n`;
}
