#!/usr/bin/env bash
# The site run as production runs it, on one machine: PostgreSQL, Redis, a 2-node Elasticsearch
# cluster, two gunicorn app servers on two ports and the index worker, with DEBUG off.
# Everything it makes lives in var/production/ of the checkout (logs: var/production/<name>.log).
#
#   ops/production/site.sh start           a fresh site: database, demo content, processes (idempotent)
#   ops/production/site.sh stop            stop every process, drop the database
#   ops/production/site.sh kill-app N      SIGKILL app server N (1 or 2) and its workers, as a crash
#   ops/production/site.sh start-app N     start app server N again, wait until it answers
#   ops/production/site.sh status          what runs
#
# The environment the processes get is in var/production/env (also read by load.py).
# Settings: KK_PRODUCTION_DATABASE (kennisloket_production), KK_APP_PORTS ("8400 8401"),
# KK_REDIS_PORT (6390), KK_DEMO_SIZE (300), KK_DRAFTS (40: submitted drafts for the publishes).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/ops/production"
VAR="$ROOT/var/production"
RUN="$VAR/run"
ENV_FILE="$VAR/env"
PY="$ROOT/.venv/bin/python"
DATABASE="${KK_PRODUCTION_DATABASE:-kennisloket_production}"
read -r -a APP_PORTS <<<"${KK_APP_PORTS:-8400 8401}"
DEMO_SIZE="${KK_DEMO_SIZE:-300}"
DRAFTS="${KK_DRAFTS:-40}"
ES="$ROOT/ops/elasticsearch/es.sh"
# The cluster's state apart from the test suite's single node (es.sh keeps state per run dir),
# its data here too.
export KK_ES_RUN_DIR="$VAR/elasticsearch" KK_ES_TMP="$VAR"
export KK_REDIS_DIR="$VAR/redis"

log() { printf '[site.sh] %s\n' "$*" >&2; }
die() { printf '[site.sh] ERROR: %s\n' "$*" >&2; exit 1; }

with_env() { (set -a && source "$ENV_FILE" && set +a && cd "$ROOT" && exec "$@"); }
manage() { with_env "$PY" manage.py "$@"; }

spawn() { # name command...: in its own process group (so a kill reaches its children), logging to <name>.log
  local name="$1"
  shift
  (set -a && source "$ENV_FILE" && set +a && cd "$ROOT" && exec setsid "$@") </dev/null >>"$VAR/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
}

pid_of() { [[ -f "$RUN/$1.pid" ]] && cat "$RUN/$1.pid"; }
alive() { local p; p="$(pid_of "$1")" && kill -0 "$p" 2>/dev/null; }

wait_until() { # seconds description command...: poll until the command succeeds
  local limit="$1" what="$2" deadline
  shift 2
  deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [[ $SECONDS -lt $deadline ]] || die "$what: not within $limit s"
    sleep 0.2
  done
}

answers() { curl -fsS -o /dev/null -m 5 "$1"; }

