#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on loopback, several server instances (one per node) and HAProxy in front:
# the reference deployment of "Running several instances" in README.md, for development and the test/cluster suite.
#
#   scripts/cluster/cluster.sh up               start what is not running (idempotent), set up license, SAML and SCIM
#   scripts/cluster/cluster.sh down             stop everything this script started and remove its data
#   scripts/cluster/cluster.sh status           one line per process
#   scripts/cluster/cluster.sh node-stop N      stop Galera node N (clean shutdown)
#   scripts/cluster/cluster.sh node-start N     start Galera node N again; it rejoins (IST) and waits for Synced
#   scripts/cluster/cluster.sh app-kill N       kill -9 server instance N
#   scripts/cluster/cluster.sh app-start N      start server instance N and wait until it is healthy
#   scripts/cluster/cluster.sh app-restart N    SIGTERM instance N, wait for it to exit, start it again
#
# Everything lives under CLUSTER_DIR (default /tmp/scim-cluster); ports come from CLUSTER_SQL_PORT (13306: nodes on
# 13306-13308), CLUSTER_GALERA_PORT (14567: Galera on 14567/14577/14587, IST on each +1), CLUSTER_SST_PORT (14444:
# rsync state transfers on 14444/14454/14464), CLUSTER_HTTP_PORT (18080: HAProxy; instances on 18081-18083).
# Loopback only.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
CLUSTER_DIR="${CLUSTER_DIR:-/tmp/scim-cluster}"
# A cluster remembers the settings it was brought up with, so later commands (node-stop, app-restart, down) find it
# again without being told; the environment still wins.
if [[ -f "$CLUSTER_DIR/settings.env" ]]; then
  while IFS='=' read -r name value; do
    if [[ "$name" =~ ^CLUSTER_(SQL_PORT|GALERA_PORT|HTTP_PORT|SST_PORT|INSTANCES)$ && -z "${!name:-}" ]]; then
      export "$name=$value"
    fi
  done <"$CLUSTER_DIR/settings.env"
fi
SQL_PORT="${CLUSTER_SQL_PORT:-13306}"
GALERA_PORT="${CLUSTER_GALERA_PORT:-14567}"
HTTP_PORT="${CLUSTER_HTTP_PORT:-18080}"
SST_PORT="${CLUSTER_SST_PORT:-14444}"
NODES=3
APPS="${CLUSTER_INSTANCES:-3}"
DB_NAME=scim
DB_USER=scim
MAIN_JS="$REPO/dist/apps/server/apps/server/src/main.js"
TS_NODE=(npx --no-install ts-node --transpile-only)

say() { printf '[cluster] %s\n' "$*" >&2; }
fail() {
  printf '[cluster] error: %s\n' "$*" >&2
  exit 1
}

check_index() {
  local n="$1" max="$2" what="$3"
  [[ "$n" =~ ^[1-9]$ ]] && ((n <= max)) || fail "$what must be a number from 1 to $max, got '${n}'"
}

node_dir() { echo "$CLUSTER_DIR/node$1"; }
node_sql_port() { echo $((SQL_PORT + $1 - 1)); }
node_galera_port() { echo $((GALERA_PORT + 10 * ($1 - 1))); }
node_sst_port() { echo $((SST_PORT + 10 * ($1 - 1))); }
app_dir() { echo "$CLUSTER_DIR/app$1"; }
app_port() { echo $((HTTP_PORT + $1)); }

# A pid from one of our pid files, only while that process is alive and is still the one we started (the command line
# names our folder or our config), so a recycled pid is never signalled.
live_pid() {
  local file="$1" mark="$2" pid
  [[ -s "$file" ]] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$mark" || return 1
  echo "$pid"
}

# Runs a long-lived process in its own session with none of our file descriptors beyond its standard ones, so a caller
# that reads our output (a pipe, CI) is not held open by the processes we leave running.
detach() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd="${fd##*/}"
    if ((fd > 2)); then eval "exec ${fd}>&-" 2>/dev/null || true; fi
  done
  exec setsid "$@"
}

wait_gone() {
  local pid="$1" seconds="$2"
  for _ in $(seq 1 $((seconds * 10))); do
    [[ -d "/proc/$pid" ]] || return 0
    sleep 0.1
  done
  return 1
}

