#!/usr/bin/env bash
# Proves that a production install runs: the built app with `npm ci --omit=dev` (no
# devDependencies: no demo, no test or bench packages) starts the web process, which
# answers /healthz and hides the demo, and the worker process.
#   scripts/check-production-install.sh [--no-build]   (PORT_BASE=... to move the port)
# Copies only what production needs (package files, build/, app/, the entry points,
# prisma/, the postinstall script, the web pixel's wire format that app/ shares) to a
# temp directory; demo/, tests/ and bench/ are
# left behind on purpose. Runs on PGlite (a temp DATA_DIR), web then worker, because
# an embedded PGlite database has one process at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PORT="${PORT_BASE:-3199}"
[ "${1:-}" = "--no-build" ] || npm run build >/dev/null

WORK="$(mktemp -d "${TMPDIR:-/tmp}/flowmate-prod-XXXXXX")"
PID=""
# The worker is still running at the end: stopping it must not become the script's exit
# status (under set -e, wait's 143 did, and CI stopped after "OK").
# Each process runs in a session of its own (setsid) and is stopped as a group: npm and
# tsx do not pass SIGTERM on to the node process below them, which otherwise kept running
# (and working) after this script, through the rest of CI.
stop_group() {
  kill -- -"$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  if [ -n "$PID" ]; then stop_group "$PID"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
APP="$WORK/app"
mkdir -p "$APP/scripts"
cp -r package.json package-lock.json tsconfig.json server.ts worker.ts prisma.config.ts build app prisma "$APP/"
cp scripts/lock-platform-stubs.mjs "$APP/scripts/"
mkdir -p "$APP/extensions/web-pixel"
cp -r extensions/web-pixel/src "$APP/extensions/web-pixel/"

echo "[prod-install] npm ci --omit=dev in $APP"
(cd "$APP" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >"$WORK/install.log" 2>&1) || {
  cat "$WORK/install.log"
  exit 1
}
for pkg in graphql smtp-server vitest playwright-core; do
  if [ -d "$APP/node_modules/$pkg" ]; then echo "[prod-install] FAIL: dev-only package $pkg was installed" >&2; exit 1; fi
done

export NODE_ENV=production DATA_DIR="$WORK/data" LOG_LEVEL=info \
  SHOPIFY_API_KEY=prod-check-key SHOPIFY_API_SECRET=prod-check-secret SHOPIFY_APP_URL=https://flowmate.example
unset DATABASE_URL
# The worker refuses to start without a mail provider; nothing is sent in this check.
export SMTP_URL=smtp://127.0.0.1:2599

# Web: healthy, and the demo's routes answer 404 as if they did not exist.
(cd "$APP" && PORT="$PORT" exec setsid npm start --silent) >"$WORK/web.log" 2>&1 &
PID=$!
status() { curl -s -o /dev/null -w '%{http_code}' -X "$1" "http://127.0.0.1:$PORT$2" || true; }
for _ in $(seq 1 120); do
  [ "$(status GET /healthz)" = 200 ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/web.log"; echo "[prod-install] FAIL: web exited" >&2; exit 1; }
  sleep 0.5
done
[ "$(status GET /healthz)" = 200 ] || { cat "$WORK/web.log"; echo "[prod-install] FAIL: /healthz" >&2; exit 1; }
echo "[prod-install] web: /healthz 200 ($("$APP/node_modules/.bin/node" --version))"
for route in "GET /dev/storefront" "GET /dev/mail" "POST /dev/shopify/demo-shop.myshopify.com/admin/api/2026-10/graphql.json"; do
  got="$(status $route)"
  [ "$got" = 404 ] || { cat "$WORK/web.log"; echo "[prod-install] FAIL: $route answered $got, not 404" >&2; exit 1; }
done
echo "[prod-install] web: demo routes 404"
stop_group "$PID"
PID=""

# Worker: starts on the same database and keeps running.
(cd "$APP" && exec setsid npm run worker --silent) >"$WORK/worker.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do
  grep -q "worker started" "$WORK/worker.log" && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/worker.log"; echo "[prod-install] FAIL: worker exited" >&2; exit 1; }
  sleep 0.5
done
grep -q "worker started" "$WORK/worker.log" || { cat "$WORK/worker.log"; echo "[prod-install] FAIL: worker did not start" >&2; exit 1; }
sleep 2
kill -0 "$PID" 2>/dev/null || { cat "$WORK/worker.log"; echo "[prod-install] FAIL: worker died after start" >&2; exit 1; }
echo "[prod-install] worker: started and running"
echo "[prod-install] OK"
