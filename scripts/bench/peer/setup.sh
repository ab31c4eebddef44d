#!/usr/bin/env bash
# Installs the peer relay's npm packages (socket.io, @socket.io/redis-adapter,
# redis) into scripts/bench/peer/node_modules from package-lock.json, when
# they are missing or older than the lockfile. Needs node and npm (Debian's
# nodejs and npm packages; scripts/setup installs them for the front end).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "peer: npm ci in scripts/bench/peer (socket.io, @socket.io/redis-adapter, redis)"
  npm ci --no-audit --no-fund --loglevel=error
fi
