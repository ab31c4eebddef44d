#!/usr/bin/env bash
# `make bench`: the Go benchmarks (with allocations) of the codec, the server
# and the fan-out path, then a short run of every load scenario and of the
# Socket.IO comparison. Stops by itself (a few minutes on 2 cores). The
# figures in BENCHMARKS.md come from the full-size runs it lists; this is
# the quick check after a change. Set BENCHTIME or LOADTIME to lengthen.
set -euo pipefail
cd "$(dirname "$0")/../.."
GO=${GO:-go}
BENCHTIME=${BENCHTIME:-200ms}
LOADTIME=${LOADTIME:-5s}

echo "== Go benchmarks (-benchmem)"
pkgs=$($GO list ./canvas ./server/... ./scripts/loadtest)
$GO test -run '^$' -bench . -benchmem -benchtime "$BENCHTIME" -timeout 15m $pkgs

echo "== the loopback floor: CPU per small write, both ends"
$GO run ./scripts/bench/loopback -conns 1000 -rate 25 -duration 3s

echo "== joining a board at the point limit, on loopback and at 300 KB/s"
$GO run ./scripts/bench/bigjoin -trials 1

echo "== cold boards: Redis memory with and without the archive, bringing a board back (short)"
$GO run ./scripts/bench/archive -boards 500 -live 10 -points 20000 -trials 5

echo "== one Redis shard and the scale-out over masters: the cluster log driven alone (short)"
$GO run ./scripts/bench/shard -masters 1,3 -rates 50000,100000 -step 2s -rounds 1

echo "== history: ?at= on a board of 100,000 ops and the history API, embedded and Redis (short, no load)"
$GO run ./scripts/bench/history -ops 100000 -requests 20 -poll 3s -load 0

echo "== load scenarios (short: $LOADTIME each)"
bash scripts/bench/peer/setup.sh
bin=$(mktemp -d)/loadtest
trap 'rm -rf "$(dirname "$bin")"' EXIT
$GO build -o "$bin" ./scripts/loadtest
run() {
  echo "-- loadtest $*"
  "$bin" -quiet -duration "$LOADTIME" "$@"
}
run -scenario fanout -clients 300 -drawers 10
run -scenario rooms -clients 2000
run -scenario cluster -clients 400
run -scenario idle -clients 2000
run -scenario join
run -scenario wire
echo "== Sketchpad vs the Socket.IO relay (short)"
run -scenario fanout -clients 200 -drawers 5 -compare
run -scenario cluster -clients 200 -compare
