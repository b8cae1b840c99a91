#!/usr/bin/env bash
# The file descriptors a LIST-STATUS over many folders leaves open, and whether everyone else is still served:
# user "big" with FOLDERS folders sends `LIST "" "*" RETURN (STATUS (MESSAGES UNSEEN))` (imaplib), then user
# "other" logs in, SELECTs INBOX and APPENDs. Roost (this build), BASE_APP (another build, e.g. main before a
# change, on its own hard-linked copy) and Dovecot 2.3, one after the other.
#
#   flock /tmp/bench.lock bench/run-list-status-fds.sh
#
# Per server: the process limit (/proc/PID/limits, as the JVM raised it), descriptors of the process tree before
# the LIST, the peak during it (sampled every 20 ms), after it, and after ROUNDS more LISTs; each LIST's time; the
# RSS after; the other user's three answers. Results: $OUT/results.tsv and $OUT/summary.md.
#
# Environment (defaults in brackets): FOLDERS [10000]  MESSAGES [2] per folder  ROUNDS [2]  BASE_APP []  DOVECOT [1]
#   OUT [bench/out/list-status-fds-DATE]  KEEP [0]  ROOST_BENCH_FSYNC [true]  ROOST_INDEX_MAXOPENFILES [0: derived]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

FOLDERS="${FOLDERS:-10000}"
MESSAGES="${MESSAGES:-2}"
ROUNDS="${ROUNDS:-2}"
BASE_APP="${BASE_APP:-}"
DOVECOT="${DOVECOT:-1}"
OUT="${OUT:-$here/bench/out/list-status-fds-$(date -u +%Y%m%dT%H%M%SZ)}"
KEEP="${KEEP:-0}"
ROOST_PORT=49145
DOVECOT_PORT=49245
BASE_PORT=49345
PIDS=()

log() { printf '[list-status-fds %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"

prepare_side_by_side roost-list-status-fds
mkdir -p "$OUT"
printf 'big:{PLAIN}bench::::::\nother:{PLAIN}bench::::::\n' > "$WORK/passwd"
chmod 644 "$WORK/passwd"

log "generating $FOLDERS folders of $MESSAGES messages"
python3 bench/list_status.py generate "$WORK/mail/big" "$FOLDERS" "$MESSAGES"
python3 bench/list_status.py generate "$WORK/mail/other" 0 0
cp -al "$WORK/mail" "$WORK/roost-mail"
[ -z "$BASE_APP" ] || cp -al "$WORK/mail" "$WORK/base-mail"
cp -al "$WORK/mail" "$WORK/dovecot-mail"  # hard links: Maildir writers rename, never change a file in place
chown -R 65534:65534 "$WORK/dovecot-mail"
sync  # the generated mail's writeback must not land in the first server's fsyncs

tree_fds() {  # $1 pid: descriptors open in the process and its descendants
  local total=0 p
  for p in $1 $(pgrep -d ' ' -P "$1" 2>/dev/null || true); do
    total=$((total + $(ls "/proc/$p/fd" 2>/dev/null | wc -l)))
    for c in $(pgrep -P "$p" 2>/dev/null || true); do total=$((total + $(ls "/proc/$c/fd" 2>/dev/null | wc -l))); done
  done
  echo "$total"
}

sample_peak_fds() {  # $1 output file, $2 pid: the peak of tree_fds every 20 ms until the file $1.stop exists
  ( peak=0
    while [ ! -e "$1.stop" ] && kill -0 "$2" 2>/dev/null; do
      now=$(tree_fds "$2"); if [ "$now" -gt "$peak" ]; then peak=$now; echo "$peak" > "$1"; fi
      sleep 0.02
    done ) &
}

measure() {  # $1 label, $2 pid, $3 port: one TSV line
  local limit before peak after list again others rss
  limit="$(awk '/Max open files/ { print $4 "/" $5 }' "/proc/$2/limits")"
  before="$(tree_fds "$2")"
  rm -f "$WORK/peak" "$WORK/peak.stop"
  sample_peak_fds "$WORK/peak" "$2"
  local sampler=$!
  list="$(python3 bench/fd_budget.py list 127.0.0.1 "$3" big bench || printf "failed\t-\t-\t-")"
  after="$(tree_fds "$2")"
  again=""
  for _ in $(seq 1 "$ROUNDS"); do
    again="$again$(python3 bench/fd_budget.py list 127.0.0.1 "$3" big bench | cut -f1) "
  done
  touch "$WORK/peak.stop"; wait "$sampler" 2>/dev/null || true
  peak="$(cat "$WORK/peak" 2>/dev/null || echo "$before")"
  others="$(python3 bench/fd_budget.py other 127.0.0.1 "$3" other bench)"
  rss="$(tree_rss_kb "$2")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$limit" "$before" "$peak" "$after" "$(tree_fds "$2")" \
    "$list" "${again% }" "$((rss / 1024))" "$others"
}

run_roost() {  # $1 label, $2 bin/roost, $3 port, $4 mail copy
  roost_conf "$WORK/$1" "$3" "maildir:$WORK/$4/%u" "$WORK/passwd"
  "$2" serve --config "$WORK/$1/roost.yaml" > "$WORK/$1.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  wait_port "$3" "$pid"
  measure "$1" "$pid" "$3"
  grep -c "Too many open files" "$WORK/$1.log" | sed "s/^/$1: log lines naming 'Too many open files': /" >&2 || true
  stop_pid "$pid"
}

# The servers start in this shell, not in a pipeline's subshell: their PIDs must reach the EXIT trap.
run_roost roost "$ROOST" "$ROOST_PORT" roost-mail >> "$OUT/results.tsv"
if [ -n "$BASE_APP" ]; then
  mkdir -p "$WORK/base-app/bin" "$WORK/base-app/target"
  cp "$BASE_APP/bin/roost" "$WORK/base-app/bin/"
  cp -r "$BASE_APP/target/roost.jar" "$BASE_APP/target/lib" "$WORK/base-app/target/"
  run_roost roost-base "$WORK/base-app/bin/roost" "$BASE_PORT" base-mail >> "$OUT/results.tsv"
fi
if [ "$DOVECOT" = 1 ]; then
  dovecot_conf "$WORK/dovecot" "$DOVECOT_PORT" "maildir:$WORK/dovecot-mail/%u" "$WORK/passwd"
  dovecot -F -c "$WORK/dovecot/dovecot.conf" > "$WORK/dovecot.out" 2>&1 &
  PIDS+=($!)
  wait_port "$DOVECOT_PORT" "$!"
  measure dovecot "$!" "$DOVECOT_PORT" >> "$OUT/results.tsv"
fi
cat "$OUT/results.tsv" >&2

{
  echo "$FOLDERS folders of $MESSAGES messages; user big: \`LIST \"\" \"*\" RETURN (STATUS (MESSAGES UNSEEN))\`" \
    "(the first opens every folder), then $ROUNDS more; then user other: LOGIN, SELECT INBOX, APPEND." \
    "Descriptors of the server's process tree. Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| server | limit soft/hard | fds before | peak fds | after first LIST | at the end | first LIST ms, LIST lines, STATUS lines, answer | next LISTs ms | RSS MiB | other: LOGIN | SELECT | APPEND | ms |"
  echo "|---|---|---:|---:|---:|---:|---|---|---:|---|---|---|---:|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s ms, %s, %s, %s | %s | %s | %s | %s | %s | %s |\n",
      $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16 }' "$OUT/results.tsv"
} > "$OUT/summary.md"
cat "$OUT/summary.md"
