#!/usr/bin/env bash
# Fault injection for run_all (README, "Errors and guarantees"): a run killed
# with SIGKILL, SIGINT or SIGTERM, a file-size limit, a full disk, a
# read-only output folder, a commit that cannot finish, and a mirror that
# fails (full, read-only, under /proc) must each leave every earlier output
# and mirrored file byte for byte as it was and no partial file under a final
# name; the SIGKILLed run's temporaries are removed by the next run (with
# --layout tables, those in the table folders, beside another shard's parts,
# which stay as they were), and every
# other fault ends with a one-line error and a non-zero exit. A closed or
# full stdout leaves the run's outputs committed.
#
# Builds the release binaries, runs unattended (no stdin; as root in CI, where
# the full-disk and read-only checks use a tmpfs mount and `chattr +i`, with
# the fallbacks said in the output when those are not permitted), and ends
# with the line `N passed, M failed`; exits non-zero when a check failed.
#
# Usage: bash scripts/faults.sh
set -uo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet --bin run_all || {
  echo "cargo build --release --bin run_all failed" >&2
  echo "0 passed, 1 failed"
  exit 1
}
RUN_ALL="${CARGO_TARGET_DIR:-$PWD/target}/release/run_all"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/novawireless-faults.XXXXXX")"
MOUNTED=()
IMMUTABLE=()
cleanup() {
  local m d
  for d in "${IMMUTABLE[@]+"${IMMUTABLE[@]}"}"; do chattr -i "$d" 2>/dev/null; done
  for m in "${MOUNTED[@]+"${MOUNTED[@]}"}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
exec </dev/null

PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok      $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAILED  $*"; }
check() { # check DESCRIPTION COMMAND...: passes when the command succeeds
  local what="$1"; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# The final-named files of a folder with their hashes (temporaries, which
# start with a dot, are listed apart).
hashes() { (cd "$1" && find . -type f ! -name '.*' -print0 | sort -z | xargs -0 -r sha256sum); }
temporaries() { find "$1" -name '*.novawireless-partial' | sort; }
no_temporaries() { [ -z "$(temporaries "$1")" ]; }
# one_line FILE: exactly one non-empty line.
one_line() { [ "$(grep -c . "$1")" -eq 1 ] && [ "$(wc -l <"$1")" -eq 1 ]; }

# A small earlier run (N customers, default 2000) into DIR/out with its
# mirror in DIR/params.
earlier_run() { # earlier_run DIR [N]
  mkdir -p "$1"
  timeout 120 "$RUN_ALL" --n_customers "${2:-2000}" --out_dir "$1/out" --params_dir "$1/params" >/dev/null 2>"$1/earlier.err" ||
    { fail "earlier run into $1: $(cat "$1/earlier.err")"; return 1; }
  hashes "$1/out" >"$1/out.sha256"
  hashes "$1/params" >"$1/params.sha256"
}
unchanged() { # unchanged DIR: outputs and mirror as the earlier run left them
  hashes "$1/out" | cmp -s - "$1/out.sha256" && hashes "$1/params" | cmp -s - "$1/params.sha256"
}

# Checks the refusal of a run: exit status, stderr one line naming NEEDLES.
refused() { # refused NAME STATUS ERRFILE NEEDLE...
  local name="$1" status="$2" err="$3"; shift 3
  check "$name: non-zero exit without a signal (status $status)" test "$status" -ne 0 -a "$status" -lt 128
  check "$name: one line on stderr: $(head -c 300 "$err")" one_line "$err"
  local n
  for n in "$@"; do
    check "$name: the error names '$n'" grep -qF -- "$n" "$err"
  done
}

# until_writing PID DIR: waits until the run PID writes a temporary in DIR
# (the first pass only counts, in memory), at least one second in; at most
# 30 s, or until the run ends.
until_writing() {
  sleep 1
  for _ in $(seq 1 300); do
    [ -n "$(find "$2" -name '*.novawireless-partial' -size +0 2>/dev/null | head -n 1)" ] && break
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
}

echo "== 1. SIGKILL halfway through a large run"
D="$WORK/kill"
if earlier_run "$D"; then
  "$RUN_ALL" --n_customers 2000000 --out_dir "$D/out" --params_dir "$D/params" >/dev/null 2>"$D/killed.err" &
  PID=$!
  until_writing "$PID" "$D/out"
  sleep 0.3
  kill -9 "$PID" 2>/dev/null
  wait "$PID" 2>/dev/null
  STATUS=$?
  check "killed run: died by SIGKILL (status $STATUS)" test "$STATUS" -eq 137
  STRAY="$(temporaries "$D/out" | wc -l)"
  echo "        the killed run left $STRAY temporary files"
  check "killed run: every earlier output and mirrored file byte-identical, no new final name" unchanged "$D"
  timeout 120 "$RUN_ALL" --n_customers 2000 --out_dir "$D/out" --params_dir "$D/params" >/dev/null 2>"$D/next.err"
  STATUS=$?
  check "next run: succeeds (status $STATUS) $(head -c 300 "$D/next.err")" test "$STATUS" -eq 0
  check "next run: removed the killed run's temporaries" no_temporaries "$D/out"
  check "next run: same flags, same bytes as the earlier run" unchanged "$D"
fi
rm -rf "$D"

echo "== 1b. SIGKILL of one shard of --layout tables, beside the other shard's parts"
D="$WORK/kill-tables"
mkdir -p "$D"
tables_run() { # tables_run SHARD N: run_all --layout tables into $D/out
  timeout 120 "$RUN_ALL" --n_customers "$2" --layout tables --shard "$1" --out_dir "$D/out" --no_params_mirror >/dev/null 2>"$D/err"
}
shard2() { hashes "$D/out" | grep -F part-2-of-2; }
if tables_run 2/2 2000; then
  shard2 >"$D/shard2.sha256"
  hashes "$D/out" >"$D/out.sha256"
  "$RUN_ALL" --n_customers 2000000 --layout tables --shard 1/2 --out_dir "$D/out" --no_params_mirror >/dev/null 2>"$D/killed.err" &
  PID=$!
  until_writing "$PID" "$D/out"
  sleep 0.3
  kill -9 "$PID" 2>/dev/null
  wait "$PID" 2>/dev/null
  STATUS=$?
  check "killed shard: died by SIGKILL (status $STATUS)" test "$STATUS" -eq 137
  check "killed shard: its temporaries lie in the table folders" test -n "$(find "$D/out" -mindepth 2 -name '.part-1-of-2.*.novawireless-partial' | head -n 1)"
  check "killed shard: the other shard's files byte-identical, no new final name" cmp -s <(hashes "$D/out") "$D/out.sha256"
  tables_run 1/2 2000
  STATUS=$?
  check "next run of the shard: succeeds (status $STATUS) $(head -c 300 "$D/err")" test "$STATUS" -eq 0
  check "next run of the shard: removed the killed run's temporaries" no_temporaries "$D/out"
  check "next run of the shard: the other shard's files byte-identical" cmp -s <(shard2) "$D/shard2.sha256"
else
  fail "earlier shard run into $D: $(cat "$D/err")"
fi
rm -rf "$D"

echo "== 2. a file-size limit (ulimit -f 2048, 2 MiB) mid-write"
# run_all catches SIGXFSZ itself (crates/pipeline/src/cli.rs), so the write
# fails with EFBIG and the run reports it, instead of dying by the signal.
D="$WORK/fsize"
if earlier_run "$D"; then
  (ulimit -f 2048 && exec "$RUN_ALL" --n_customers 20000 --out_dir "$D/out" --params_dir "$D/params" >/dev/null 2>"$D/err")
  STATUS=$?
  refused "file-size limit" "$STATUS" "$D/err" "File too large" "$D/out/"
  check "file-size limit: earlier outputs and mirror byte-identical" unchanged "$D"
  check "file-size limit: no temporary left behind" no_temporaries "$D/out"
fi
rm -rf "$D"

echo "== 2b. the same limit with direct I/O (the writes happen on writer threads)"
D="$WORK/fsize-direct"
if earlier_run "$D"; then
  (ulimit -f 2048 && exec "$RUN_ALL" --n_customers 20000 --direct_io true --out_dir "$D/out" --params_dir "$D/params" >/dev/null 2>"$D/err")
  STATUS=$?
  refused "file-size limit, direct I/O" "$STATUS" "$D/err" "File too large" "$D/out/"
  check "file-size limit, direct I/O: earlier outputs and mirror byte-identical" unchanged "$D"
  check "file-size limit, direct I/O: no temporary left behind" no_temporaries "$D/out"
fi
rm -rf "$D"

echo "== 3. a full disk (an 8 MiB tmpfs)"
D="$WORK/full"
mkdir -p "$D"
if mount -t tmpfs -o size=8M tmpfs "$D" 2>"$WORK/mount.err"; then
  MOUNTED+=("$D")
  if earlier_run "$D" 300; then
    timeout 120 "$RUN_ALL" --n_customers 20000 --out_dir "$D/out" --params_dir "$D/params" >/dev/null 2>"$WORK/full.err"
    STATUS=$?
    refused "full disk" "$STATUS" "$WORK/full.err" "No space left on device" "$D/out/"
    check "full disk: earlier outputs and mirror byte-identical" unchanged "$D"
    check "full disk: no temporary left behind" no_temporaries "$D/out"
    timeout 120 "$RUN_ALL" --n_customers 20000 --direct_io true --out_dir "$D/out" --params_dir "$D/params" >/dev/null 2>"$WORK/full.err"
    STATUS=$?
    refused "full disk, direct I/O" "$STATUS" "$WORK/full.err" "No space left on device" "$D/out/"
    check "full disk, direct I/O: earlier outputs and mirror byte-identical" unchanged "$D"
    check "full disk, direct I/O: no temporary left behind" no_temporaries "$D/out"
  fi
  umount "$D" && MOUNTED=()
else
  echo "SKIPPED full disk: cannot mount a tmpfs here ($(head -c 200 "$WORK/mount.err")); the file-size limit above stands in for it"
fi

echo "== 4. a read-only output folder"
D="$WORK/readonly"
if earlier_run "$D"; then
  HOW=""
  if chattr +i "$D/out" 2>/dev/null; then
    IMMUTABLE+=("$D/out")
    HOW="an immutable folder (chattr +i, which binds root too)"
  else
    # No chattr on this file system: a read-only tmpfs holding a copy.
    R="$WORK/rofs"
    mkdir -p "$R"
    if mount -t tmpfs -o size=16M tmpfs "$R" 2>/dev/null; then
      MOUNTED+=("$R")
      cp -a "$D/." "$R/"
      if mount -o remount,ro "$R" 2>/dev/null; then
        D="$R"
        HOW="a read-only tmpfs mount (no chattr +i here)"
      fi
    fi
  fi
  if [ -n "$HOW" ]; then
    echo "        using: $HOW"
    timeout 120 "$RUN_ALL" --n_customers 2000 --out_dir "$D/out" --params_dir "$D/params" >/dev/null 2>"$WORK/ro.err"
    STATUS=$?
    refused "read-only folder" "$STATUS" "$WORK/ro.err" "$D/out" "cannot write"
    check "read-only folder: earlier outputs and mirror byte-identical" unchanged "$D"
  else
    # Neither works (no root): an output path whose parent is a regular file.
    echo "SKIPPED read-only folder: neither chattr +i nor a read-only mount is permitted; checking an output path under a regular file instead"
    timeout 120 "$RUN_ALL" --n_customers 2000 --out_dir "$D/out/customers.csv/sub" --params_dir "$D/params" >/dev/null 2>"$WORK/ro.err"
    STATUS=$?
    refused "output path under a file" "$STATUS" "$WORK/ro.err" "customers.csv is a file"
    check "output path under a file: earlier outputs and mirror byte-identical" unchanged "$D"
  fi
fi

echo "== 5. a commit that cannot finish: a non-empty folder under a final name, in the output and in the mirror"
for WHERE in out params; do
  D="$WORK/commit-$WHERE"
  if earlier_run "$D"; then
    rm "$D/$WHERE/anomaly_manifest.csv"
    mkdir "$D/$WHERE/anomaly_manifest.csv" && echo keep >"$D/$WHERE/anomaly_manifest.csv/keep"
    hashes "$D/out" >"$D/out.sha256"
    hashes "$D/params" >"$D/params.sha256"
    timeout 120 "$RUN_ALL" --n_customers 2000 --seed 7 --out_dir "$D/out" --params_dir "$D/params" >/dev/null 2>"$D/err"
    STATUS=$?
    refused "folder under a final name in $WHERE" "$STATUS" "$D/err" "$WHERE/anomaly_manifest.csv" "is a folder"
    check "folder under a final name in $WHERE: both folders byte-identical" unchanged "$D"
    check "folder under a final name in $WHERE: no temporary left behind" no_temporaries "$D"
  fi
  rm -rf "$D"
done

echo "== 6. a mirror that fails: a full mirror disk, a read-only mirror, a mirror under /proc"
D="$WORK/mirror-full"
mkdir -p "$D/params"
if mount -t tmpfs -o size=8M tmpfs "$D/params" 2>"$WORK/mount.err"; then
  MOUNTED+=("$D/params")
  if earlier_run "$D" 300; then
    timeout 120 "$RUN_ALL" --n_customers 20000 --out_dir "$D/out" --params_dir "$D/params" >/dev/null 2>"$D/err"
    STATUS=$?
    refused "full mirror disk" "$STATUS" "$D/err" "No space left on device" "--params_dir" "$D/params/"
    check "full mirror disk: the output folder and the mirror byte-identical" unchanged "$D"
    check "full mirror disk: no temporary left behind" no_temporaries "$D"
  fi
  umount "$D/params" && MOUNTED=()
else
  echo "SKIPPED full mirror disk: cannot mount a tmpfs here ($(head -c 200 "$WORK/mount.err"))"
fi
rm -rf "$D"
D="$WORK/mirror-readonly"
if earlier_run "$D"; then
  if chattr +i "$D/params" 2>/dev/null; then
    IMMUTABLE+=("$D/params")
    timeout 120 "$RUN_ALL" --n_customers 2000 --seed 7 --out_dir "$D/out" --params_dir "$D/params" >/dev/null 2>"$D/err"
    STATUS=$?
    refused "read-only mirror" "$STATUS" "$D/err" "--params_dir" "$D/params"
    check "read-only mirror: exit status 2 (got $STATUS)" test "$STATUS" -eq 2
    check "read-only mirror: both folders byte-identical" unchanged "$D"
    chattr -i "$D/params"
  else
    echo "SKIPPED read-only mirror: chattr +i is not permitted here"
  fi
  timeout 120 "$RUN_ALL" --n_customers 2000 --seed 7 --out_dir "$D/out" --params_dir /proc/novawireless-params >/dev/null 2>"$D/err"
  STATUS=$?
  refused "mirror under /proc" "$STATUS" "$D/err" "--params_dir" "/proc/novawireless-params"
  check "mirror under /proc: exit status 2 (got $STATUS)" test "$STATUS" -eq 2
  check "mirror under /proc: the output folder byte-identical" unchanged "$D"
fi
rm -rf "$D"

echo "== 7. SIGINT and SIGTERM halfway through a large run"
for SIG in INT TERM; do
  D="$WORK/signal-$SIG"
  if earlier_run "$D"; then
    "$RUN_ALL" --n_customers 2000000 --out_dir "$D/out" --params_dir "$D/params" >/dev/null 2>"$D/err" &
    PID=$!
    until_writing "$PID" "$D/out"
    kill -s "$SIG" "$PID" 2>/dev/null
    wait "$PID" 2>/dev/null
    STATUS=$?
    [ "$SIG" = INT ] && WANT=130 || WANT=143
    check "SIG$SIG: exit status $WANT (got $STATUS)" test "$STATUS" -eq "$WANT"
    check "SIG$SIG: one line on stderr: $(head -c 300 "$D/err")" one_line "$D/err"
    check "SIG$SIG: no temporary or lock left behind" test -z "$(find "$D" -name '*.novawireless-partial' -o -name '.novawireless.lock' | head -n 1)"
    check "SIG$SIG: both folders byte-identical" unchanged "$D"
  fi
  rm -rf "$D"
done

echo "== 8. stdout a closed pipe, and a full device"
# committed DIR SEED: the run of SEED is in DIR/out, as its receipt says.
committed() {
  local sum
  sum="$(sha256sum <"$1/out/customers.csv" | cut -d' ' -f1)"
  grep -q "\"seed\": $2," "$1/out/customer_generation_receipt.json" &&
    grep -q "\"sha256\": \"$sum\"" "$1/out/customer_generation_receipt.json" &&
    cmp -s "$1/out/master_account_ledger.csv" "$1/params/master_account_ledger.csv"
}
D="$WORK/pipe"
if earlier_run "$D"; then
  timeout 120 "$RUN_ALL" --n_customers 2000 --seed 7 --out_dir "$D/out" --params_dir "$D/params" 2>"$D/err" | true
  STATUS=${PIPESTATUS[0]}
  check "closed pipe: exit status 0 (got $STATUS)" test "$STATUS" -eq 0
  check "closed pipe: nothing on stderr: $(head -c 300 "$D/err")" test ! -s "$D/err"
  check "closed pipe: the run's outputs and mirror committed" committed "$D" 7
  timeout 120 "$RUN_ALL" --n_customers 2000 --seed 9 --out_dir "$D/out" --params_dir "$D/params" >/dev/full 2>"$D/err"
  STATUS=$?
  refused "full stdout" "$STATUS" "$D/err" "cannot write to stdout"
  check "full stdout: the run's outputs and mirror committed" committed "$D" 9
fi
rm -rf "$D"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
