#!/usr/bin/env bash
# Benchmark driver (called by ./run bench).
set -euo pipefail
echo "No benchmarks are built yet." >&2
exit 1
