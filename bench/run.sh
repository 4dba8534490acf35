#!/usr/bin/env bash
# Benchmark: wall time and peak memory of atu on a generated dataset.
#   bench/run.sh [LINES]   (default 10000000; writes the data under $BENCH_DIR or /tmp/atu-bench)
# Builds release binaries, generates the dataset once per size, then times
# `atu validate` (ingest only) and `atu scorecard` (ingest + every metric).
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${1:-10000000}"
dir="${BENCH_DIR:-/tmp/atu-bench}/$lines"
cargo build --release --bin atu --example generate
bin="${CARGO_TARGET_DIR:-target}/release"
if [ ! -f "$dir/opportunities.csv" ]; then
  "$bin/examples/generate" --out "$dir" --lines "$lines" --seed 1
fi
echo "dataset: $dir ($(du -sh "$dir/opportunities.csv" | cut -f1) of opportunity lines)"
for cmd in validate scorecard; do
  /usr/bin/time -f "$cmd: %e s wall, %M KiB peak" \
    "$bin/atu" "$cmd" --data "$dir" --fy 2013 --as-of 2013-01-30 -q --format csv >/dev/null
done
