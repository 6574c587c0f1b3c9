import type { SiteLayout } from './init-site.js';

/** The profile of the generator found; bookmark (the original schema) when none was. */
function profileLine(site: SiteLayout): string {
  const profile = site.generator === 'unknown' ? 'bookmark' : site.generator;
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
export function configText(site: SiteLayout, endpoint: string): string {
  return `# yaml-language-server: $schema=./node_modules/dropmark-sync/schema/dropmark-sync.schema.json
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
 * The workflow `init --github` writes: sync on a schedule, then open or update one pull
 * request with the report as its body; none when nothing changed; never two runs at once.
 * Over a screen because it is one YAML document: a person reads it as the file it writes.
 */
export function workflowText(site: SiteLayout, action: string): string {
  return `# Written by "dropmark-sync init --github". Syncs the Dropmark collection every three hours
# and proposes the changes as one pull request. Needs: Settings > Actions > General >
# "Allow GitHub Actions to create and approve pull requests", and the secret
# DROPMARK_API_KEY only for a private collection.
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
      - uses: actions/checkout@v4

      - uses: actions/setup-node@v4
        with:
          node-version: 20

      - name: Install
        run: npm ci

      # Feed validators and hash: an unchanged feed then costs one conditional request.
      - uses: actions/cache@v4
        with:
          path: .cache/dropmark-sync
          key: dropmark-sync-\${{ github.run_id }}
          restore-keys: dropmark-sync-

      # Fails the job only when nothing could be synced; items that failed are in the report.
      - name: Sync
        id: sync
        uses: ${action}
        with:
          config: dropmark-sync.yaml
        env:
          DROPMARK_API_KEY: \${{ secrets.DROPMARK_API_KEY }}

      - name: Pull request
        if: steps.sync.outputs.changed == 'true'
        uses: peter-evans/create-pull-request@v7
        with:
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
