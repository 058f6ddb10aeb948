# The governance dashboard: Vite build, served by nginx (SPA fallback, immutable assets).
# Runtime settings (chain RPC, service URLs, deployment) are mounted at
# /usr/share/nginx/html/config.json, so one image serves every network.
FROM node:20-bookworm-slim AS build
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
RUN corepack enable && corepack prepare pnpm@10.34.9 --activate
WORKDIR /repo
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json jest.base.js ./
COPY packages ./packages
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm install --frozen-lockfile
RUN pnpm --filter "@openledger/governance-ui..." run --if-present build

FROM nginx:1.27-alpine AS runtime
COPY infra/docker/dashboard.nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /repo/packages/governance-ui/dist /usr/share/nginx/html
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD wget -qO- http://127.0.0.1:8080/healthz >/dev/null || exit 1
