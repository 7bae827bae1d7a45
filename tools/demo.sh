#!/usr/bin/env bash
# Demo driver (called by ./run demo). Until the central store and the demo data land, it says
# so plainly and opens the desktop client's first window.
set -euo pipefail
BUILD=$1; shift || true
echo "Lietvedis demo: the central store and demo unit are not built yet; opening the desktop client."
if [ -n "${DISPLAY:-}" ]; then
  exec "$BUILD/ui/lietvedis-desktop"
fi
OUT="$(cd "$(dirname "$0")/.." && pwd)/demo-screenshots"
mkdir -p "$OUT"
xvfb-run -a -s "-screen 0 1600x1000x24" "$BUILD/ui/lietvedis-desktop" --screenshot "$OUT/start.png" --after-frames 5
echo "No display: ran under Xvfb and saved a screenshot to $OUT/start.png"
