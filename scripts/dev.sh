#!/usr/bin/env bash
# Sets up and runs the whole stack on one machine with embedded defaults.
source "$(dirname "$0")/lib.sh"
ensure_deps
ensure_redis
ensure_postgres_or_pglite
cd "$ROOT"
pnpm -r --workspace-concurrency=1 run --if-present build
exec node infra/dev/stack.mjs "$@"
