#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL cluster for tests and benchmarks.
#   scripts/pg-throwaway.sh start [PORT]  -> prints DATABASE_URL
#   scripts/pg-throwaway.sh stop
# The cluster lives in .cache/pg and is discarded on stop. As root, it runs as the
# `postgres` user because PostgreSQL refuses to run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="$PWD/.cache/pg"
PORT="${2:-55432}"
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
bin() { command -v "$1" 2>/dev/null || ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | tail -1; }

case "${1:-}" in
  start)
    rm -rf "$DIR" && mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    as_pg "$(bin initdb) -D '$DIR/data' -A trust -U postgres --no-sync >'$DIR/initdb.log' 2>&1"
    as_pg "$(bin pg_ctl) -D '$DIR/data' -l '$DIR/server.log' -w -o \"-p $PORT -k '$DIR' -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB\" start >/dev/null"
    echo "postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    [ -d "$DIR/data" ] && as_pg "$(bin pg_ctl) -D '$DIR/data' -m immediate stop >/dev/null 2>&1" || true
    rm -rf "$DIR"
    ;;
  *) echo "usage: $0 start [PORT] | stop" >&2; exit 2 ;;
esac
