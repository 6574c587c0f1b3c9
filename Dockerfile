# syntax=docker/dockerfile:1
# dropmark-sync as a container: the CLI is PID 1 (it handles SIGTERM itself: the sync in
# progress stops after the file being written, the lock is released, exit 0), runs as the
# unprivileged "node" user, and works on the site mounted at /site.
#   docker build -t dropmark-sync .
#   docker run -v "$PWD:/site" -e DROPMARK_API_KEY dropmark-sync            # the scheduled worker
#   docker run -v "$PWD:/site" dropmark-sync sync                           # one pass

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: "prepare" would build before the sources are here.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle-cli.mjs ./scripts/
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
ENV NODE_ENV=production
COPY --from=build /app/node_modules /opt/dropmark-sync/node_modules
COPY --from=build /app/dist /opt/dropmark-sync/dist
COPY package.json LICENSE /opt/dropmark-sync/
COPY schema /opt/dropmark-sync/schema
WORKDIR /site
USER node
ENTRYPOINT ["node", "/opt/dropmark-sync/dist/cli.js"]
CMD ["schedule", "--run-now"]
HEALTHCHECK --interval=5m --timeout=10s --start-period=2m CMD ["node", "/opt/dropmark-sync/dist/cli.js", "status", "--max-age", "2h"]
