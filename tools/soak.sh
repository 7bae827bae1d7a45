#!/usr/bin/env bash
# tools/soak.sh BUILD_DIR ROUNDS — run by `./run soak [ROUNDS]`: the fault-proxy loop, the
# server-kill loop (tests/sync/fault_test.cpp, kill_test.cpp) and the client-kill loop
# (tests/client/cli_kill_test.cpp) for ROUNDS rounds with three
# seeds each, then a table of what was injected and what survived, also written to
# docs/RELIABILITY.md. `./run test` runs the same loops with fixed seeds and few rounds.
set -euo pipefail
build=$1
rounds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/tests/sync/lv_fault_tests"
cli="$build/tests/client/lv_cli_tests"
seeds=(20261205 7 1931)
rows=()
failed=0
for seed in "${seeds[@]}"; do
  log="$build/soak-fault-$seed.log"
  if LV_FAULT_SEED=$seed LV_FAULT_ROUNDS=$rounds "$bin" "Devices syncing through*" >"$log" 2>&1; then
    injected=$(sed -n 's/^fault proxy: \([0-9]*\) requests, \([0-9]*\) faults.*; \([0-9]*\) of \([0-9]*\) syncs failed$/\2 faults in \1 requests; \3 of \4 syncs failed/p' "$log")
    result=$(sed -n 's/^fault proxy: \([0-9]* cases.*\)$/\1/p' "$log" | grep lost)
    rows+=("| fault proxy (drops, resets, cut answers, delays, duplicates) | $seed | $rounds | $injected | $result |")
  else
    failed=1
    echo "fault loop failed with seed $seed; see $log" >&2
    rows+=("| fault proxy | $seed | $rounds | — | **failed** |")
  fi
  log="$build/soak-kill-$seed.log"
  if LV_KILL_SEED=$seed LV_KILL_ROUNDS=$rounds "$bin" "*killed during large pushes*" >"$log" 2>&1; then
    injected=$(sed -n 's/^server kills: \([0-9]*\), \([0-9]*\) of them during a sync.*$/\1 SIGKILLs of the server, \2 inside a sync/p' "$log")
    result=$(sed -n 's/^server kills: \([0-9]* cases.*\)$/\1/p' "$log")
    rows+=("| server SIGKILL during large pushes | $seed | $rounds | $injected | $result |")
  else
    failed=1
    echo "kill loop failed with seed $seed; see $log" >&2
    rows+=("| server SIGKILL | $seed | $rounds | — | **failed** |")
  fi
  log="$build/soak-client-kill-$seed.log"
  if LV_KILL_SEED=$seed LV_KILL_ROUNDS=$rounds LIETVEDIS_FAST_KDF=1 "$cli" "*killed during its sync*" >"$log" 2>&1; then
    injected=$(sed -n 's/^client kills: \([0-9]*\), \([0-9]*\) of them during the sync.*$/\1 SIGKILLs of `lietvedis sync`, \2 inside it/p' "$log")
    result=$(sed -n 's/^client kills: \([0-9]* cases.*\)$/\1/p' "$log")
    rows+=("| client SIGKILL during its sync | $seed | $rounds | $injected | $result |")
  else
    failed=1
    echo "client kill loop failed with seed $seed; see $log" >&2
    rows+=("| client SIGKILL | $seed | $rounds | — | **failed** |")
  fi
done

table=$(printf '%s\n' "| loop | seed | rounds | injected | result |" "|---|---|---|---|---|" "${rows[@]}")
echo "$table"
doc="$root/docs/RELIABILITY.md"
python3 - "$doc" "$table" "$(date -u +%Y-%m-%d)" "$(nproc)" <<'PY'
import sys
path, table, day, cores = sys.argv[1:]
text = open(path, encoding="utf-8").read()
start, end = "<!-- soak-table:start -->", "<!-- soak-table:end -->"
a, b = text.index(start) + len(start), text.index(end)
body = f"\n_{day}, `./run soak`, {cores} cores, release build._\n\n{table}\n"
open(path, "w", encoding="utf-8").write(text[:a] + body + text[b:])
PY
exit $failed