sql() {
  local n="$1"
  shift
  mariadb --no-defaults -S "$(node_dir "$n")/mysqld.sock" -u root --batch --skip-column-names "$@"
}

node_state() { sql "$1" -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | awk '{print $2}'; }

# Installs a Debian package when what it provides is missing (a fresh CI machine may lack HAProxy or Galera).
ensure_package() {
  local present="$1" package="$2"
  if [[ -e "$present" ]] || command -v "$present" >/dev/null 2>&1; then return 0; fi
  [[ "$(id -u)" == 0 ]] || fail "$package is missing and installing it needs root: apt-get install $package"
  command -v apt-get >/dev/null || fail "$package is missing (install it with the system's package manager)"
  say "installing $package (Debian package)"
  if [[ -z "${APT_UPDATED:-}" ]]; then
    apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null || fail "installing $package failed"
}

ensure_tools() {
  ensure_package mariadbd mariadb-server
  ensure_package mariadb mariadb-client
  ensure_package /usr/lib/galera/libgalera_smm.so galera-4
  ensure_package rsync rsync
  ensure_package haproxy haproxy
  ensure_package curl curl
  ensure_package openssl openssl
  id mysql >/dev/null 2>&1 || fail "the 'mysql' system user is missing (it comes with mariadb-server)"
}

write_node_config() {
  local n="$1" dir addresses="" i
  dir="$(node_dir "$n")"
  for i in $(seq 1 $NODES); do addresses+="${addresses:+,}127.0.0.1:$(node_galera_port "$i")"; done
  cat >"$dir/my.cnf" <<EOF
[mariadbd]
user                            = mysql
datadir                         = $dir/data
socket                          = $dir/mysqld.sock
pid-file                        = $dir/mysqld.pid
log-error                       = $dir/error.log
port                            = $(node_sql_port "$n")
bind-address                    = 127.0.0.1
skip-name-resolve
character-set-server            = utf8mb4
collation-server                = utf8mb4_bin
default_storage_engine          = InnoDB
innodb_buffer_pool_size         = 128M
innodb_autoinc_lock_mode        = 2
# Durability comes from replication: a commit is in every node's memory before it is acknowledged.
innodb_flush_log_at_trx_commit  = 2
binlog_format                   = ROW
wsrep_on                        = ON
wsrep_provider                  = /usr/lib/galera/libgalera_smm.so
wsrep_cluster_name              = scim-cluster
wsrep_cluster_address           = gcomm://$addresses
wsrep_node_name                 = node$n
wsrep_node_address              = 127.0.0.1
wsrep_provider_options          = "base_port=$(node_galera_port "$n");ist.recv_addr=127.0.0.1:$(($(node_galera_port "$n") + 1));gcache.size=256M"
wsrep_sst_method                = rsync
wsrep_sst_receive_address       = 127.0.0.1:$(node_sst_port "$n")
# Reads wait until the node has applied every write committed anywhere before them: a request on one instance sees
# what the previous request wrote through another.
wsrep_sync_wait                 = 1
wsrep_slave_threads             = 2
EOF
}

start_node() {
  local n="$1" bootstrap="${2:-}" dir pid
  dir="$(node_dir "$n")"
  if pid="$(live_pid "$dir/mysqld.pid" "$dir/my.cnf")"; then
    say "node $n already running (pid $pid)"
    return 0
  fi
  if [[ ! -d "$dir/data/mysql" ]]; then
    mkdir -p "$dir/data"
    chown -R mysql:mysql "$dir"
    mariadb-install-db --no-defaults --user=mysql --datadir="$dir/data" >"$dir/install.log" 2>&1 ||
      fail "mariadb-install-db failed for node $n (see $dir/install.log)"
  fi
  write_node_config "$n"
  chown -R mysql:mysql "$dir"
  local extra=()
  if [[ "$bootstrap" == new-cluster ]]; then
    # The first node forms the cluster. After a full stop, force it safe to bootstrap from (a development cluster).
    [[ -f "$dir/data/grastate.dat" ]] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$dir/data/grastate.dat"
    extra=(--wsrep-new-cluster)
  fi
  say "starting Galera node $n (SQL 127.0.0.1:$(node_sql_port "$n"), Galera $(node_galera_port "$n"))${extra:+ as the first node}"
  rm -f "$dir/mysqld.pid"
  (cd "$dir" && detach /usr/sbin/mariadbd --defaults-file="$dir/my.cnf" "${extra[@]}" >>"$dir/stdout.log" 2>&1 </dev/null &)
  for _ in $(seq 1 240); do
    if [[ "$(node_state "$n")" == Synced ]]; then
      say "node $n Synced (cluster size $(sql "$n" -e "SHOW STATUS LIKE 'wsrep_cluster_size'" | awk '{print $2}'))"
      return 0
    fi
    if [[ -s "$dir/mysqld.pid" ]] && ! live_pid "$dir/mysqld.pid" "$dir/my.cnf" >/dev/null; then break; fi
    sleep 0.5
  done
  tail -n 30 "$dir/error.log" >&2 || true
  fail "node $n did not reach Synced (see $dir/error.log)"
}

