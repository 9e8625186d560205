# syntax=docker/dockerfile:1
# The payments subgraph's production image. Node 24 runs the TypeScript sources as they are (type
# stripping), so there is no build step: the image holds the production dependencies, src/ and the
# schema the subgraph serves, and nothing else.
#   docker build -t payments-subgraph .
#   docker run --read-only --tmpfs /tmp -p 4001:4001 -e DATABASE_URL=postgres://... payments-subgraph
# Checked by test/deploy/dockerfile.test.ts and test/deploy/production-install.test.ts.

# The Node release the tests run on: package-lock.json's `node` devDependency. Exact tag, so a
# rebuild gets the same Node; pin the digest too (node:24.21.0-bookworm-slim@sha256:...) once the
# registry that builds the image can resolve it.
FROM node:24.21.0-bookworm-slim AS dependencies
WORKDIR /app
# The lockfile alone decides this layer, so it is rebuilt only when dependencies change.
COPY package.json package-lock.json ./
# --ignore-scripts: the one install script among the production dependencies, @apollo/protobufjs's
# postinstall, only warns about its dependents' version scheme. npm's cache stays in this stage.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24.21.0-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and read-only for the app's user, like the whole root filesystem in Kubernetes
# (readOnlyRootFilesystem): the app writes nothing but its logs (stdout) and, at most, /tmp (an
# emptyDir there). Production uses PostgreSQL (DATABASE_URL); the embedded store's DATA_DIR is not
# writable here, so a container started without DATABASE_URL fails instead of keeping data locally.
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY schema/payments.graphql ./schema/
COPY src ./src
# Numeric, so Kubernetes can check runAsNonRoot without a passwd entry; not the image's `node` (1000),
# so it matches no user of the host or of other images.
USER 10001:10001
# The app's default PORT.
EXPOSE 4001
# For Docker and Compose; Kubernetes ignores it and uses the Deployment's probes. No curl in slim
# images: Node's own fetch asks the liveness route.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 4001}/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The app drains in-flight requests on SIGTERM (up to SHUTDOWN_GRACE_MS), then exits 0.
STOPSIGNAL SIGTERM
# Exec form: node is PID 1 and receives SIGTERM itself (no shell in between to swallow it); it
# installs its own SIGTERM and SIGINT handlers, so PID 1's default signal dispositions do not matter.
# The same command as `npm start`, Node options included (docs/decisions/node-options.md).
CMD ["node", "--no-memory-reducer", "src/main.ts"]
