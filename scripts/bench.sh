#!/usr/bin/env bash
# Benchmarks run_all (CSV, --no_params_mirror) at several sizes and prints,
# per size, the median wall time of the runs, customers/s, MB/s written, the
# largest peak RSS, and the write rate as a share of the disk's sustained
# write speed measured first with dd.
#
#   scripts/bench.sh                     # 10k, 1M and 10M customers
#   scripts/bench.sh 10000 1000000       # chosen sizes
#   RUNS=5 BENCH_DIR=/mnt/fast scripts/bench.sh
#   RUNS_LARGE=3 scripts/bench.sh 10000000   # sizes from 10M run once unless set
#   FORMAT=parquet scripts/bench.sh 10000 1000000 10000000
#   ARROW=1 scripts/bench.sh 1000000     # novawireless.generate() into Arrow
#
# ARROW=1 times the Python package's generate() instead: every table in
# memory, nothing encoded or written ("MB written" is then the Arrow
# tables' size). It needs the package installed in PYTHON (default: the
# venv scripts/test.sh makes, target/test-venv).
#
# Needs /usr/bin/time (GNU time) and room for the largest output in
# BENCH_DIR (about 2.4 KB per customer: 24 GB for 10M).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 1000000 10000000)
runs=${RUNS:-3}
format=${FORMAT:-csv}
dir=${BENCH_DIR:-target/bench}
mkdir -p "$dir"

cargo build --release --quiet --bin run_all
bin=target/release/run_all
arrow=${ARROW:-0}
python=${PYTHON:-target/test-venv/bin/python}
if [ "$arrow" = 1 ]; then
  format=arrow
  "$python" -c 'import novawireless' || { echo "ARROW=1: novawireless is not installed in $python (run scripts/test.sh, or set PYTHON)" >&2; exit 1; }
fi
# The measured command for n customers, in the array cmd; the Arrow job
# writes its tables' size in bytes to $dir/arrow_bytes.txt.
job() {
  if [ "$arrow" = 1 ]; then
    cmd=("$python" -c 'import sys, novawireless
t = novawireless.generate(n_customers=int(sys.argv[1]))
open(sys.argv[2], "w").write(str(sum(x.nbytes for x in t.values())))' "$1" "$dir/arrow_bytes.txt")
  else
    cmd=("$bin" --n_customers "$1" --out_dir "$dir/run" --no_params_mirror --quiet --format "$format")
  fi
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "threads: ${RAYON_NUM_THREADS:-$(nproc)}, format: $format"

dd_out=$(dd if=/dev/zero of="$dir/dd.tmp" bs=1M count=2000 conv=fdatasync 2>&1 | tail -1)
rm -f "$dir/dd.tmp"
disk_mbs=$(echo "$dd_out" | awk '{ v=$(NF-1); u=$NF; if (u ~ /^GB/) v*=1000; print v }')
echo "disk: $disk_mbs MB/s sustained write (dd bs=1M count=2000 conv=fdatasync)"
echo
printf '%12s %5s %10s %14s %10s %10s %10s %9s\n' customers runs "wall s" customers/s "MB written" "MB/s" "peak RSS" "of disk"

for n in "${sizes[@]}"; do
  r=$runs
  [ "$n" -ge 10000000 ] && r=${RUNS_LARGE:-1}
  walls=()
  rss_max=0
  for _ in $(seq "$r"); do
    rm -rf "$dir/run"
    sync
    job "$n"
    /usr/bin/time -f '%e %M' -o "$dir/time.txt" "${cmd[@]}" >/dev/null 2>"$dir/stderr.txt"
    read -r wall rss < "$dir/time.txt"
    walls+=("$wall")
    [ "$rss" -gt "$rss_max" ] && rss_max=$rss
  done
  if [ "$arrow" = 1 ]; then
    bytes=$(cat "$dir/arrow_bytes.txt")
  else
    bytes=$(du -sb "$dir/run" | cut -f1)
  fi
  median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
  awk -v n="$n" -v r="$r" -v w="$median" -v b="$bytes" -v rss="$rss_max" -v d="$disk_mbs" 'BEGIN{
    mbs = b/1e6/w
    printf "%12d %5d %10.2f %14.0f %10.0f %10.0f %7.0f MB %8.0f%%\n", n, r, w, n/w, b/1e6, mbs, rss/1024, 100*mbs/d
  }'
  rm -rf "$dir/run"
done
