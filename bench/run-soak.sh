#!/usr/bin/env bash
# Memory over a long mixed load (issue 21, item 2: "no growth over a 1-hour soak").
#
#   bench/run-soak.sh
#
# Starts a private Roost with the JVM options bin/roost ships (serial collector, its AOT cache made
# by a short first run), runs the load generator's mixed load against it for SOAK, and every
# INTERVAL samples the server's RSS and PSS, the heap still used after a full GC (jcmd GC.run, then
# GC.heap_info), the messages on disk and the load average. Prints the least-squares slope of each
# memory series over the soak's second half (after the JIT and the caches have settled), per hour.
# It measures growth, not time: run it niced and without the bench lock (it would hold the lock for
# an hour), and never compare its CPU figures with a quiet run's.
#
# Environment (defaults in brackets): SOAK [50m]  INTERVAL [60] (s)  CLIENTS [10]  USERS [200]
#   MESSAGES [200]  OUT [bench/out/soak-DATE]  KEEP [0]: keep the temporary directory
#   MIX [copy=0,move=0,append=5]: the load generator's --mix; the default keeps the data level (the
#       mixed load's COPY and MOVE fill each user's Archive, which nothing empties, ~100,000 messages an
#       hour, and its APPENDs outweigh its EXPUNGEs until each INBOX doubled; memory that grows with the
#       data is not a leak). MIX= runs the mixed load as it is.
#   ROOST_JAVA_OPTS: JVM options for Roost (passed through bin/roost)  PORT [47143]: Roost's IMAP port
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

SOAK="${SOAK:-50m}"
INTERVAL="${INTERVAL:-60}"
CLIENTS="${CLIENTS:-10}"
USERS="${USERS:-200}"
MESSAGES="${MESSAGES:-200}"
MIX="${MIX-copy=0,move=0,append=5}"
OUT="${OUT:-$here/bench/out/soak-$(date -u +%Y%m%dT%H%M%SZ)}"
KEEP="${KEEP:-0}"
PORT="${PORT:-47143}"
PIDS=()

log() { printf '[soak %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
JAVA="$(pick_java)"
JCMD="$(dirname "$JAVA")/jcmd"
[ -f bench/target/roost-bench.jar ] || { log "build bench/target/roost-bench.jar first (see BENCHMARKS.md)"; exit 2; }
# LOADGEN_EXEC=1: the load generator replaces the (background) shell running it, so that the PID the
# script keeps and stops is the load generator's: a background function is a subshell, and stopping the
# subshell alone left the load generator running on against the next soak's server.
loadgen() { ${LOADGEN_EXEC:+exec} "$JAVA" -Xss512k -cp bench/target/roost-bench.jar org.roost.bench.LoadGenerator "$@"; }

ROOST_PORT=$PORT DOVECOT_PORT=$((PORT + 1)) prepare_side_by_side roost-soak
mkdir -p "$OUT"
for i in $(seq 1 "$USERS"); do echo "bench$i:{PLAIN}bench::::::"; done > "$WORK/passwd"
roost_conf "$WORK" "$PORT" "maildir:$WORK/mail/%u" "$WORK/passwd"
log "populating $USERS users x $MESSAGES messages in $WORK"
loadgen populate --root "$WORK/mail" --users "$USERS" --messages "$MESSAGES" >&2

mixed() {  # $1 duration, [$2 server pid]
  loadgen mixed --port "$PORT" --clients "$CLIENTS" --users "$USERS" --messages "$MESSAGES" --password bench \
    ${MIX:+--mix "$MIX"} --duration "$1" ${2:+--server-pid "$2" --server-jvm} --out "$OUT/mixed-$1.json"
}

# The first start records the AOT cache as bin/roost does for an operator; the soak runs on the second.
log "training run (records the AOT cache)"
start_work_roost "$PORT"
mixed 30s >/dev/null
stop_pid "${PIDS[0]}"
await_aot_cache

start_work_roost "$PORT"
pid="${PIDS[0]}"
log "soak: Roost pid $pid, $CLIENTS clients for $SOAK, a sample every ${INTERVAL}s"
LOADGEN_EXEC=1 mixed "$SOAK" "$pid" > "$OUT/mixed.txt" &
load_pid=$!
PIDS+=("$load_pid")

sample() {  # one CSV line: seconds, rss kB, pss kB, heap used after a full GC kB, messages on disk, load
  local rss pss heap messages
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
  # (an attach can time out on a loaded machine: that sample then has no heap figure, and the soak goes on)
  heap=""
  if "$JCMD" "$pid" GC.run >/dev/null 2>&1; then
    heap=$("$JCMD" "$pid" GC.heap_info 2>/dev/null \
      | awk '/Metaspace/ {exit} match($0, /used [0-9]+K/) {s += substr($0, RSTART + 5, RLENGTH - 6)} END {print s}' || true)
  fi
  messages=$(find "$WORK/mail" -path '*/cur/*' -o -path '*/new/*' | wc -l)
  echo "$1,$rss,$pss,$heap,$messages,$(cut -d' ' -f1 /proc/loadavg)"
}

echo "seconds,rss_kb,pss_kb,heap_after_full_gc_kb,messages,load1" > "$OUT/samples.csv"
start=$(date +%s)
while kill -0 "$load_pid" 2>/dev/null; do
  sample $(( $(date +%s) - start )) >> "$OUT/samples.csv"
  tail -n 1 "$OUT/samples.csv" >&2
  for _ in $(seq 1 "$INTERVAL"); do kill -0 "$load_pid" 2>/dev/null || break; sleep 1; done
done
wait "$load_pid"
sample $(( $(date +%s) - start )) >> "$OUT/samples.csv"
cp "$WORK/roost.log" "$OUT/"

# Least-squares slope per hour of each memory series over the second half of the samples.
awk -F, 'NR > 1 && $4 != "" { n++; t[n] = $1; for (c = 2; c <= 5; c++) v[c, n] = $c }
  END { from = int((n + 1) / 2); split("rss_kb pss_kb heap_after_full_gc_kb messages", name, " ")
        for (c = 2; c <= 5; c++) { sx = sy = sxx = sxy = 0; m = 0
          for (i = from; i <= n; i++) { x = t[i] / 3600; y = v[c, i]; sx += x; sy += y; sxx += x * x; sxy += x * y; m++ }
          slope = (m * sxy - sx * sy) / (m * sxx - sx * sx)
          printf "%s: first %d, last %d, slope over the second half %+.0f per hour\n", name[c - 1], v[c, 1], v[c, n], slope } }' \
  "$OUT/samples.csv" | tee "$OUT/slopes.txt"
grep -E 'ops/s|operations|violations' "$OUT/mixed.txt" | head -5 || true
log "results in $OUT"
