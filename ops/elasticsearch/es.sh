#!/usr/bin/env bash
# Local Elasticsearch 8 for Kennisloket Krachtwijken -- no Docker, only Maven Central.
#
#   ops/elasticsearch/es.sh start [--port P] [--nodes N]   start (idempotent); last stdout line = URL
#   ops/elasticsearch/es.sh stop                           stop, remove data dir
#   ops/elasticsearch/es.sh url                            print URL of the running node (exit 1 if none)
#   ops/elasticsearch/es.sh status                         human-readable status (exit 0 running, 3 not)
#   ops/elasticsearch/es.sh prepare                        only download/unpack (e.g. CI warm-up)
#   ops/elasticsearch/es.sh logs                           tail the node log(s)
#   ops/elasticsearch/es.sh kill-node I | start-node I     crash node I (SIGKILL) | start it again on its data
#
# Environment overrides (all optional):
#   KK_ES_PORT        default base HTTP port when --port is not given (9250; next free one is used)
#   KK_ES_JAVA_OPTS   JVM heap etc. (default "-Xms512m -Xmx1g")
#   KK_ES_TIMEOUT     seconds to wait for health >= yellow (default 180)
#   KK_ES_USER        unprivileged user used when run as root (default kkes; created if missing)
#   KK_ES_CACHE_DIR   unpacked distribution (default ops/elasticsearch/.cache)
#   KK_ES_RUN_DIR     pid/URL state (default ops/elasticsearch/.run)
#   KK_ES_TMP         parent of the per-run data dir (default /tmp; must be reachable by KK_ES_USER)
#   KK_ES_EXTRA_CONFIG_DIR  directory whose files are copied into each node's config dir (synonyms_path etc.)
#   ES_JAVA_HOME / JAVA_HOME   Java 17+ (default: the `java` on PATH)
#
# Everything except the URL goes to stderr, so `URL=$(ops/elasticsearch/es.sh start | tail -n1)` works.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ES_VERSION="8.19.21" # keep in sync with <es.version> in pom.xml
CACHE_DIR="${KK_ES_CACHE_DIR:-$HERE/.cache}"
RUN_DIR="${KK_ES_RUN_DIR:-$HERE/.run}"
STATE="$RUN_DIR/state"
DEFAULT_PORT="${KK_ES_PORT:-9250}"
JAVA_OPTS_DEFAULT="${KK_ES_JAVA_OPTS:--Xms512m -Xmx1g}"
TIMEOUT="${KK_ES_TIMEOUT:-180}"
ES_USER="${KK_ES_USER:-kkes}"
HOST="127.0.0.1"
CLUSTER_NAME="kk-local"

log() { printf '[es.sh] %s\n' "$*" >&2; }
die() { printf '[es.sh] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------- helpers

java_home() {
  local jh="${ES_JAVA_HOME:-${JAVA_HOME:-}}"
  if [[ -z "$jh" ]]; then
    local j
    j="$(command -v java || true)"
    [[ -n "$j" ]] || die "no Java found: install Java 17+ or set ES_JAVA_HOME"
    jh="$(dirname "$(dirname "$(readlink -f "$j")")")"
  fi
  [[ -x "$jh/bin/java" ]] || die "ES_JAVA_HOME/JAVA_HOME '$jh' has no bin/java"
  local major
  major="$("$jh/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [[ "${major%%.*}" -ge 17 ]] 2>/dev/null || die "Java 17+ required, found '$major' in $jh"
  printf '%s\n' "$jh"
}

es_home() { printf '%s\n' "$CACHE_DIR/dist/elasticsearch-$ES_VERSION"; }

port_busy() { # true if something listens on 127.0.0.1:$1 (or on any address)
  local p="$1"
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "sport = :$p" 2>/dev/null)" ]] && return 0
  fi
  (exec 3<>"/dev/tcp/$HOST/$p") 2>/dev/null && return 0
  return 1
}

ports_free() { # base count -> true if base..base+count-1 and their transport ports (+100) are free
  local base="$1" n="$2" i
  for ((i = 0; i < n; i++)); do
    port_busy $((base + i)) && return 1
    port_busy $((base + 100 + i)) && return 1
  done
  return 0
}

read_state() { # sets URL URLS PGIDS WORK_DIR NODES PORT RUN_HOME
  URL="" URLS="" PGIDS="" WORK_DIR="" NODES="" PORT="" RUN_HOME=""
  [[ -f "$STATE" ]] || return 1
  # shellcheck disable=SC1090
  source "$STATE"
}

