import { DEFAULT_PROFILE } from '../frontmatter/profiles.js';
import type { SiteLayout } from './init-site.js';

/** The profile of the generator found; bookmark (the original schema) when none was. */
function profileLine(site: SiteLayout): string {
  const profile = site.generator === 'unknown' ? DEFAULT_PROFILE : site.generator;
  return `${profile.padEnd(22)}# the front matter: bookmark | hugo | jekyll | eleventy | astro`;
}

/** Jekyll and Eleventy posts name their layout; Hugo and Astro find theirs by the post's place. */
const LAYOUT_KEY: Partial<Record<SiteLayout['generator'], string>> = { jekyll: 'post', eleventy: 'post.liquid' };

function layoutLines(site: SiteLayout): string {
  const layout = LAYOUT_KEY[site.generator];
  if (layout === undefined) return '';
  return `    frontMatter:
      add:
        layout: ${layout.padEnd(18)}# the post layout every synced post is shown with
`;
}

/** The config `init` writes: every choice it made, commented, and the schema line for editors. */
export function configText(
  site: SiteLayout,
  endpoint: string,
  schema = './node_modules/dropmark-sync/schema/dropmark-sync.schema.json',
): string {
  return `# yaml-language-server: $schema=${schema}
# dropmark-sync: keeps ${site.contentDir} in step with a Dropmark collection.
# Written by "dropmark-sync init"; every key is described in dropmark-sync's docs/configuration.md.
# Relative paths resolve against this file's folder.
siteDir: .                        # the site's root
cacheDir: .cache/dropmark-sync    # runtime state (ignored by git): feed validators, heartbeat
schedule: "17 */3 * * *"          # for "dropmark-sync schedule"
collections:
  - endpoint: ${JSON.stringify(endpoint)}
    contentDir: ${site.contentDir}        # one Markdown file per item
    profile: ${profileLine(site)}
    deletions: delete             # delete | keep: posts of items removed from the collection
    slugs: keep                   # keep | follow-title: a retitled item keeps its file name
${layoutLines(site)}    images:
      mode: local                 # local: copied into the site | remote | none
      dir: ${site.imagesDir}
      urlPrefix: ${site.urlPrefix}         # the image path written into each post
      svg: refuse                 # refuse | sanitize (an SVG runs on your site's origin)
    files:                        # uploaded files, videos and audio, mirrored into a folder the site publishes
      mode: local                 # local: copied into the site | none: the post links to the item's Dropmark page
      dir: ${site.filesDir}
      urlPrefix: ${site.filesUrlPrefix}         # the file path written into the post's link
`;
}

/**
 * The third-party actions the workflow uses, each pinned to the commit of a release (a tag can
 * be moved; a commit cannot), the release named beside it. Read from each repository's tags.
 */
export const PINNED_ACTIONS = {
  checkout: 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
  cacheRestore: 'actions/cache/restore@27d5ce7f107fe9357f9df03efb73ab90386fccae # v5.0.5',
  cacheSave: 'actions/cache/save@27d5ce7f107fe9357f9df03efb73ab90386fccae # v5.0.5',
  uploadArtifact: 'actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0',
  createPullRequest: 'peter-evans/create-pull-request@5f6978faf089d4d20b00c7766989d076bb2fc7f1 # v8.1.1',
} as const;

/**
 * The workflow `init --github` writes: sync on a schedule, then open, update or close one pull
 * request with the report as its body; the report in the job summary and as an artifact; never
 * two runs at once. It needs nothing installed: the action runs from its own repository.
 * Over a screen because it is one YAML document: a person reads it as the file it writes.
 */
export function workflowText(site: SiteLayout, action: string): string {
  return `# Written by "dropmark-sync init --github". Syncs the Dropmark collection every three hours
# and proposes the changes as one pull request. Needs: Settings > Actions > General >
# "Allow GitHub Actions to create and approve pull requests"; the secret DROPMARK_API_KEY only
# for a private collection; the secret DROPMARK_SYNC_TOKEN for the site's own CI to run on the
# pull request (see the last step).
name: dropmark-sync

on:
  schedule:
    - cron: "17 */3 * * *"
  workflow_dispatch: {}

permissions:
  contents: write
  pull-requests: write

concurrency:
  group: dropmark-sync
  cancel-in-progress: false

jobs:
  sync:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
      - uses: ${PINNED_ACTIONS.checkout}

      # Feed validators and hash: an unchanged feed then costs one conditional request.
      - uses: ${PINNED_ACTIONS.cacheRestore}
        with:
          path: .cache/dropmark-sync
          key: dropmark-sync-\${{ github.run_id }}-\${{ github.run_attempt }}
          restore-keys: dropmark-sync-

      # Runs on the runner's Node 24 from the action's own repository: nothing to install.
      # Writes the report to the job summary. fail-on: failed fails the job when an item, a file
      # or a collection failed (not when only images are missing: degraded fails on those too;
      # never, on nothing); the next steps still run.
      - name: Sync
        id: sync
        uses: ${action}
        with:
          config: dropmark-sync.yaml
          fail-on: failed
        env:
          DROPMARK_API_KEY: \${{ secrets.DROPMARK_API_KEY }}

      # Saved after a failed sync too (actions/cache saves only after a job that succeeded): what
      # the sync learned stays, and a re-run of the job has a key of its own.
      - name: Save the cache
        if: \${{ !cancelled() }}
        uses: ${PINNED_ACTIONS.cacheSave}
        with:
          path: .cache/dropmark-sync
          key: dropmark-sync-\${{ github.run_id }}-\${{ github.run_attempt }}

      # The full report (the pull request body is cut to GitHub's size), kept with the run.
      - name: Report
        if: \${{ !cancelled() && steps.sync.outputs.report != '' }}
        uses: ${PINNED_ACTIONS.uploadArtifact}
        with:
          name: dropmark-sync-report
          path: \${{ runner.temp }}/dropmark-sync/
          if-no-files-found: ignore

      # Runs when nothing changed too: an open sync pull request whose change was undone in
      # Dropmark is then closed and its branch deleted. Not when a collection could not be read
      # (complete is not "true"): an outage must not close it.
      - name: Pull request
        if: \${{ !cancelled() && steps.sync.outputs.complete == 'true' }}
        uses: ${PINNED_ACTIONS.createPullRequest}
        with:
          # A pull request opened with GITHUB_TOKEN starts no workflow: the site's own CI and
          # preview builds would not run on it. A fine-grained personal access token or a GitHub
          # App token (contents and pull requests: write) in the secret DROPMARK_SYNC_TOKEN does.
          token: \${{ secrets.DROPMARK_SYNC_TOKEN || github.token }}
          branch: dropmark-sync
          delete-branch: true
          commit-message: "Sync from Dropmark"
          title: "Sync from Dropmark"
          body-path: \${{ steps.sync.outputs.report }}
          labels: dropmark-sync
          add-paths: |
            ${site.contentDir}
            ${site.imagesDir}
            ${site.filesDir}
            data/dropmark-sync
`;
}
