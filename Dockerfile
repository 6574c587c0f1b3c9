# syntax=docker/dockerfile:1
# dropmark-sync as a container: the CLI is PID 1 (it handles SIGTERM itself: the sync in
# progress stops after the file being written, the lock is released, exit 0), runs as the
# unprivileged "node" user, and works on the site mounted at /site.
#   docker build -t dropmark-sync .
#   docker run -v "$PWD:/site" -e DROPMARK_API_KEY dropmark-sync            # the scheduled worker
#   docker run -v "$PWD:/site" dropmark-sync sync                           # one pass

# The base: Node 26, the active LTS since October 2026, on Debian 13 slim, pinned by the digest of
# its multi-arch index, so a rebuild gets the same image until someone moves both the tag and the
# digest on purpose. (The digest is the one two unrelated public projects pin for this tag; it
# could not be checked against Docker Hub from the machine this was written on.)
# No git in it (the slim images ship none, and none is added): the worker then takes the
# site's fingerprint from names, sizes, inodes and mtimes (docs/safety.md), which is as sure on
# a volume that keeps its files; git's blob ids only spare a full pass on a fresh clone with a
# restored cache, which a long-running container never is.
ARG NODE_IMAGE=node:26.3.0-trixie-slim@sha256:aa27a5fbf5acb298116a38133794f080406c6f8dfe52e2e2836bb55dc7cae8f0

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: "prepare" would build before the sources are here.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/trim-dist.mjs ./scripts/
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
COPY --from=build /app/node_modules /opt/dropmark-sync/node_modules
COPY --from=build /app/dist /opt/dropmark-sync/dist
COPY package.json LICENSE /opt/dropmark-sync/
COPY schema /opt/dropmark-sync/schema
WORKDIR /site
USER node
ENTRYPOINT ["node", "/opt/dropmark-sync/dist/cli.js"]
CMD ["schedule", "--run-now"]
# Unhealthy only when the worker stopped running its schedule: its last run (of any result) older
# than two runs of the config's schedule plus deadlineMs (a fixed age would call a three-hourly
# worker dead every cycle). A failing item is for `status` and alerts: a restart mends nothing.
# Healthy until the first run ends, however long a first sync takes.
HEALTHCHECK --interval=5m --timeout=10s --start-period=2m CMD ["node", "/opt/dropmark-sync/dist/cli.js", "status", "--liveness"]
