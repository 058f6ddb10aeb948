# Shared shell helpers for scripts/*.sh: make sure the tools and servers the project needs exist.
# Sourced, not run. Everything here is idempotent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${OPENLEDGER_DATA_DIR:-$ROOT/.data}"
mkdir -p "$DATA_DIR"

log() { printf '\033[1;34m[openledger]\033[0m %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  log "installing $* from Debian packages"
  if [ -z "${_APT_UPDATED:-}" ]; then as_root apt-get update -qq >/dev/null; _APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_node() {
  command -v node >/dev/null || { log "Node.js 20 is required"; exit 1; }
  local major; major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || { log "Node.js >= 20 required, found $(node -v)"; exit 1; }
}

ensure_pnpm() {
  if ! command -v pnpm >/dev/null || [ "$(pnpm -v | cut -d. -f1)" != 10 ]; then
    log "installing pnpm 10"
    npm install -g pnpm@10 >/dev/null 2>&1 || as_root npm install -g pnpm@10 >/dev/null
  fi
}

# A C compiler builds the attribution worker's native suffix-array addon (twice as fast as the
# TypeScript fallback, which is used when none can be installed).
ensure_cc() {
  command -v cc >/dev/null && return 0
  apt_install gcc libc6-dev || log "no C compiler: the span index builds with the TypeScript suffix array (slower)"
}

ensure_deps() {
  ensure_node; ensure_pnpm; ensure_cc
  (cd "$ROOT" && pnpm install --frozen-lockfile --reporter=silent)
  export PATH="$ROOT/packages/contracts/node_modules/.bin:$ROOT/node_modules/.bin:$PATH"
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# REDIS_URL: the one given, else a server on 127.0.0.1:6379, else our own redis-server on 6390.
ensure_redis() {
  if [ -n "${REDIS_URL:-}" ]; then return; fi
  if port_open 127.0.0.1 6379; then export REDIS_URL=redis://127.0.0.1:6379; return; fi
  command -v redis-server >/dev/null || apt_install redis-server
  if ! port_open 127.0.0.1 6390; then
    log "starting redis-server on 127.0.0.1:6390 (data in $DATA_DIR/redis)"
    mkdir -p "$DATA_DIR/redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6390 --dir "$DATA_DIR/redis" \
      --appendonly yes --logfile "$DATA_DIR/redis/redis.log" --pidfile "$DATA_DIR/redis/redis.pid"
    for _ in $(seq 50); do port_open 127.0.0.1 6390 && break; sleep 0.1; done
  fi
  export REDIS_URL=redis://127.0.0.1:6390
}

# DATABASE_URL: the one given, else a Postgres on 127.0.0.1:5432 (user postgres), else unset,
# which makes every service use embedded PGlite.
ensure_postgres_or_pglite() {
  if [ -n "${DATABASE_URL:-}" ]; then return; fi
  if port_open 127.0.0.1 5432; then export DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres; return; fi
  log "no Postgres on 127.0.0.1:5432: services use embedded PGlite"
}
