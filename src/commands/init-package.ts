import path from 'node:path';
import { VERSION } from '../version.js';
import type { SitePackage } from './site-package.js';

/**
 * This repository, whose committed dist-action/ the workflow runs (action.yml), and the git URL a
 * site installs this version from (it is in no npm registry).
 */
export const TOOL_REPOSITORY = 'OWNER/dropmark-sync';
export const GIT_PACKAGE = `git+https://github.com/${TOOL_REPOSITORY}.git#v${VERSION}`;

/** The one place the README says how a site installs the tool for local use. */
export const INSTALL_HELP = 'see "Add it to your site" in dropmark-sync\'s README';

/** How the site's package.json installs dropmark-sync, as far as a fresh clone is concerned. */
export type LocalInstall =
  | { kind: 'none' }
  /** From a registry or a git URL: a fresh clone installs it as it is. */
  | { kind: 'fetched' }
  /** From a tarball in the site: it must be committed. */
  | { kind: 'tarball'; file: string }
  /** From a path outside the site: a fresh clone cannot install it. */
  | { kind: 'outside'; spec: string };

/** How the site's package.json (none, or not one, installs nothing) installs the tool. */
export function localInstall(root: string, pkg: SitePackage | undefined): LocalInstall {
  const spec = pkg?.devDependencies?.['dropmark-sync'] ?? pkg?.dependencies?.['dropmark-sync'];
  return spec === undefined ? { kind: 'none' } : classify(root, spec);
}

/** Pure: a `file:` spec inside the site is a file to commit; one outside it breaks a fresh clone. */
export function classify(root: string, spec: string): LocalInstall {
  if (!spec.startsWith('file:')) return { kind: 'fetched' };
  const target = path.resolve(root, spec.slice('file:'.length));
  const relative = path.relative(root, target);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { kind: 'outside', spec };
  return { kind: 'tarball', file: relative.split(path.sep).join('/') };
}

/** What init says about the local install: a file to commit, or why a fresh clone would fail. */
export function installNote(install: LocalInstall): { commit: string[]; warning?: string } {
  if (install.kind === 'tarball') return { commit: [install.file] };
  if (install.kind !== 'outside') return { commit: [] };
  return { commit: [], warning: `${outsideWarning(install.spec)} The workflow needs neither.` };
}

/** Why an install from outside the site fails on a fresh clone, and what to do instead. */
export function outsideWarning(spec: string): string {
  return (
    `package.json installs dropmark-sync from ${spec}, outside the site: npm ci on a fresh clone ` +
    `cannot find it. Put the tarball in the site's vendor/ folder and install it from there, or install ` +
    `from the git URL (${INSTALL_HELP}).`
  );
}
