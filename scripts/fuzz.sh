#!/usr/bin/env bash
# Fuzz the parser and the whole lint pipeline (every reporter) for SECONDS
# each (default 600), both targets at once, one per core.
#
# cargo-fuzz needs nightly; the machine has only stable, so the sanitizer
# flags are enabled with RUSTC_BOOTSTRAP=1 (libFuzzer comes from the
# libfuzzer-sys crate). A crash leaves its input in fuzz/artifacts/TARGET/
# and makes this script fail; replay it with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET fuzz/artifacts/TARGET/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-600}
export RUSTC_BOOTSTRAP=1

command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
(cd fuzz && cargo fuzz build -O)

targets=(parse lint)
for t in "${targets[@]}"; do
  # Seeds: the fixtures and, when present, the corpus of real files.
  mkdir -p "fuzz/corpus/$t"
  find fixtures ../shared/corpus/real -name '*.conf' -size -16k 2>/dev/null |
    while read -r f; do cp -n "$f" "fuzz/corpus/$t/$(echo "$f" | tr / _)"; done
done

pids=()
for t in "${targets[@]}"; do
  (cd fuzz && cargo fuzz run -O "$t" -- \
      -max_total_time="$SECONDS_EACH" -max_len=16384 -timeout=10 \
      -rss_limit_mb=2048 -dict=ini.dict -print_final_stats=1 \
      >"target/fuzz-$t.log" 2>&1) &
  pids+=($!)
done
status=0
for i in "${!targets[@]}"; do
  t=${targets[$i]}
  if wait "${pids[$i]}"; then
    echo "fuzz $t: no finding in ${SECONDS_EACH}s ($(grep -o 'stat::number_of_executed_units: *[0-9]*' "fuzz/target/fuzz-$t.log" | grep -o '[0-9]*$') runs)"
  else
    status=1
    echo "fuzz $t: FAILED, see fuzz/target/fuzz-$t.log and fuzz/artifacts/$t/"
    tail -40 "fuzz/target/fuzz-$t.log"
  fi
done
exit $status
