# One image per Node service of the workspace, picked with --build-arg SERVICE=<package dir>:
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=datanet-service -t openledger/datanet-service .
# Built from the repository root. The runtime stage holds only the service's production dependencies
# (`pnpm deploy`), runs as the unprivileged `node` user and answers /healthz for the HEALTHCHECK.
ARG NODE_VERSION=20-bookworm-slim

FROM node:${NODE_VERSION} AS build
ARG SERVICE
RUN test -n "$SERVICE" || (echo "--build-arg SERVICE=<datanet-service|inference-gateway|attribution-worker> is required" && exit 1)
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
RUN corepack enable && corepack prepare pnpm@10.34.9 --activate
# A C compiler for the attribution worker's native suffix-array addon (build/sais.node).
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /repo
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json jest.base.js ./
COPY packages ./packages
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm install --frozen-lockfile
RUN pnpm --filter "@openledger/${SERVICE}..." run --if-present build
RUN pnpm --filter "@openledger/${SERVICE}" deploy --legacy --prod /out \
 && cp -r "packages/${SERVICE}/dist" /out/dist \
 && if [ -d "packages/${SERVICE}/drizzle" ]; then cp -r "packages/${SERVICE}/drizzle" /out/drizzle; fi \
 && if [ -d "packages/${SERVICE}/build" ]; then cp -r "packages/${SERVICE}/build" /out/build; fi

FROM node:${NODE_VERSION} AS runtime
ARG SERVICE
ENV NODE_ENV=production HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /out /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# PORT is set per service (gateway 8080, datanet-service 8081, attribution-worker 8082).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
