#!/usr/bin/env bash
# End-to-end journeys of the web pages in headless Chromium, with axe-core on every page. It installs what it
# needs (Debian's chromium, the npm packages of package-lock.json), builds essor, serves the demo directory on a
# free localhost port with a fresh data directory, and runs journeys.test.mjs with node's test runner.
# ESSOR_BIN=path uses that binary instead of building one. E2E_SCREENSHOTS=docs/screenshots also saves screenshots of the main pages there (relative to the repository).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
export PATH=/usr/local/go/bin:$PATH

if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${ESSOR_BIN:-}" ]; then cp "$ESSOR_BIN" "$work/essor"; else (cd "$root" && go build -o "$work/essor" ./cmd/essor); fi
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
# The journeys come from one IP faster than a person: the limits are raised for them only.
ESSOR_ADDR="127.0.0.1:$port" ESSOR_DATA_DIR="$work/data" ESSOR_LOG_LEVEL=warn \
  ESSOR_RATE_LIMIT_ANONYMOUS=100000/10000 ESSOR_RATE_LIMIT_AUTHENTICATED=100000/10000 ESSOR_RATE_LIMIT_LOGIN=100000/10000 \
  "$work/essor" serve --demo >"$work/stdout.log" 2>"$work/stderr.log" &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  # Ready once the database answers and the search index is built (full-text search answers 200).
  if curl -fsS "$base/readyz" >/dev/null 2>&1 && curl -fsS "$base/v1/structures?q=repas&page_size=1" >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$work/stderr.log"; echo "essor serve stopped"; exit 1; fi
  sleep 0.5
done
curl -fsS "$base/v1/structures?q=repas&page_size=1" >/dev/null || { cat "$work/stderr.log"; echo "essor never became ready"; exit 1; }

password() { awk -v who="$1" '$1 == who { for (i = 1; i <= NF; i++) if ($i == "password:") print $(i + 1) }' "$work/stdout.log"; }
export E2E_BASE="$base" E2E_ADMIN_PASSWORD=$(password admin) E2E_BUYER_PASSWORD=$(password buyer) E2E_STRUCTURE_PASSWORD=$(password structure)
if [ -n "${E2E_SCREENSHOTS:-}" ]; then
  case "$E2E_SCREENSHOTS" in /*) ;; *) E2E_SCREENSHOTS="$root/$E2E_SCREENSHOTS" ;; esac
  export E2E_SCREENSHOTS
fi
cd "$here"
node --test --test-concurrency=1 journeys.test.mjs
