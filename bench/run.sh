#!/usr/bin/env bash
# Runs every benchmark and prints the tables of docs/performance.md:
#   1. native full check by category vs the Python json floor  (cargo bench --bench check)
#   2. where an accepted create spends its time                  (cargo bench --bench stages)
#   3. body size scaling 4 KB .. 10 MB and batch memory          (cargo bench --bench scaling)
#   4. the Wasm package in Node: throughput and scaling          (node bench/wasm.mjs)
#   5. the Wasm module's size, raw and gzip
# Takes a few minutes; run it on a quiet machine (times are CPU time, so other load
# disturbs them less, but it still does).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "## Native"
cargo bench --quiet --bench check -- "$@"
echo
echo "## Stages of an accepted create (native)"
cargo bench --quiet --bench stages
echo
echo "## Scaling (native)"
cargo bench --quiet --bench scaling -- --write-bodies target/imms-bench/scaling
echo
[ -f pkg/node/imms_check.js ] || npm run --silent build
echo "## Wasm in Node"
node bench/wasm.mjs "$@"
echo
echo "## Scaling (Wasm in Node)"
node bench/wasm.mjs --scaling target/imms-bench/scaling
echo
wasm=pkg/web/imms_check_bg.wasm
[ -f "$wasm" ] || wasm=pkg/node/imms_check_bg.wasm
echo "## Wasm size"
echo "$wasm: $(wc -c <"$wasm") bytes raw, $(gzip -9 -c "$wasm" | wc -c) bytes gzip -9"
