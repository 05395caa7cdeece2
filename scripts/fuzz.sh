#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/) for a bounded time, prints libFuzzer's figures,
# then minimises each corpus (cargo fuzz cmin) so the committed fuzz/corpus/ stays small.
#
#   scripts/fuzz.sh [SECONDS]         # default 600 s per target
#   TARGETS="call_json" scripts/fuzz.sh 60
#   PARALLEL=2 scripts/fuzz.sh        # two targets at a time (one core each)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain (`cargo +nightly`);
# the workspace itself stays on stable. Crashes land in fuzz/artifacts/<target>/; logs in
# fuzz/logs/<target>.log. A crashing input, once fixed, belongs in fuzz/regressions/<target>/
# (replayed by `cargo test -p hbr-tests --test fuzz_corpus`).
set -euo pipefail

SECS=${1:-600}
TARGETS=${TARGETS:-"spec_yaml response_bytes emulator_http call_json"}
PARALLEL=${PARALLEL:-1}
# Safe Rust: no sanitizer (much faster), but debug assertions (overflow checks) on.
FLAGS=(-s none -a)

cd "$(dirname "$0")/../fuzz"
mkdir -p logs
cargo +nightly fuzz build "${FLAGS[@]}"

run_one() {
    local t=$1
    mkdir -p "corpus/$t" "regressions/$t" "artifacts/$t"
    # The regressions folder is read as extra seeds; new inputs go to corpus/$t only.
    cargo +nightly fuzz run "${FLAGS[@]}" "$t" "corpus/$t" "regressions/$t" -- \
        -max_total_time="$SECS" -print_final_stats=1 -timeout=30 -rss_limit_mb=4096 \
        -max_len=65536 >"logs/$t.log" 2>&1 || echo "$t: libFuzzer stopped with a finding, see fuzz/logs/$t.log and fuzz/artifacts/$t/"
    cargo +nightly fuzz cmin "${FLAGS[@]}" "$t" "corpus/$t" -- -use_counters=0 >"logs/$t.cmin.log" 2>&1 ||
        echo "$t: cmin failed, see fuzz/logs/$t.cmin.log"
    summary "$t"
}

summary() {
    local t=$1 log="logs/$1.log"
    local files bytes
    files=$(find "corpus/$t" -type f | wc -l)
    bytes=$(du -sb "corpus/$t" | cut -f1)
    echo "== $t (${SECS}s)"
    grep -E '^#[0-9]+[[:space:]]+(DONE|pulse)' "$log" | tail -n 1 || true
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" || true
    echo "corpus after cmin: $files files, $bytes bytes"
    ls "artifacts/$t" 2>/dev/null | sed 's/^/finding: /' || true
}

running=0
for t in $TARGETS; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$PARALLEL" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait
