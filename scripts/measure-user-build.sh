#!/usr/bin/env bash
# What a user's clean build of an application on hbr-client costs, for each way the client
# can get its generated source: from the committed snapshot (the default) or generated from
# the spec at build time (the `regenerate` feature, which compiles the generator).
#
# Packages every published crate (as tests/tests/packaging.rs does), builds the scratch
# application tests/scratch-app/main.rs on the packages, offline, in a fresh target folder
# per variant, alternating the variants. Usage: scripts/measure-user-build.sh [runs]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
runs=${1:-1}
work="$repo/target/measure-user-build"
rm -rf "$work"
mkdir -p "$work/unpacked"
cd "$repo"
published=$(cargo metadata --format-version 1 --no-deps --offline |
  python3 -c 'import json,sys; print(" ".join(p["name"] for p in json.load(sys.stdin)["packages"] if p.get("publish") is None or p["publish"]))')
args=()
for p in $published; do args+=(-p "$p"); done
CARGO_TARGET_DIR="$work/pkg" cargo package -q --no-verify --allow-dirty --offline "${args[@]}"
version=$(cargo metadata --format-version 1 --no-deps --offline |
  python3 -c 'import json,sys; print([p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="hbr-client"][0])')
for p in $published; do tar -xzf "$work/pkg/package/$p-$version.crate" -C "$work/unpacked"; done

make_app() { # name, extra dependency attributes
  local app="$work/$1"
  mkdir -p "$app/src"
  cp tests/scratch-app/main.rs "$app/src/main.rs"
  cp Cargo.lock "$app/Cargo.lock"
  {
    printf '[package]\nname = "scratch-app"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
    printf '[dependencies]\nhbr-client = { version = "=%s"%s }\n' "$version" "$2"
    printf 'tokio = { version = "1", features = ["rt-multi-thread", "macros"] }\n\n[patch.crates-io]\n'
    for p in $published; do printf '%s = { path = "%s" }\n' "$p" "$work/unpacked/$p-$version"; done
    printf '\n[workspace]\n'
  } > "$app/Cargo.toml"
}
make_app snapshot ""
make_app regenerate ', features = ["regenerate"]'
export HBR_SPEC_DIR="$repo/api-spec/hbr/2017-09-08"

for i in $(seq "$runs"); do
  for variant in snapshot regenerate; do
    rm -rf "$work/$variant/target"
    start=$(date +%s.%N)
    (cd "$work/$variant" && cargo build -q --offline)
    end=$(date +%s.%N)
    crates=$(cd "$work/$variant" && cargo tree -q --offline --prefix none -e normal,build | sort -u | wc -l)
    printf '%s run %s: %.1f s, %s crates in the build graph\n' "$variant" "$i" "$(echo "$end - $start" | bc)" "$crates"
  done
done