stop_node() {
  local n="$1" dir pid
  dir="$(node_dir "$n")"
  pid="$(live_pid "$dir/mysqld.pid" "$dir/my.cnf")" || {
    say "node $n is not running"
    return 0
  }
  say "stopping Galera node $n (pid $pid)"
  kill -TERM "$pid"
  wait_gone "$pid" 60 || {
    say "node $n did not stop within 60 s; killing it"
    kill -KILL "$pid" || true
    wait_gone "$pid" 10 || true
  }
}

running_nodes() {
  local n
  for n in $(seq 1 $NODES); do
    live_pid "$(node_dir "$n")/mysqld.pid" "$(node_dir "$n")/my.cnf" >/dev/null && echo "$n"
  done
  return 0
}

ensure_database() {
  local n="$1" password
  password="$(cat "$CLUSTER_DIR/db-password")"
  sql "$n" -e "CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
    CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$password';
    GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'127.0.0.1' WITH GRANT OPTION;"
}

ensure_build() {
  local newer
  if [[ -f "$MAIN_JS" ]]; then
    newer="$(find "$REPO/apps/server/src" "$REPO/libs" -name '*.ts' ! -name '*.spec.ts' -newer "$MAIN_JS" -print -quit)"
    [[ -z "$newer" ]] && return 0
    say "sources changed since the last build ($newer); building"
  else
    say "building the server"
  fi
  (cd "$REPO" && npm run build >"$CLUSTER_DIR/build.log" 2>&1) || fail "the build failed (see $CLUSTER_DIR/build.log)"
}

wait_healthy() {
  local url="$1" seconds="$2" pid="${3:-}"
  for _ in $(seq 1 $((seconds * 4))); do
    if curl -fsS -m 2 "$url/api/system/health" >/dev/null 2>&1; then return 0; fi
    if [[ -n "$pid" && ! -d "/proc/$pid" ]]; then return 1; fi
    sleep 0.25
  done
  return 1
}

start_app() {
  local n="$1" dir port pid node password
  dir="$(app_dir "$n")"
  port="$(app_port "$n")"
  node=$(((n - 1) % NODES + 1))
  mkdir -p "$dir"
  if pid="$(live_pid "$dir/server.pid" "$MAIN_JS")"; then
    say "instance $n already running (pid $pid)"
    return 0
  fi
  password="$(cat "$CLUSTER_DIR/db-password")"
  say "starting instance $n on 127.0.0.1:$port, database on node $node"
  (
    cd "$REPO"
    export NODE_ENV=production HOST=127.0.0.1 PORT="$port" LOG_FORMAT=json LOG_LEVEL="${CLUSTER_LOG_LEVEL:-info}"
    export DATABASE_URL="mysql://$DB_USER:$password@127.0.0.1:$(node_sql_port "$node")/$DB_NAME"
    export DATA_DIR="$dir" PUBLIC_URL="http://127.0.0.1:$HTTP_PORT"
    export ADMIN_PASSWORD="$(cat "$CLUSTER_DIR/admin-password")"
    export LICENSE_PUBLIC_KEYS="$(cat "$CLUSTER_DIR/license-public.pem")"
    detach node "$MAIN_JS" >>"$dir/server.log" 2>&1 </dev/null &
    echo $! >"$dir/server.pid"
  )
}

