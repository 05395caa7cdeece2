#!/usr/bin/env bash
# Measures hbr-client's own compile time (dependencies already built) in debug and release,
# and the size of the generated source. Usage: scripts/measure-compile.sh [runs]
#
# With `--compare-aws [runs]` it instead measures hbr-client's debug build side by side with
# aws-sdk-backup's (the same version every time, in a scratch crate that is created on first use
# under target/aws-compare, or AWS_COMPARE_DIR), alternating the two so that both see the same
# machine load, and prints the time per operation of each and their ratio. Both are built with
# their default features, their dependencies already built; each measurement is the package's
# own build (build script included) after `cargo clean -p`. Wall time and CPU seconds (user +
# system, which the machine's other work and the number of cores disturb less) are both given.
# COMPARE_REV=<git revision> adds hbr-client at that revision to the same alternation.
set -euo pipefail
cd "$(dirname "$0")/.."
ops=$(ls api-spec/hbr/2017-09-08/*.yaml | grep -vc service.yaml)
# The smaller of the best so far ($1, empty at first) and a new time ($2).
least() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
if [ "${1:-}" = --compare-aws ]; then
  runs=${2:-2}
  aws_version=1.132.0
  aws_ops=115   # operations in aws-sdk-backup 1.132.0 (its src/operation/ modules)
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
  # COMPARE_REV=<rev>: hbr-client at that revision too (a detached worktree under
  # target/compare-<rev> with its own target directory), built in the same alternation.
  rev_dir=""; rev_ops=""
  if [ -n "${COMPARE_REV:-}" ]; then
    rev_dir=$PWD/target/compare-$COMPARE_REV
    [ -d "$rev_dir" ] || git worktree add -q --detach "$rev_dir" "$COMPARE_REV"
    rev_ops=$(ls "$rev_dir"/api-spec/hbr/2017-09-08/*.yaml | grep -vc service.yaml)
    (cd "$rev_dir" && CARGO_TARGET_DIR="$rev_dir/target" cargo build -q -p hbr-client)
  fi
  echo "hbr-client: $ops operations; aws-sdk-backup $aws_version: $aws_ops operations${COMPARE_REV:+; hbr-client at $COMPARE_REV: $rev_ops operations}"
  # Prints "wall cpu": elapsed seconds, and user + system CPU seconds of the build.
  timed() {
    local out; out=$(mktemp)
    /usr/bin/time -f "%e %U %S" -o "$out" "$@"
    awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$out"; rm -f "$out"
  }
  hbr_best=""; aws_best=""; rev_best=""; hbr_cpu=""; aws_cpu=""; rev_cpu=""
  for i in $(seq "$runs"); do
    (cd "$dir" && cargo clean -q -p aws-sdk-backup)
    read -r a ac < <(cd "$dir" && timed cargo build -q)
    cargo clean -q -p hbr-client
    read -r h hc < <(timed cargo build -q -p hbr-client)
    line="  run $i: aws-sdk-backup ${a}s (cpu ${ac}s), hbr-client ${h}s (cpu ${hc}s)"
    if [ -n "$rev_dir" ]; then
      (cd "$rev_dir" && CARGO_TARGET_DIR="$rev_dir/target" cargo clean -q -p hbr-client)
      read -r r rc < <(cd "$rev_dir" && CARGO_TARGET_DIR="$rev_dir/target" timed cargo build -q -p hbr-client)
      line="$line, hbr-client at $COMPARE_REV ${r}s (cpu ${rc}s)"
      rev_best=$(least "$rev_best" "$r"); rev_cpu=$(least "$rev_cpu" "$rc")
    fi
    echo "$line (load $(cut -d' ' -f1 /proc/loadavg))"
    aws_best=$(least "$aws_best" "$a"); hbr_best=$(least "$hbr_best" "$h")
    aws_cpu=$(least "$aws_cpu" "$ac"); hbr_cpu=$(least "$hbr_cpu" "$hc")
  done
  per() { echo "scale=4; $1 / $2" | bc; }
  echo "best: aws-sdk-backup ${aws_best}s (${aws_cpu}s cpu), hbr-client ${hbr_best}s (${hbr_cpu}s cpu)"
  echo "per operation, wall: aws-sdk-backup $(per "$aws_best" "$aws_ops")s, hbr-client $(per "$hbr_best" "$ops")s; ratio $(echo "scale=3; $(per "$hbr_best" "$ops") / $(per "$aws_best" "$aws_ops")" | bc)"
  echo "per operation, cpu:  aws-sdk-backup $(per "$aws_cpu" "$aws_ops")s, hbr-client $(per "$hbr_cpu" "$ops")s; ratio $(echo "scale=3; $(per "$hbr_cpu" "$ops") / $(per "$aws_cpu" "$aws_ops")" | bc)"
  if [ -n "$rev_dir" ]; then
    echo "hbr-client at $COMPARE_REV: best ${rev_best}s (${rev_cpu}s cpu), per operation $(per "$rev_best" "$rev_ops")s wall, $(per "$rev_cpu" "$rev_ops")s cpu"
  fi
  exit 0
fi
runs=${1:-3}
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
  best=$(least "$best" "$t")
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
    best=$(least "$best" "$t")
  done
  per=$(echo "scale=3; $best / $ops" | bc)
  echo "$profile: best ${best}s, ${per}s per operation"
done
