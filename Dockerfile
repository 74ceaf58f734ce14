# Install with the dev dependencies (TypeScript), copy the sources, build dist/ (which
# bin/dbchange.js runs), then drop the dev dependencies.
FROM node:20-slim

# ca-certificates: TLS to Slack; git: for the GitOps poller (not in this version yet).
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --chown=node:node package.json package-lock.json ./
# --ignore-scripts: the sources are not copied yet, so the prepare build runs after COPY.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY --chown=node:node . .
RUN npm run build && npm prune --omit=dev && npm cache clean --force
# The embedded store (PGlite, used when DBCHANGE_STORE_URL is unset) lives in ./.dbchange.
RUN mkdir -p /app/.dbchange && chown node:node /app /app/.dbchange

ENV NODE_ENV=production \
    PORT=3000 \
    DBCHANGE_CONFIG=/app/dbchange.config.yaml
USER node
EXPOSE 3000
CMD ["node", "bin/dbchange.js", "serve"]
