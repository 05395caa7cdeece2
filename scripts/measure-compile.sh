#!/usr/bin/env bash
# Measures hbr-client's own compile time (dependencies already built) in debug and release,
# and the size of the generated source. Usage: scripts/measure-compile.sh [runs]
#
# With `--compare-aws [runs]` it instead measures hbr-client's debug build side by side with
# aws-sdk-backup's (the same version every time, in a scratch crate that is created on first use
# under target/aws-compare, or AWS_COMPARE_DIR), alternating the two so that both see the same
# machine load, and prints the time per operation of each and their ratio. Both are built with
# their default features, their dependencies already built; each measurement is the package's
# own build (build script included) after `cargo clean -p`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --compare-aws ]; then
  runs=${2:-2}
  aws_version=1.132.0
  aws_ops=115   # operations in aws-sdk-backup 1.132.0 (its src/operation/ modules)
  ops=$(ls api-spec/hbr/2017-09-08/*.yaml | grep -vc service.yaml)
  dir=${AWS_COMPARE_DIR:-target/aws-compare}
  if [ ! -f "$dir/Cargo.toml" ]; then
    mkdir -p "$dir/src"
    printf '[package]\nname = "aws-compare"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\naws-sdk-backup = "=%s"\n\n[workspace]\n' "$aws_version" >"$dir/Cargo.toml"
    echo 'fn main() {}' >"$dir/src/main.rs"
  fi
  found=$(ls -d ~/.cargo/registry/src/*/aws-sdk-backup-$aws_version/src/operation/*/ 2>/dev/null | wc -l)
  cargo build -q -p hbr-client
  (cd "$dir" && cargo build -q)
  [ "$found" -gt 0 ] && aws_ops=$found
  echo "hbr-client: $ops operations; aws-sdk-backup $aws_version: $aws_ops operations"
  timed() { local start end; start=$(date +%s.%N); "$@"; end=$(date +%s.%N); echo "$end - $start" | bc; }
  hbr_best=""; aws_best=""
  for i in $(seq "$runs"); do
    (cd "$dir" && cargo clean -q -p aws-sdk-backup)
    a=$(cd "$dir" && timed cargo build -q)
    cargo clean -q -p hbr-client
    h=$(timed cargo build -q -p hbr-client)
    echo "  run $i: aws-sdk-backup ${a}s, hbr-client ${h}s (load $(cut -d' ' -f1 /proc/loadavg))"
    if [ -z "$aws_best" ] || [ "$(echo "$a < $aws_best" | bc)" = 1 ]; then aws_best=$a; fi
    if [ -z "$hbr_best" ] || [ "$(echo "$h < $hbr_best" | bc)" = 1 ]; then hbr_best=$h; fi
  done
  hper=$(echo "scale=4; $hbr_best / $ops" | bc)
  aper=$(echo "scale=4; $aws_best / $aws_ops" | bc)
  echo "best: aws-sdk-backup ${aws_best}s (${aper}s per operation), hbr-client ${hbr_best}s (${hper}s per operation)"
  echo "ratio per operation: $(echo "scale=3; $hper / $aper" | bc)"
  exit 0
fi
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