alive() { # any recorded process group still has processes?
  local g
  for g in $PGIDS; do
    pgrep -g "$g" >/dev/null 2>&1 && return 0
  done
  return 1
}

health_json() { # $1 = url
  curl -s -m 3 "$1/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null || true
}

healthy() { # $1 = url, $2 = expected nodes
  local h
  h="$(health_json "$1")"
  [[ "$h" == *'"status":"green"'* || "$h" == *'"status":"yellow"'* ]] || return 1
  [[ "$h" == *"\"number_of_nodes\":$2,"* ]] || return 1
  return 0
}

as_es_user() { # run a command as the unprivileged user when we are root
  if [[ "$(id -u)" -eq 0 ]]; then
    setpriv --reuid="$ES_USER" --regid="$ES_USER" --init-groups -- "$@"
  else
    "$@"
  fi
}

ensure_user() {
  [[ "$(id -u)" -eq 0 ]] || return 0
  if ! id -u "$ES_USER" >/dev/null 2>&1; then
    log "creating system user '$ES_USER' (Elasticsearch refuses to run as root)"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$ES_USER" \
      || die "could not create user $ES_USER"
  fi
}

tail_logs() { # $1 = work dir
  local d f
  for d in "$1"/node-*; do
    [[ -d "$d" ]] || continue
    for f in "$d/stdout.log" "$d/logs/$CLUSTER_NAME.log"; do
      [[ -s "$f" ]] || continue
      printf '\n----- tail of %s -----\n' "$f" >&2
      tail -n 40 "$f" >&2
    done
  done
}

