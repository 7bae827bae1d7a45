#!/usr/bin/env bash
# tools/fuzz.sh BUILD_DIR SECONDS — run by `./run fuzz`: writes the seed corpus, runs every
# libFuzzer target for SECONDS, prints a table and writes it to docs/RELIABILITY.md. New
# inputs go to BUILD_DIR/corpus/<target> (not committed); a crash leaves its input in
# BUILD_DIR/crashes/ and the run fails: fix it, then add the input under
# tests/fuzz/regressions/<target>/ so the test suite replays it for good.
set -euo pipefail
build=$1
seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
targets=(batch_codec pull_codec protocol_json small_formats jsonl_import vfs_pages)

"$build/tests/fuzz/lv_fuzz_seeds" "$root/tests/fuzz/corpus" >/dev/null
mkdir -p "$build/crashes"
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
rows=()
failed=0
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t"
  log="$build/fuzz-$t.log"
  status=0
  "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$build/crashes/$t-" "$build/corpus/$t" "$root/tests/fuzz/corpus/$t" \
    >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  per_s=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(find "$build/corpus/$t" "$root/tests/fuzz/corpus/$t" -type f | wc -l)
  crashes=$(find "$build/crashes" -name "$t-*" -type f | wc -l)
  if [ "$status" -ne 0 ]; then
    failed=1
    echo "fuzz_$t failed (exit $status); see $log" >&2
    tail -30 "$log" >&2
  fi
  rows+=("| $t | $seconds | ${runs:-0} | ${per_s:-0} | $corpus | $crashes |")
done

table=$(printf '%s\n' "| target | seconds | executions | per second | corpus | crashes |" \
  "|---|---|---|---|---|---|" "${rows[@]}")
echo "$table"
doc="$root/docs/RELIABILITY.md"
if [ -f "$doc" ]; then
  # Replace the generated table between the markers, keep the rest of the page.
  python3 - "$doc" "$table" "$(date -u +%Y-%m-%d)" "$(nproc)" <<'PY'
import sys
path, table, day, cores = sys.argv[1:]
text = open(path, encoding="utf-8").read()
start, end = "<!-- fuzz-table:start -->", "<!-- fuzz-table:end -->"
a, b = text.index(start) + len(start), text.index(end)
body = f"\n_{day}, `./run fuzz`, {cores} cores, clang 14 libFuzzer with ASan + UBSan._\n\n{table}\n"
open(path, "w", encoding="utf-8").write(text[:a] + body + text[b:])
PY
fi
exit $failed
