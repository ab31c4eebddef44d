#!/usr/bin/env bash
# The page budget (BENCHMARKS.md): builds the server, starts it on a free
# loopback port with an empty data directory, and runs Lighthouse (run.mjs)
# on a board page, first and repeat visit. Needs node, npm and Debian's
# chromium (scripts/setup installs them); npm ci here on first use.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "lighthouse: npm ci in scripts/bench/lighthouse"
  npm ci --no-audit --no-fund --loglevel=error
fi
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
# SKETCHPAD_BIN runs an already built binary instead (another build, for
# alternating runs of two builds in one sitting).
if [ -n "${SKETCHPAD_BIN:-}" ]; then cp "$SKETCHPAD_BIN" "$tmp/sketchpad"
else (cd ../../.. && ${GO:-go} build -o "$tmp/sketchpad" ./server/cmd/sketchpad); fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$tmp/sketchpad" --addr "127.0.0.1:$port" --data "$tmp/data" >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
node run.mjs "http://127.0.0.1:$port/b/lighthouse-budget"
