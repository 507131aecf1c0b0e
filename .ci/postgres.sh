#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests: initdb in a temporary directory, on a free loopback port,
# trust authentication on loopback only, no data kept.
#
#   .ci/postgres.sh run <command…>   start a cluster, run the command with TEST_DATABASE_URL set, stop it
#                                    (when TEST_DATABASE_URL is already set, just run the command there)
#   .ci/postgres.sh start <dir>      start a cluster in <dir> (created); prints its URL
#   .ci/postgres.sh stop <dir>       stop it and delete <dir>
#
# Installs Debian's postgresql package when no initdb is found (needs root; CI runs as root).
# As root, the cluster runs as the postgres user (PostgreSQL refuses to run as root).
set -euo pipefail

find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

ensure_installed() {
  if ! find_bin >/dev/null; then
    echo "PostgreSQL server not found: installing Debian's postgresql package" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y postgresql >&2
  fi
  find_bin
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local dir=$1 bin port
  bin=$(ensure_installed)
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  port=$(free_port)
  # Loopback only, trust there (initdb --auth=trust writes host lines for 127.0.0.1/::1 and local).
  # Durability is not needed for throw-away test data: fsync off makes CREATE DATABASE per test fast.
  cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 400
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
CONF
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "postgres://postgres@127.0.0.1:$port/postgres"
}

stop() {
  local dir=$1 bin
  bin=$(find_bin) || true
  if [ -n "${bin:-}" ] && [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?directory}" ;;
  stop) stop "${2:?directory}" ;;
  run)
    shift
    if [ -n "${TEST_DATABASE_URL:-}" ]; then exec "$@"; fi
    dir=$(mktemp -d /tmp/sj-postgres.XXXXXX)
    chmod 755 "$dir"
    trap 'stop "$dir"' EXIT
    TEST_DATABASE_URL=$(start "$dir")
    export TEST_DATABASE_URL
    echo "PostgreSQL test cluster at $TEST_DATABASE_URL" >&2
    "$@"
    ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