await_app() {
  local n="$1" dir pid
  dir="$(app_dir "$n")"
  pid="$(live_pid "$dir/server.pid" "$MAIN_JS")" || pid=""
  if ! wait_healthy "http://127.0.0.1:$(app_port "$n")" 120 "$pid"; then
    tail -n 20 "$dir/server.log" >&2 || true
    fail "instance $n did not become healthy (see $dir/server.log)"
  fi
  say "instance $n healthy"
}

stop_app() {
  local n="$1" signal="$2" dir pid
  dir="$(app_dir "$n")"
  pid="$(live_pid "$dir/server.pid" "$MAIN_JS")" || {
    say "instance $n is not running"
    return 0
  }
  say "instance $n (pid $pid): SIG$signal"
  kill "-$signal" "$pid"
  wait_gone "$pid" 30 || {
    kill -KILL "$pid" || true
    wait_gone "$pid" 5 || true
  }
}

write_haproxy_config() {
  local dir="$CLUSTER_DIR/haproxy" n
  mkdir -p "$dir"
  # HAProxy's own errors (no instance up, an instance gone mid-request, a timeout) reach the client as 503 with
  # Retry-After, like the server's own "database unavailable": a client retries them, nothing else.
  for code in 502 503 504; do
    printf 'HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: application/scim+json\r\n\r\n{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"503","detail":"No server instance could answer; retry later"}\n' >"$dir/$code.http"
  done
  {
    cat <<EOF
global
    maxconn 4096
    pidfile $dir/haproxy.pid
    stats socket $dir/admin.sock mode 600 level admin

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    # A request that never reached an instance (connection refused: a stopped or killed instance) goes to another
    # one. A request an instance may have processed is never resent by the proxy: the client decides.
    retries 3
    retry-on conn-failure
    option redispatch 1
    errorfile 502 $dir/502.http
    errorfile 503 $dir/503.http
    errorfile 504 $dir/504.http

frontend scim
    bind 127.0.0.1:$HTTP_PORT
    default_backend instances

backend instances
    balance roundrobin
    option httpchk GET /api/system/health
    http-check expect status 200
    default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
    # Which instance answered: lets the test suite see the load spread (drop it in a deployment facing the internet).
    http-response set-header X-Served-By %s
EOF
    for n in $(seq 1 "$APPS"); do echo "    server app$n 127.0.0.1:$(app_port "$n") check"; done
  } >"$dir/haproxy.cfg"
}

start_haproxy() {
  local dir="$CLUSTER_DIR/haproxy" pid
  write_haproxy_config
  if pid="$(live_pid "$dir/haproxy.pid" "$dir/haproxy.cfg")"; then
    say "HAProxy already running (pid $pid)"
    return 0
  fi
  haproxy -c -q -f "$dir/haproxy.cfg" || fail "HAProxy refused its configuration ($dir/haproxy.cfg)"
  (detach haproxy -D -f "$dir/haproxy.cfg" -p "$dir/haproxy.pid" </dev/null >/dev/null 2>&1)
  say "HAProxy on 127.0.0.1:$HTTP_PORT, round robin over $APPS instances"
}

cmd_up() {
  ensure_tools
  mkdir -p "$CLUSTER_DIR"
  chmod 755 "$CLUSTER_DIR"
  printf 'CLUSTER_SQL_PORT=%s\nCLUSTER_GALERA_PORT=%s\nCLUSTER_HTTP_PORT=%s\nCLUSTER_SST_PORT=%s\nCLUSTER_INSTANCES=%s\n' \
    "$SQL_PORT" "$GALERA_PORT" "$HTTP_PORT" "$SST_PORT" "$APPS" >"$CLUSTER_DIR/settings.env"
  [[ -s "$CLUSTER_DIR/db-password" ]] || (umask 077 && openssl rand -hex 16 >"$CLUSTER_DIR/db-password")
  [[ -s "$CLUSTER_DIR/admin-password" ]] || (umask 077 && echo "Cluster-$(openssl rand -hex 12)" >"$CLUSTER_DIR/admin-password")
  (cd "$REPO" && "${TS_NODE[@]}" scripts/cluster/setup.ts keys "$CLUSTER_DIR")

  local up n
  up="$(running_nodes)"
  if [[ -z "$up" ]]; then
    start_node 1 new-cluster
  fi
  for n in $(seq 1 $NODES); do start_node "$n"; done
  ensure_database 1

  ensure_build
  for n in $(seq 1 "$APPS"); do start_app "$n"; done
  for n in $(seq 1 "$APPS"); do await_app "$n"; done
  start_haproxy
  wait_healthy "http://127.0.0.1:$HTTP_PORT" 30 || fail "HAProxy does not answer on 127.0.0.1:$HTTP_PORT"

  (cd "$REPO" && "${TS_NODE[@]}" scripts/cluster/setup.ts configure "$CLUSTER_DIR" "http://127.0.0.1:$HTTP_PORT" \
    "$NODES" "$SQL_PORT" "$APPS" "$HTTP_PORT")
}

