#!/usr/bin/env bash
# atu against the query a sales-ops analyst writes by hand, in the same run.
#   bench/compare.sh [LINES]   (default 10000000)
#
# Builds release binaries, generates the dataset once per size (under
# $BENCH_DIR or /tmp/atu-bench), installs DuckDB for Python from PyPI into a
# private venv under ${XDG_CACHE_HOME:-$HOME/.cache}/atu-bench (outside the
# repository, made once), then runs, each as its own process timed by
# /usr/bin/time (wall time and peak resident memory):
#
#   - duckdb: one query that reads opportunities.csv with a typed amount
#     (DECIMAL) and close date (DATE) and sums won revenue per owner ×
#     category × fiscal quarter (fiscal year starting in July, the
#     generator's atu.toml);
#   - atu validate (every table read, checked and reconciled);
#   - atu scorecard (the same, then every metric and table).
#
# and prints each one's wall time, peak memory and its ratio to DuckDB's
# wall time, against the goal of issue 12 (≤ 2× DuckDB, ≤ 1.5 GB).
# Set ATU_VERBOSE=1 to have atu print its per-stage timings (-v) too, and
# ATU_BIN=path/to/atu to time that binary instead of building one (e.g. a
# copy of an earlier build, for before/after).
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${1:-10000000}"
dir="${BENCH_DIR:-/tmp/atu-bench}/$lines"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/atu-bench"
venv="$cache/venv"

bin="${CARGO_TARGET_DIR:-target}/release"
atu="${ATU_BIN:-}"
if [ -z "$atu" ] || [ ! -f "$dir/opportunities.csv" ]; then
  cargo build --release --bin atu --example generate >&2
fi
atu="${atu:-$bin/atu}"
if [ ! -f "$dir/opportunities.csv" ]; then
  "$bin/examples/generate" --out "$dir" --lines "$lines" --seed 1 >&2
fi
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import duckdb' 2>/dev/null; then
  echo "installing duckdb into $venv …" >&2
  mkdir -p "$cache"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check duckdb
fi

query="$cache/one_pass.py"
cat >"$query" <<'PY'
"""The analyst's one-pass query: won revenue per owner x category x fiscal quarter."""
import sys
import time

import duckdb

path = sys.argv[1]
t0 = time.perf_counter()
con = duckdb.connect()
rows = con.sql(
    f"""
    SELECT owner_id, category,
           year(close_date) + CASE WHEN month(close_date) >= 7 THEN 1 ELSE 0 END AS fiscal_year,
           (month(close_date) + 5) % 12 // 3 + 1 AS fiscal_quarter,
           sum(amount) AS won
    FROM read_csv('{path}', header = true,
                  types = {{'amount': 'DECIMAL(18,2)', 'close_date': 'DATE'}})
    WHERE status = 'won'
    GROUP BY ALL
    ORDER BY ALL
    """
).fetchall()
print(f"duckdb: {len(rows)} groups, query {time.perf_counter() - t0:.2f} s", file=sys.stderr)
PY

size=$(du -m "$dir/opportunities.csv" | cut -f1)
echo "dataset: $dir: $lines opportunity lines ($size MB), $(($(wc -l <"$dir/accounts.csv") - 1)) accounts, $(($(wc -l <"$dir/members.csv") - 1)) members; $(nproc) cores"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
# Runs a command under /usr/bin/time; prints "wall_s peak_kib".
measure() {
  /usr/bin/time -f "%e %M" -o "$out" "$@" >/dev/null
  cat "$out"
}
verbose=(-q)
if [ -n "${ATU_VERBOSE:-}" ]; then verbose=(-v); fi

read -r d_wall d_kib < <(measure "$venv/bin/python" "$query" "$dir/opportunities.csv")
printf '%-34s %8s %9s %10s\n' "" "wall s" "peak MB" "× duckdb"
printf '%-34s %8.2f %9d %10.2f\n' "duckdb one-pass query" "$d_wall" $((d_kib / 1024)) 1
status=0
for cmd in validate scorecard; do
  read -r wall kib < <(measure "$atu" "$cmd" --data "$dir" --fy 2013 --as-of 2013-01-30 \
    "${verbose[@]}" --format csv)
  ratio=$(awk -v a="$wall" -v b="$d_wall" 'BEGIN { printf "%.2f", a / b }')
  printf '%-34s %8.2f %9d %10s\n' "atu $cmd" "$wall" $((kib / 1024)) "$ratio"
  if awk -v r="$ratio" -v k="$kib" 'BEGIN { exit !(r > 2 || k > 1536 * 1024) }'; then
    status=1
  fi
done
if [ "$status" = 0 ]; then
  echo "goal (≤ 2× duckdb, ≤ 1536 MB): met"
else
  echo "goal (≤ 2× duckdb, ≤ 1536 MB): not met"
fi
