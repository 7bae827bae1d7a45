#!/usr/bin/env bash
# Benchmark driver (called by ./run bench after the release build): installs the PouchDB
# baseline's npm packages into bench/node_modules (ignored by git) when missing, then runs
# lv_bench_report, which runs every benchmark program, prints one table and writes
# docs/BENCHMARKS.md. `./run bench --quick` checks the driver with small sizes.
set -euo pipefail
BUILD=$1; shift || true
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "==> installing Node.js and npm (Debian packages) for the PouchDB baseline" >&2
  sudo=(); [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends nodejs npm
fi
if [ ! -d "$ROOT/bench/node_modules/pouchdb-node" ]; then
  echo "==> npm install (pouchdb-node, express-pouchdb, express@4) into bench/node_modules" >&2
  (cd "$ROOT/bench" && npm install --no-audit --no-fund --loglevel=error)
fi
exec "$BUILD/tests/bench/lv_bench_report" --build "$BUILD" --source "$ROOT" "$@"
