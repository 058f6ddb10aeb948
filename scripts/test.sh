#!/usr/bin/env bash
# Runs every test: forge tests of the contracts and every package's suite, against a real Redis,
# a real Postgres when one is reachable (and embedded PGlite in any case), and anvil.
source "$(dirname "$0")/lib.sh"
ensure_deps
ensure_redis
ensure_postgres_or_pglite
export OPENLEDGER_TEST=1
cd "$ROOT"
log "building"
pnpm -r --workspace-concurrency=1 run --if-present build
log "testing (REDIS_URL=$REDIS_URL DATABASE_URL=${DATABASE_URL:-<pglite>})"
out="$DATA_DIR/test-output.log"
status=0
pnpm -r --workspace-concurrency=1 --no-bail run --if-present test 2>&1 | tee "$out" || status=$?
# One summary line over every runner (forge and Jest print their own counts above).
node "$ROOT/scripts/summarize-tests.mjs" "$out"
exit "$status"
