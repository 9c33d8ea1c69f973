# Production image: dependencies installed in a build stage, the runtime stage runs as a non-root user.
# NODE_ENV=production refuses to start without DATABASE_URL, CERTGUARD_CREDENTIALS_FILE and
# CERTGUARD_AUDIT_SIGNING_KEY_FILE; for a trial, -e CERTGUARD_ALLOW_INSECURE_DEFAULTS=true (docs/security.md).
FROM node:20-bookworm-slim AS build
# Compiles src/ and migrations/ to dist/ (npm run build) with the development dependencies (typescript); the build
# also writes the contract as JSON (from openapi/) and the migrated PGlite template into dist/.
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
COPY openapi ./openapi
RUN npm run build

FROM node:20-bookworm-slim AS deps
# Runtime dependencies only: tsx and typescript stay out of the image.
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
# A V8 old-space cap makes V8 collect garbage early instead of letting the heap grow: ~230 MB peak RSS for a
# 1M-row export instead of ~350 MB (bench/audit-export.bench.ts); the live heap is ~60 MB. Override with -e NODE_OPTIONS.
# HOST=0.0.0.0: the container's own interface (certguard listens on loopback by default). Node runs as PID 1
# directly (no npm, no shell), on the compiled JavaScript, so docker stop's SIGTERM reaches it and starts the graceful drain.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 CERTGUARD_DATA_DIR=/data NODE_OPTIONS=--max-old-space-size=256
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY --from=build /app/dist ./dist
COPY openapi ./openapi
COPY policies ./policies
COPY config ./config
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "--import", "./dist/src/telemetry/register.js", "dist/src/main.js"]
