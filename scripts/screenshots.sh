#!/usr/bin/env bash
# The data profile's page in headless Chromium at 700 and 1,400 px wide:
# a small run_all --report into OUT_DIR/run, then OUT_DIR/report-700.png and
# OUT_DIR/report-1400.png. Fails unless both PNGs exist, have the width
# asked for and are not near-blank (README, *Data profile*).
#
#   scripts/screenshots.sh OUT_DIR
#
# SCREENSHOT_CUSTOMERS (default 20000) sets the run's size,
# SCREENSHOT_HEIGHT (default 4000) the height captured, CHROMIUM the browser.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:?usage: scripts/screenshots.sh OUT_DIR}"
customers="${SCREENSHOT_CUSTOMERS:-20000}"
height="${SCREENSHOT_HEIGHT:-4000}"
chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$chromium" ]; then
  echo "screenshots.sh: no chromium on PATH (Debian: apt-get install chromium)" >&2
  exit 1
fi

mkdir -p "$out"
cargo run -q -p novawireless-cli --bin run_all -- \
  --n_customers "$customers" --out_dir "$out/run" --no_params_mirror --report --quiet \
  >/dev/null
page="$(cd "$out/run" && pwd)/report.html"

# A PNG's width: bytes 16–19 of its IHDR chunk, big-endian.
png_width() {
  od -An -tu1 -j16 -N4 "$1" | awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4}'
}

status=0
for width in 700 1400; do
  png="$out/report-$width.png"
  rm -f "$png"
  profile_dir="$(mktemp -d)"
  "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile_dir" --hide-scrollbars \
    --window-size="$width,$height" --screenshot="$png" "file://$page" \
    >/dev/null 2>&1 || true
  rm -rf "$profile_dir"
  if [ ! -s "$png" ]; then
    echo "screenshots.sh: $png was not written" >&2
    status=1
    continue
  fi
  bytes=$(wc -c <"$png")
  got=$(png_width "$png")
  # A blank page of this size compresses to a few kilobytes; the report's
  # charts and tables take far more.
  if [ "$got" != "$width" ] || [ "$bytes" -lt 40000 ]; then
    echo "screenshots.sh: $png is ${got} px wide and $bytes bytes (expected $width px, ≥ 40000 bytes)" >&2
    status=1
  else
    echo "wrote $png ($width px, $bytes bytes)"
  fi
done
exit "$status"
