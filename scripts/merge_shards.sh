#!/usr/bin/env bash
# Merges the CSV tables of `run_all --shard K/N` runs into one folder: each
# table's header once, then the shards' rows in shard order. The shard
# folders are the subfolders of SHARDS, in the numeric order of their names
# (1 … N, or 0 … N-1 as a Kubernetes indexed job numbers them). The result
# is the full run's tables byte for byte (receipts stay per shard).
#
#   scripts/merge_shards.sh SHARDS MERGED
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: scripts/merge_shards.sh SHARDS MERGED" >&2
  exit 2
fi
shards=$1
merged=$2
mapfile -t folders < <(find "$shards" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -n)
if [ ${#folders[@]} -eq 0 ]; then
  echo "error: $shards holds no shard folder" >&2
  exit 2
fi
first="$shards/${folders[0]}"
mkdir -p "$merged"
for t in customers customers_v1 lines devices eip_agreements line_device_usage \
         master_account_ledger master_account_ledger__anomalies imei_anomaly_examples \
         anomaly_manifest master_account_ledger__clean; do
  [ -f "$first/$t.csv" ] || continue
  { head -n 1 "$first/$t.csv"
    for k in "${folders[@]}"; do tail -n +2 "$shards/$k/$t.csv"; done; } > "$merged/$t.csv"
done