cmd_down() {
  local n pid
  if pid="$(live_pid "$CLUSTER_DIR/haproxy/haproxy.pid" "$CLUSTER_DIR/haproxy/haproxy.cfg")"; then
    say "stopping HAProxy (pid $pid)"
    kill -TERM "$pid" || true
    wait_gone "$pid" 10 || kill -KILL "$pid" || true
  fi
  for n in $(seq 1 9); do [[ -d "$(app_dir "$n")" ]] && stop_app "$n" TERM; done
  for n in $(seq $NODES -1 1); do [[ -d "$(node_dir "$n")" ]] && stop_node "$n"; done
  if [[ -d "$CLUSTER_DIR" ]]; then
    say "removing $CLUSTER_DIR"
    rm -rf "$CLUSTER_DIR"
  fi
  return 0
}

cmd_status() {
  local n pid
  for n in $(seq 1 $NODES); do
    if pid="$(live_pid "$(node_dir "$n")/mysqld.pid" "$(node_dir "$n")/my.cnf")"; then
      echo "node$n  pid $pid  127.0.0.1:$(node_sql_port "$n")  $(node_state "$n")"
    else
      echo "node$n  stopped"
    fi
  done
  for n in $(seq 1 "$APPS"); do
    if pid="$(live_pid "$(app_dir "$n")/server.pid" "$MAIN_JS")"; then
      echo "app$n   pid $pid  127.0.0.1:$(app_port "$n")"
    else
      echo "app$n   stopped"
    fi
  done
  if pid="$(live_pid "$CLUSTER_DIR/haproxy/haproxy.pid" "$CLUSTER_DIR/haproxy/haproxy.cfg")"; then
    echo "haproxy pid $pid  127.0.0.1:$HTTP_PORT"
  else
    echo "haproxy stopped"
  fi
}

check_settings() {
  local var
  for var in SQL_PORT GALERA_PORT HTTP_PORT SST_PORT; do
    [[ "${!var}" =~ ^[0-9]+$ ]] && ((${!var} >= 1024 && ${!var} <= 65000)) ||
      fail "CLUSTER_$var must be a port number from 1024 to 65000, got '${!var}'"
  done
  [[ "$APPS" =~ ^[1-9]$ ]] || fail "CLUSTER_INSTANCES must be a number from 1 to 9, got '$APPS'"
  [[ "$CLUSTER_DIR" == /?* ]] || fail "CLUSTER_DIR must be an absolute path, got '$CLUSTER_DIR'"
}

main() {
  local command="${1:-}"
  check_settings
  case "$command" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  node-stop)
    check_index "${2:-}" $NODES "node"
    stop_node "$2"
    ;;
  node-start)
    check_index "${2:-}" $NODES "node"
    start_node "$2"
    ;;
  app-kill)
    check_index "${2:-}" "$APPS" "instance"
    stop_app "$2" KILL
    ;;
  app-start)
    check_index "${2:-}" "$APPS" "instance"
    start_app "$2"
    await_app "$2"
    ;;
  app-restart)
    check_index "${2:-}" "$APPS" "instance"
    stop_app "$2" TERM
    start_app "$2"
    await_app "$2"
    ;;
  *)
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
    [[ -z "$command" ]] && exit 2
    fail "unknown command '$command'"
    ;;
  esac
}

main "$@"
