#!/usr/bin/env bash
# The experiment of issue 17: N `hbr call CreateRestoreJob` against an emulator that does
# the work, then loses the answer in 30 % of calls (15 % connection closed, 15 % 500
# InternalError), counting the jobs that exist afterwards. Run three ways: the default policy
# (a write is never sent again after an ambiguous failure), --retry-writes (the old
# behaviour: sent again like a read) and --reconcile (looks for the job before sending again).
# Usage: scripts/measure-lost-answers.sh [creates] [fault-seed]
set -euo pipefail
cd "$(dirname "$0")/.."
creates=${1:-30}
seed=${2:-7}
cargo build -q -p hbr-cli -p hbr-emulator
bin=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug
# A key of this run's own, given to the emulator and to hbr.
export ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI-lost-answers ALIBABA_CLOUD_ACCESS_KEY_SECRET=lost-answers-secret
work=$(mktemp -d)
trap 'kill "$emu_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
emu_pid=""

run() { # $1: label, $2...: extra hbr call flags
  local label=$1; shift
  "$bin/hbr-emulator" --listen 127.0.0.1:0 --jobs 50 --seed 7 --fault-seed "$seed" \
    --access-key-id "$ALIBABA_CLOUD_ACCESS_KEY_ID" --access-key-secret "$ALIBABA_CLOUD_ACCESS_KEY_SECRET" \
    --drop-after-process-rate 0.15 --fail-after-process-rate 0.15 >"$work/emu.out" &
  emu_pid=$!
  local url=""
  for _ in $(seq 100); do
    url=$(sed -n 's/^listening on //p' "$work/emu.out" | head -1)
    [ -n "$url" ] && break
    sleep 0.05
  done
  # The creates restore from a seeded OSS restore's vault and snapshot (the emulator checks
  # both exist); found with a read, retried through the faults.
  local origin="" vault snapshot
  for _ in 1 2 3 4 5; do
    origin=$("$bin/hbr" --endpoint "$url" call DescribeRestoreJobs2 \
      --input '{"RestoreType":"OSS","PageSize":99}') && break
  done
  read -r vault snapshot < <(printf '%s' "$origin" | python3 -c '
import json, sys
jobs = json.load(sys.stdin)["RestoreJobs"]["RestoreJob"]
job = next(j for j in jobs if j.get("SourceType") == "OSS")
print(job["VaultId"], job["SnapshotId"])')
  local ok=0 unknown=0 other=0
  for i in $(seq "$creates"); do
    local input
    input=$(printf '{"RestoreType":"OSS","SourceType":"OSS","VaultId":"%s","SnapshotId":"%s","TargetBucket":"b","TargetPrefix":"lost/%03d/"}' "$vault" "$snapshot" "$i")
    set +e
    "$bin/hbr" --endpoint "$url" call CreateRestoreJob --input "$input" "$@" >/dev/null 2>"$work/err"
    local status=$?
    set -e
    case $status in
      0) ok=$((ok + 1)) ;;
      8) unknown=$((unknown + 1)) ;;
      *) other=$((other + 1)); cat "$work/err" >&2 ;;
    esac
  done
  # The listing is a read: retried through the same faults until answered (one page of 99).
  local listed=""
  for _ in 1 2 3 4 5; do
    listed=$("$bin/hbr" --endpoint "$url" call DescribeRestoreJobs2 \
      --input "{\"PageSize\":99,\"Filters\":[{\"Key\":\"VaultId\",\"Values\":[\"$vault\"],\"Operator\":\"IN\"}]}") && break
  done
  local jobs prefixes
  jobs=$(printf '%s' "$listed" | grep -c '"TargetPrefix": "lost/' || true)
  prefixes=$(printf '%s' "$listed" | grep '"TargetPrefix": "lost/' | sort -u | wc -l)
  kill "$emu_pid"; wait "$emu_pid" 2>/dev/null || true
  printf '%-16s %3d creates: exit 0: %3d, exit 8: %3d, other: %d; jobs listed: %3d (distinct targets %d)\n' \
    "$label" "$creates" "$ok" "$unknown" "$other" "$jobs" "$prefixes"
}

run "default"
run "--retry-writes" --retry-writes
run "--reconcile" --reconcile