kill_groups() { # $@ = pgids; TERM, wait up to 30 s, then KILL
  local g i own
  own="$(ps -o pgid= -p $$ | tr -d ' ')"
  set -- $(for g in "$@"; do [[ "$g" =~ ^[0-9]+$ && "$g" -gt 1 && "$g" != "$own" ]] && echo "$g"; done)
  [[ $# -gt 0 ]] || return 0
  for g in "$@"; do kill -TERM -- "-$g" 2>/dev/null || true; done
  for ((i = 0; i < 300; i++)); do
    local any=0
    for g in "$@"; do pgrep -g "$g" >/dev/null 2>&1 && any=1; done
    [[ $any -eq 0 ]] && return 0
    sleep 0.1
  done
  log "processes did not stop after 30 s, sending KILL"
  for g in "$@"; do kill -KILL -- "-$g" 2>/dev/null || true; done
  sleep 0.5
}

# ---------------------------------------------------------------------------- prepare

run_mvn() { # quiet Maven on stderr, without ANSI colour codes
  local rc=0
  mvn -B -q -Dstyle.color=never -f "$HERE/pom.xml" "$@" 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^[[:space:]]*$/d' >&2 || rc=$?
  return "$rc"
}

prepare() {
  local jh home
  jh="$(java_home)"
  home="$(es_home)"
  mkdir -p "$CACHE_DIR"
  if [[ ! -f "$home/.kk-complete" ]]; then
    log "resolving Elasticsearch $ES_VERSION (org.elasticsearch.distribution.integ-test-zip) via Maven ..."
    local t0=$SECONDS tmp="$CACHE_DIR/dist.tmp.$$"
    rm -rf "$tmp"
    command -v mvn >/dev/null 2>&1 || die "mvn not found (Maven 3 is needed to fetch Elasticsearch from Maven Central)"
    if ! run_mvn dependency:unpack -Des.unpack.dir="$tmp"; then
      log "online resolution failed, retrying offline (-o) from ~/.m2 ..."
      run_mvn -o dependency:unpack -Des.unpack.dir="$tmp" \
        || { rm -rf "$tmp"; die "Maven could not resolve org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"; }
    fi
    [[ -x "$tmp/elasticsearch-$ES_VERSION/bin/elasticsearch" ]] || { rm -rf "$tmp"; die "unpacked distribution has no bin/elasticsearch"; }
    rm -rf "$CACHE_DIR/dist"
    mkdir -p "$CACHE_DIR/dist"
    mv "$tmp/elasticsearch-$ES_VERSION" "$home"
    rm -rf "$tmp"
    touch "$home/.kk-complete"
    log "distribution ready in $((SECONDS - t0)) s: $home"
  fi
  # The server runs as published: an analysis plugin that earlier versions of this script
  # built into the cached distribution is taken out again.
  rm -rf "$home/plugins/kk-analysis-shim"
}

launch_node() { # $1 node dir, $2 java home, $3 ES home -> LAUNCHED_PID (= its process group)
  local nd="$1" jh="$2" run_home="$3"
  # setsid: own process group, so `stop` can end the launcher and the server JVM together
  (
    exec 9>&- # do not let Elasticsearch inherit the lock
    cd "$nd"
    export ES_PATH_CONF="$nd/config" ES_TMPDIR="$nd/tmp" ES_JAVA_HOME="$jh" ES_JAVA_OPTS="$JAVA_OPTS_DEFAULT"
    unset JAVA_TOOL_OPTIONS _JAVA_OPTIONS
    if [[ "$(id -u)" -eq 0 ]]; then
      exec setsid setpriv --reuid="$ES_USER" --regid="$ES_USER" --init-groups -- "$run_home/bin/elasticsearch"
    else
      exec setsid "$run_home/bin/elasticsearch"
    fi
  ) </dev/null >>"$nd/stdout.log" 2>&1 &
  local pid=$! w
  # setsid makes the child a process-group leader (pgid == pid); wait until that has happened so that
  # we never record (and later signal) our caller's process group
  for ((w = 0; w < 100; w++)); do
    [[ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" == "$pid" ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  LAUNCHED_PID="$pid"
}

# ---------------------------------------------------------------------------- start

start() {
  local want_port="" nodes=1
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --port) want_port="${2:?--port needs a value}"; shift 2 ;;
      --port=*) want_port="${1#*=}"; shift ;;
      --nodes) nodes="${2:?--nodes needs a value}"; shift 2 ;;
      --nodes=*) nodes="${1#*=}"; shift ;;
      *) die "unknown option for start: $1" ;;
    esac
  done
  [[ "$nodes" =~ ^[1-9]$ ]] || die "--nodes must be 1..9"
  [[ -z "$want_port" || "$want_port" =~ ^[0-9]+$ ]] || die "--port must be a number"

  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/.lock"
  flock -w 300 9 || die "another es.sh start/stop is running (lock $RUN_DIR/.lock)"

  # idempotency
  if read_state; then
    if alive && healthy "$URL" "$NODES"; then
      [[ -n "$want_port" && "$want_port" != "$PORT" ]] && log "already running on port $PORT (ignoring --port $want_port)"
      [[ "$nodes" != "$NODES" ]] && log "already running with $NODES node(s) (ignoring --nodes $nodes)"
      log "already running and healthy"
      printf '%s\n' "$URL"
      return 0
    fi
    if alive; then
      log "a previous node is running but not healthy; restarting it"
    else
      log "removing stale state of a node that is no longer running"
    fi
    stop_locked
  fi

  local jh home
  jh="$(java_home)"
  prepare
  home="$(es_home)"
  ensure_user

  # ports
  local base
  if [[ -n "$want_port" ]]; then
    ports_free "$want_port" "$nodes" \
      || die "port $want_port..$((want_port + nodes - 1)) (HTTP) or $((want_port + 100))..$((want_port + 99 + nodes)) (transport) is in use"
    base="$want_port"
  else
    base="$DEFAULT_PORT"
    local tries=0
    until ports_free "$base" "$nodes"; do
      base=$((base + nodes))
      tries=$((tries + 1))
      [[ $tries -lt 100 ]] || die "no free port range found from $DEFAULT_PORT upwards"
    done
  fi

  # work dir (data, logs, config, tmp), removed by `stop`
  local work
  work="$(mktemp -d "${KK_ES_TMP:-/tmp}/kk-es.XXXXXX")"
  chmod 755 "$work"

  # the unprivileged user must be able to read the distribution; copy it if the checkout is not readable
  local run_home="$home"
  if [[ "$(id -u)" -eq 0 ]] && ! as_es_user test -r "$home/lib/elasticsearch-$ES_VERSION.jar" 2>/dev/null; then
    log "$home is not readable by $ES_USER; using a copy under $work"
    cp -a "$home" "$work/home"
    run_home="$work/home"
  fi

  local i seeds="" masters=""
  for ((i = 1; i <= nodes; i++)); do
    seeds+="${seeds:+, }\"$HOST:$((base + 99 + i))\""
    masters+="${masters:+, }\"kk-node-$i\""
  done

  local pgids="" urls=""
  for ((i = 1; i <= nodes; i++)); do
    local nd="$work/node-$i" http=$((base + i - 1)) transport=$((base + 99 + i))
    mkdir -p "$nd/data" "$nd/logs" "$nd/tmp" "$nd/config"
    cp -r "$run_home/config/." "$nd/config/"
    # optional project files for the config dir (e.g. analysis/synonyms_nl.txt for "synonyms_path")
    if [[ -n "${KK_ES_EXTRA_CONFIG_DIR:-}" ]]; then
      [[ -d "$KK_ES_EXTRA_CONFIG_DIR" ]] || die "KK_ES_EXTRA_CONFIG_DIR '$KK_ES_EXTRA_CONFIG_DIR' is not a directory"
      cp -r "$KK_ES_EXTRA_CONFIG_DIR/." "$nd/config/"
    fi
    {
      echo "cluster.name: $CLUSTER_NAME"
      echo "node.name: kk-node-$i"
      echo "network.host: $HOST"
      echo "http.port: $http"
      echo "transport.port: $transport"
      echo "path.data: $nd/data"
      echo "path.logs: $nd/logs"
      echo "xpack.security.enabled: false"
      echo "action.destructive_requires_name: false"
      echo "cluster.routing.allocation.disk.threshold_enabled: false"
      if [[ "$nodes" -eq 1 ]]; then
        echo "discovery.type: single-node"
      else
        echo "discovery.seed_hosts: [$seeds]"
        echo "cluster.initial_master_nodes: [$masters]"
      fi
    } >"$nd/config/elasticsearch.yml"
    [[ "$(id -u)" -eq 0 ]] && chown -R "$ES_USER:" "$nd"

    launch_node "$nd" "$jh" "$run_home"
    pgids+="${pgids:+ }$LAUNCHED_PID"
    urls+="${urls:+ }http://$HOST:$http"
  done

  local url="http://$HOST:$base"
  {
    echo "URL=$url"
    echo "URLS=\"$urls\""
    echo "PGIDS=\"$pgids\""
    echo "WORK_DIR=$work"
    echo "NODES=$nodes"
    echo "PORT=$base"
    echo "RUN_HOME=$run_home"
    echo "ES_VERSION=$ES_VERSION"
    echo "STARTED=$(date -Is)"
  } >"$STATE"
  PGIDS="$pgids"

  log "starting $nodes node(s), Elasticsearch $ES_VERSION, $url (data in $work) ..."
  local t0=$SECONDS deadline=$((SECONDS + TIMEOUT))
  while true; do
    if healthy "$url" "$nodes"; then break; fi
    local g dead=0
    for g in $pgids; do pgrep -g "$g" >/dev/null 2>&1 || dead=1; done
    if [[ $dead -eq 1 ]]; then
      log "a node process exited during startup"
      fail_start "$work" "$pgids"
    fi
    if [[ $SECONDS -ge $deadline ]]; then
      log "timed out after ${TIMEOUT}s waiting for cluster health >= yellow with $nodes node(s)"
      log "last health answer: $(health_json "$url")"
      fail_start "$work" "$pgids"
    fi
    sleep 0.5
  done
  log "healthy after $((SECONDS - t0)) s: $(health_json "$url" | sed -n 's/.*"status":"\([a-z]*\)".*"number_of_nodes":\([0-9]*\).*/status=\1 nodes=\2/p')"
  printf '%s\n' "$url"
}

