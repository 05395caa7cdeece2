#!/usr/bin/env bash
# Measures hbr-client's own compile time (dependencies already built) in debug and release,
# and the size of the generated source. Usage: scripts/measure-compile.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
ops=$(ls api-spec/hbr/2017-09-08/*.yaml | grep -vc service.yaml)
lines=$(cat generated-client/snapshot/*.rs | wc -l)
echo "operations: $ops; generated lines (formatted, before derive expansion): $lines"
# Generating every operation (read and check the spec, emit, format, write), release build.
cargo build -q --release -p hbr-codegen
gen=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/hbr-codegen
out=$(mktemp -d)
best=""
for i in $(seq "$runs"); do
  start=$(date +%s.%N)
  "$gen" generate --spec api-spec --out "$out" >/dev/null
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc)
  if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
done
rm -rf "$out"
echo "generate all $ops operations: best ${best}s"
for profile in dev release; do
  flag=""; [ "$profile" = release ] && flag="--release"
  cargo build -q -p hbr-client $flag            # dependencies and build script warm
  best=""
  for i in $(seq "$runs"); do
    cargo clean -q -p hbr-client $flag
    start=$(date +%s.%N)
    cargo build -q -p hbr-client $flag
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    echo "  $profile run $i: ${t}s"
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  per=$(echo "scale=3; $best / $ops" | bc)
  echo "$profile: best ${best}s, ${per}s per operation"
done
