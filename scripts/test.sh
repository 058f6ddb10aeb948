#!/usr/bin/env bash
# Runs every test: forge tests of the contracts and every package's Jest suite, against a real
# Redis, a real Postgres when one is reachable (and embedded PGlite in any case), and anvil.
source "$(dirname "$0")/lib.sh"
ensure_deps
ensure_redis
ensure_postgres_or_pglite
export OPENLEDGER_TEST=1
cd "$ROOT"
log "building"
pnpm -r --workspace-concurrency=1 run --if-present build
log "testing (REDIS_URL=$REDIS_URL DATABASE_URL=${DATABASE_URL:-<pglite>})"
pnpm -r --workspace-concurrency=1 run --if-present test
