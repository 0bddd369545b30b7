#!/usr/bin/env bash
# Debian's PostgreSQL for CI and the production-like run: installed when missing, its cluster
# started (no system service), the role kennisloket (CREATEDB) and one database made.
#
#   ops/production/postgres.sh start [DATABASE]   idempotent; last stdout line = DATABASE_URL
#   ops/production/postgres.sh drop DATABASE      drop that database (if it exists)
#
# Needs root (apt-get, `su postgres`), as CI runs. DATABASE defaults to kennisloket.
set -euo pipefail

ROLE="kennisloket"
PASSWORD="kennisloket"

log() { printf '[postgres.sh] %s\n' "$*" >&2; }
die() { printf '[postgres.sh] ERROR: %s\n' "$*" >&2; exit 1; }

valid_name() { [[ "$1" =~ ^[a-z_][a-z0-9_]*$ ]] || die "not a plain database name: $1"; }

cluster() { # sets PG_VERSION and PG_PORT of the newest installed server's cluster "main"
  PG_VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  PG_PORT=$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $3}')
}

as_postgres() { su postgres -c "$*"; }

start() {
  local database="${1:-kennisloket}"
  valid_name "$database"
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    log "installing Debian's postgresql"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  cluster
  if [[ -z "$PG_PORT" ]]; then
    pg_createcluster "$PG_VERSION" main >/dev/null
    cluster
  fi
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start >/dev/null 2>&1 || true # running already
  local i
  for ((i = 0; i < 60; i++)); do
    as_postgres "pg_isready -q -p $PG_PORT" && break
    sleep 0.5
  done
  as_postgres "pg_isready -q -p $PG_PORT" || die "PostgreSQL $PG_VERSION did not start"
  as_postgres "psql -q -p $PG_PORT" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END \$\$;
SQL
  as_postgres "psql -q -p $PG_PORT -tc \"SELECT 1 FROM pg_database WHERE datname = '$database'\"" | grep -q 1 \
    || as_postgres "createdb -p $PG_PORT -O $ROLE $database"
  log "PostgreSQL $PG_VERSION on port $PG_PORT, database $database"
  printf 'postgres://%s:%s@127.0.0.1:%s/%s\n' "$ROLE" "$PASSWORD" "$PG_PORT" "$database"
}

drop() {
  local database="${1:?drop needs a database name}"
  valid_name "$database"
  cluster
  as_postgres "dropdb -p $PG_PORT --if-exists --force $database"
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  start) start "$@" ;;
  drop) drop "$@" ;;
  *)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
