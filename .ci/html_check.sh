#!/usr/bin/env bash
# The HTML scorecard in a real browser: renders the demo's
# `atu scorecard --format html` with headless Chromium to a PNG and checks
# that the picture is non-trivial (a PNG, the window's size, more than a blank
# page's bytes). `--update` also copies it to docs/scorecard.png, the README's
# picture. Needs /usr/bin/chromium (Debian: apt-get install chromium); .ci/run
# calls it only when it is there.
set -euo pipefail
cd "$(dirname "$0")/.."

browser="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$browser" ] || { echo "html_check: no browser at $browser" >&2; exit 1; }

cargo build --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/debug/atu"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" scorecard --data examples/demo --fy 2013 --as-of 2013-01-30 \
  --format html --output "$work/scorecard.html" --quiet
width=1400 height=1100
# Headless, sandbox off (CI runs as root), nothing fetched or synced.
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$work/profile" \
  --screenshot="$work/scorecard.png" --window-size="$width,$height" \
  "file://$work/scorecard.html" >"$work/browser.log" 2>&1 || {
  cat "$work/browser.log" >&2
  exit 1
}

png="$work/scorecard.png"
[ -s "$png" ] || { echo "html_check: no picture" >&2; exit 1; }
magic=$(od -An -tx1 -N8 "$png" | tr -d ' \n')
[ "$magic" = "89504e470d0a1a0a" ] || { echo "html_check: not a PNG ($magic)" >&2; exit 1; }
# IHDR: width and height, big-endian, at bytes 16 and 20.
w=$((16#$(od -An -tx1 -j16 -N4 "$png" | tr -d ' \n')))
h=$((16#$(od -An -tx1 -j20 -N4 "$png" | tr -d ' \n')))
[ "$w" -eq "$width" ] && [ "$h" -eq "$height" ] ||
  { echo "html_check: picture is ${w}x${h}, not ${width}x${height}" >&2; exit 1; }
# A blank page compresses to a few kB; tables, bars and the trend do not.
bytes=$(wc -c <"$png")
[ "$bytes" -gt 40000 ] || { echo "html_check: picture is only $bytes bytes: a blank page?" >&2; exit 1; }
echo "html_check: demo scorecard rendered to a ${w}x${h} PNG of $bytes bytes"

if [ "${1:-}" = "--update" ]; then
  cp "$png" docs/scorecard.png
  echo "html_check: wrote docs/scorecard.png"
fi
