# The inference gateway with its OpenLoRA engine on a CUDA host: the same code as service.Dockerfile's
# inference-gateway image, on a CUDA runtime base so node-llama-cpp picks its CUDA build.
# Models are not baked in: mount the base GGUF and the adapters at /models (read-only).
#   docker build -f infra/docker/engine.Dockerfile -t openledger/inference-engine .
ARG CUDA_IMAGE=nvidia/cuda:12.4.1-runtime-ubuntu22.04

FROM node:20-bookworm-slim AS build
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
RUN corepack enable && corepack prepare pnpm@10.34.9 --activate
WORKDIR /repo
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json jest.base.js ./
COPY packages ./packages
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm install --frozen-lockfile
RUN pnpm --filter "@openledger/inference-gateway..." run --if-present build
RUN pnpm --filter "@openledger/inference-gateway" deploy --legacy --prod /out \
 && cp -r packages/inference-gateway/dist /out/dist \
 && cp -r packages/inference-gateway/drizzle /out/drizzle

FROM ${CUDA_IMAGE} AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
 && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - \
 && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 engine
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 DATA_DIR=/data BASE_MODEL_PATH=/models/base.gguf
WORKDIR /app
COPY --from=build --chown=engine:engine /out /app
RUN mkdir -p /data /models && chown engine:engine /data
USER engine
VOLUME ["/data", "/models"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