fail_start() { # $1 work dir, $2 pgids
  tail_logs "$1"
  mkdir -p "$RUN_DIR/last-failure"
  rm -rf "$RUN_DIR/last-failure"/*
  local d
  for d in "$1"/node-*; do
    [[ -d "$d" ]] || continue
    mkdir -p "$RUN_DIR/last-failure/$(basename "$d")"
    cp -r "$d/stdout.log" "$d/logs" "$d/config/elasticsearch.yml" "$RUN_DIR/last-failure/$(basename "$d")/" 2>/dev/null || true
  done
  # shellcheck disable=SC2086
  kill_groups $2
  rm -rf "$1" "$STATE"
  die "Elasticsearch did not start (logs kept in $RUN_DIR/last-failure)"
}

# ---------------------------------------------------------------------------- one node of a cluster
# For fault drills (ops/production/): crash one node, later start it again on its own data.

node_pgid() { # $1 = node number -> its recorded process group
  local i=0 g
  for g in $PGIDS; do
    i=$((i + 1))
    [[ $i -eq $1 ]] && { printf '%s\n' "$g"; return 0; }
  done
  return 1
}

kill_node() {
  local n="${1:?kill-node needs a node number}" g i
  read_state || die "not running"
  g="$(node_pgid "$n")" || die "no node $n (the cluster has $NODES)"
  kill -KILL -- "-$g" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    pgrep -g "$g" >/dev/null 2>&1 || break
    sleep 0.1
  done
  log "node $n killed (SIGKILL to process group $g)"
}

start_node() {
  local n="${1:?start-node needs a node number}" g
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/.lock"
  flock -w 300 9 || die "another es.sh start/stop is running (lock $RUN_DIR/.lock)"
  read_state || die "not running"
  g="$(node_pgid "$n")" || die "no node $n (the cluster has $NODES)"
  if pgrep -g "$g" >/dev/null 2>&1; then
    log "node $n is running"
    return 0
  fi
  launch_node "$WORK_DIR/node-$n" "$(java_home)" "$RUN_HOME"
  local pgids="" i=0
  for g in $PGIDS; do
    i=$((i + 1))
    [[ $i -eq $n ]] && g="$LAUNCHED_PID"
    pgids+="${pgids:+ }$g"
  done
  sed -i "s/^PGIDS=.*/PGIDS=\"$pgids\"/" "$STATE"
  # Health from a node that kept running: the restarted one may be the first in URLS.
  local url deadline=$((SECONDS + TIMEOUT)) t0=$SECONDS
  i=0
  for url in $URLS; do
    i=$((i + 1))
    [[ $i -ne $n ]] && break
  done
  until healthy "$url" "$NODES"; do
    pgrep -g "$LAUNCHED_PID" >/dev/null 2>&1 || die "node $n exited during startup (see $WORK_DIR/node-$n/stdout.log)"
    [[ $SECONDS -lt $deadline ]] || die "node $n did not join within ${TIMEOUT}s"
    sleep 0.5
  done
  log "node $n back after $((SECONDS - t0)) s: $NODES nodes in the cluster"
}

