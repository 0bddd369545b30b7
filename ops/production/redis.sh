#!/usr/bin/env bash
# Debian's redis-server for the production-like run: installed when missing, run daemonised on
# its own port with its own directory (no system service, no persistence: it is a cache).
#
#   ops/production/redis.sh start     idempotent; last stdout line = REDIS_URL
#   ops/production/redis.sh stop      stop it (SHUTDOWN NOSAVE)
#   ops/production/redis.sh restart   stop, then start again (a fault drill: the cache comes back empty)
#
# Environment: KK_REDIS_PORT (default 6390), KK_REDIS_DIR (default var/production/redis of the checkout).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${KK_REDIS_PORT:-6390}"
DIR="${KK_REDIS_DIR:-$ROOT/var/production/redis}"
HOST="127.0.0.1"

log() { printf '[redis.sh] %s\n' "$*" >&2; }
die() { printf '[redis.sh] ERROR: %s\n' "$*" >&2; exit 1; }

cli() { redis-cli -h "$HOST" -p "$PORT" "$@"; }

running() { [[ "$(cli ping 2>/dev/null)" == "PONG" ]]; }

start() {
  if ! command -v redis-server >/dev/null 2>&1; then
    log "installing Debian's redis-server"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    # The package starts a system service on 6379 where systemd runs; this run needs none.
  fi
  mkdir -p "$DIR"
  if ! running; then
    # Run as whoever calls (root in CI); everything on the command line, no config file.
    redis-server --bind "$HOST" --port "$PORT" --dir "$DIR" --daemonize yes \
      --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" \
      --save "" --appendonly no --protected-mode yes
    local i
    for ((i = 0; i < 100; i++)); do
      running && break
      sleep 0.05
    done
    running || die "redis-server did not answer on $HOST:$PORT (see $DIR/redis.log)"
    log "running on $HOST:$PORT (pid $(cat "$DIR/redis.pid"), log $DIR/redis.log)"
  fi
  printf 'redis://%s:%s/0\n' "$HOST" "$PORT"
}

stop() {
  running || { log "not running on $HOST:$PORT"; return 0; }
  cli shutdown nosave >/dev/null 2>&1 || true
  local i
  for ((i = 0; i < 100; i++)); do
    running || { log "stopped"; return 0; }
    sleep 0.05
  done
  die "redis-server on $HOST:$PORT did not stop"
}

cmd="${1:-}"
case "$cmd" in
  start) start ;;
  stop) stop ;;
  restart) stop && start ;;
  *)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