app_port() { # $1 = 1 or 2
  [[ "$1" =~ ^[0-9]+$ && "$1" -ge 1 && "$1" -le ${#APP_PORTS[@]} ]] || die "no app server $1"
  printf '%s\n' "${APP_PORTS[$(($1 - 1))]}"
}

start_app() {
  local n="$1" port
  port="$(app_port "$n")"
  alive "app-$n" && { log "app server $n is running"; return 0; }
  # Production's configuration (processes with threads, one access line per request).
  spawn "app-$n" "$ROOT/.venv/bin/gunicorn" -c python:website.gunicorn_conf website.wsgi:application \
    --bind "127.0.0.1:$port" --workers 2
  wait_until 60 "app server $n on port $port" answers "http://127.0.0.1:$port/health/ready"
  log "app server $n: http://127.0.0.1:$port (pid $(pid_of "app-$n"), log var/production/app-$n.log)"
}

kill_group() { # name signal
  local p
  p="$(pid_of "$1")" || return 0
  kill "-$2" -- "-$p" 2>/dev/null || true
}

kill_app() {
  local n="$1"
  app_port "$n" >/dev/null
  alive "app-$n" || die "app server $n is not running"
  kill_group "app-$n" KILL
  rm -f "$RUN/app-$n.pid"
  log "app server $n killed (SIGKILL to its process group)"
}

stop_process() { # name: TERM, then KILL after 20 s
  local p i
  p="$(pid_of "$1")" || return 0
  kill_group "$1" TERM
  for ((i = 0; i < 200; i++)); do
    kill -0 "$p" 2>/dev/null || break
    sleep 0.1
  done
  kill_group "$1" KILL
  rm -f "$RUN/$1.pid"
}

write_env() { # $1 DATABASE_URL, $2 REDIS_URL, $3 ELASTICSEARCH_URL (nodes comma-separated)
  local site_url="http://127.0.0.1:${APP_PORTS[0]}" app_urls="" port
  for port in "${APP_PORTS[@]}"; do app_urls+="${app_urls:+,}http://127.0.0.1:$port"; done
  cat >"$ENV_FILE" <<EOF
DJANGO_SETTINGS_MODULE=website.settings.base
DEBUG=false
SECRET_KEY=production-trial-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
ALLOWED_HOSTS=127.0.0.1,localhost
SITE_URL=$site_url
SECURE_SSL_REDIRECT=false
SESSION_COOKIE_SECURE=false
CSRF_COOKIE_SECURE=false
DATABASE_URL=$1
DATABASE_CONN_MAX_AGE=60
REDIS_URL=$2
ELASTICSEARCH_URL=$3
ELASTICSEARCH_REPLICAS=1
MEDIA_ROOT=$VAR/media
STATIC_ROOT=$VAR/static
# Every mail a file in var/production/mail/, as an SMTP server would have received it.
EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
EMAIL_FILE_PATH=$VAR/mail
EXPORT_RATE_LIMIT=100000
PYTHONUNBUFFERED=1
KK_APP_URLS=$app_urls
EOF
}

start() {
  if [[ -f "$ENV_FILE" ]] && alive worker && alive app-1 && alive app-2; then
    log "already running"
    return 0
  fi
  [[ -f "$ENV_FILE" ]] && stop
  rm -rf "$VAR"
  mkdir -p "$RUN"
  local t0=$SECONDS database_url redis_url es_url
  "$HERE/postgres.sh" drop "$DATABASE" 2>/dev/null || true
  database_url="$("$HERE/postgres.sh" start "$DATABASE" | tail -n 1)"
  redis_url="$("$HERE/redis.sh" start | tail -n 1)"
  "$ES" start --nodes 2 >/dev/null
  es_url="$(sed -n 's/^URLS="\(.*\)"$/\1/p' "$KK_ES_RUN_DIR/state" | tr ' ' ',')"
  write_env "$database_url" "$redis_url" "$es_url"
  log "services up after $((SECONDS - t0)) s; preparing the site"

  manage migrate --noinput -v 0
  manage load_demo --size "$DEMO_SIZE" >"$VAR/load_demo.log" 2>&1 || { tail -n 40 "$VAR/load_demo.log" >&2; die "load_demo failed"; }
  manage setup_roles >"$VAR/setup_roles.log" 2>&1
  # Submitted drafts and a moderator (with an authenticator app) to approve them during the load:
  # the service tests' preparation, run once more on this site.
  with_env "$PY" tests/service/prepare_registry_site.py "$DRAFTS" >"$VAR/publishes.json" 2>"$VAR/prepare.log" \
    || { tail -n 40 "$VAR/prepare.log" >&2; die "preparing the drafts failed"; }
  manage collectstatic --noinput -v 0
  # Every shard has its replica before a node may be lost.
  curl -fsS -m 70 "${es_url%%,*}/_cluster/health?wait_for_status=green&timeout=60s" >/dev/null \
    || die "Elasticsearch did not turn green"
  log "site prepared after $((SECONDS - t0)) s"

  spawn worker "$PY" manage.py run_worker
  local n
  for n in $(seq 1 ${#APP_PORTS[@]}); do start_app "$n"; done
  alive worker || die "the worker stopped (see var/production/worker.log)"
  log "running after $((SECONDS - t0)) s"
}

stop() {
  local name
  for name in worker $(for n in $(seq 1 ${#APP_PORTS[@]}); do echo "app-$n"; done); do
    stop_process "$name"
  done
  "$ES" stop 2>/dev/null || true
  "$HERE/redis.sh" stop 2>/dev/null || true
  "$HERE/postgres.sh" drop "$DATABASE" 2>/dev/null || true
  log "stopped (logs kept in var/production/)"
}

status() {
  local name
  for name in worker app-1 app-2; do
    if alive "$name"; then echo "$name: running (pid $(pid_of "$name"))"; else echo "$name: not running"; fi
  done
  "$ES" status | sed -n 's/^health: *//p'
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  start) start ;;
  stop) stop ;;
  kill-app) kill_app "${1:?kill-app needs 1 or 2}" ;;
  start-app) start_app "${1:?start-app needs 1 or 2}" ;;
  status) status ;;
  *)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