# ---------------------------------------------------------------------------- stop / url / status

stop_locked() {
  if ! read_state; then
    log "not running"
    return 0
  fi
  # shellcheck disable=SC2086
  [[ -n "$PGIDS" ]] && kill_groups $PGIDS
  if [[ -n "$WORK_DIR" && "$WORK_DIR" == */kk-es.* && -d "$WORK_DIR" ]]; then
    rm -rf "$WORK_DIR"
  fi
  rm -f "$STATE"
  local p="${PORT:-}"
  if [[ -n "$p" ]] && port_busy "$p"; then
    log "warning: port $p is still in use after stop"
  fi
  log "stopped (removed $WORK_DIR)"
}

stop() {
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/.lock"
  flock -w 300 9 || die "another es.sh start/stop is running (lock $RUN_DIR/.lock)"
  stop_locked
}

url() {
  read_state && alive || { log "not running"; exit 1; }
  printf '%s\n' "$URL"
}

status() {
  if ! read_state; then
    echo "not running"
    exit 3
  fi
  if ! alive; then
    echo "not running (stale state for $URL; run 'es.sh stop' or 'es.sh start')"
    exit 3
  fi
  echo "url:      $URL"
  echo "nodes:    $NODES ($URLS)"
  echo "version:  $ES_VERSION"
  echo "started:  $STARTED"
  echo "data dir: $WORK_DIR"
  local g
  for g in $PGIDS; do
    local pids
    pids="$(pgrep -d, -g "$g" || true)"
    [[ -n "$pids" ]] || continue
    ps -o pid=,rss=,args= -p "$pids" 2>/dev/null | awk '{ kind = "other"; if ($0 ~ /CliToolLauncher/) kind = "cli launcher JVM"; else if ($0 ~ /bootstrap.Elasticsearch/) kind = "server JVM"; else if ($0 ~ /bin\/java/) kind = "JVM"; printf "process:  pid %s, rss %.0f MiB, %s\n", $1, $2/1024, kind }'
  done
  echo "health:   $(health_json "$URL")"
  healthy "$URL" "$NODES" || exit 4
}

logs() {
  read_state || die "not running"
  tail_logs "$WORK_DIR"
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  start) start "$@" ;;
  stop) stop ;;
  url) url ;;
  status) status ;;
  prepare) prepare ;;
  logs) logs ;;
  kill-node) kill_node "$@" ;;
  start-node) start_node "$@" ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
