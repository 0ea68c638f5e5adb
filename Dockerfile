# LGSP gateway, production image (README "Container image"):
#   docker build -t lgsp-gateway:0.1.0 \
#     --build-arg VERSION=0.1.0 --build-arg REVISION="$(git rev-parse HEAD)" \
#     --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" .
# Stages: build (compile, then keep only what production runs), deps (production
# dependencies only), runtime (Node 24 LTS, non-root, nothing at run time needs a
# shell, read-only root filesystem). test/container/ checks these rules and
# rebuilds this file set without a container engine.

FROM node:24-bookworm-slim AS build
WORKDIR /build
COPY package.json package-lock.json ./
# No install scripts: the compiler needs none, and some would download binaries or send telemetry from the build host.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY contracts/ contracts/
COPY src/ src/
COPY connectors/ connectors/
COPY scripts/ scripts/
# Reference data the gateway reads at start (the common catalogs, the 2025 units connectors check addresses against), with its licence notices.
COPY config/catalogs/ config/catalogs/
# Compiled only because src/main.ts names the embedded launcher; pruned below.
COPY simulators/ simulators/
RUN npm run build
# The image's files: the compiled product without the sandboxes, the dev IdP, the
# embedded launcher, the benchmark, test code and the development scripts; then
# what it reads beside its code (package.json, the JSON Schemas, the connectors'
# WSDLs, the console's style sheets, the shipped catalogs).
RUN mkdir -p image/dist image/connectors image/src/console image/config \
 && cp -R dist/src dist/connectors dist/scripts dist/console image/dist/ \
 && find image/dist -depth \( -name sandbox -o -name test-support -o -name fixtures \) -type d -exec rm -rf {} + \
 && find image/dist \( -name '*.test.js' -o -name '*.test.js.map' \) -type f -delete \
 && rm -f image/dist/scripts/dev-token.js image/dist/scripts/dev-token.js.map image/dist/scripts/contract-types.js image/dist/scripts/contract-types.js.map \
          image/dist/scripts/helm-generate.js image/dist/scripts/helm-generate.js.map \
          image/dist/scripts/support/helm-chart-generated.js image/dist/scripts/support/helm-chart-generated.js.map \
 && cp package.json package-lock.json image/ \
 && cp -R contracts image/contracts \
 && find image/contracts -type f ! -name '*.json' -delete \
 && cd connectors && find . -name '*.wsdl' ! -path '*/sandbox/*' -exec cp --parents {} ../image/connectors/ \; && cd .. \
 && cp -R src/console/static image/src/console/static \
 && cp -R config/catalogs image/config/catalogs

FROM node:24-bookworm-slim AS deps
WORKDIR /deps
COPY package.json package-lock.json ./
# No install scripts: no production dependency needs one (test/container/dockerfile.test.ts
# checks the lock), and optional ones (keycloak-connect's chromedriver) are test tools.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="lgsp-gateway" \
      org.opencontainers.image.description="Provincial data-integration hub (LGSP): one normalized, secured API in front of the national databases" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="docker.io/library/node:24-bookworm-slim"
# NODE_OPTIONS and MALLOC_ARENA_MAX: src/node-runtime.ts's imageNodeOptions and imageEnvironment (why: there, and bench/README.md);
# the old generation follows the pod's memory limit.
ENV NODE_ENV=production \
    LGSP_CONFIG=/etc/lgsp/config.yaml \
    NODE_OPTIONS="--max-semi-space-size=16" \
    MALLOC_ARENA_MAX=2
WORKDIR /app
# Owned by root, read-only to the gateway's user: the code cannot be changed by the process running it.
COPY --from=deps /deps/node_modules ./node_modules
COPY --from=build /build/image/ ./
# The gateway writes no file in production mode (store in PostgreSQL, logs on stdout);
# /tmp is the one scratch path, for a read-only root filesystem.
VOLUME ["/tmp"]
# The image's user node (uid 1000), by number so that runAsNonRoot can verify it.
USER 1000:1000
# 8080: API and probes (/healthz, /readyz); 9464: ops listener (/metrics, readiness detail).
EXPOSE 8080 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "dist/scripts/container-healthcheck.js"]
# The base image's entrypoint is a shell script: none here, node is PID 1's command and gets SIGTERM.
ENTRYPOINT []
CMD ["node", "dist/src/main.js"]
