#!/usr/bin/env bash
# Roost's memory with a million-message mailbox selected and idle sessions beside (issue 21, item 2:
# "<= 256 MB RSS for the whole process with 2,000 idle connections and a 1M-message mailbox selected").
#
#   bench/run-large-memory.sh ROOT
#
# ROOT: a Maildir root holding big/ (`LoadGenerator populate --root ROOT --users 0 --messages 0
# --big-user big --big-messages 1000000`); idle/ is made beside it. Starts a private Roost as bin/roost
# ships it; the first start builds the index (the load generator's large-mailbox once, not counted) and
# records the AOT cache, as an operator's first start would. Then RUNS fresh starts, each measured by
# large-mailbox with IDLERS sessions in IDLE: RSS, PSS and the high-water mark while the mailbox is
# selected; after it, where the resident memory lies (smaps by mapping), the heap (GC.heap_info), the
# JVM's own memory (VM.native_memory, when ROOST_JAVA_OPTS has -XX:NativeMemoryTracking=summary) and
# the live heap's largest classes (GC.class_histogram, which collects first).
#
# Environment (defaults in brackets): IDLERS [2000]  RUNS [2]  OUT [bench/out/large-memory-DATE]
#   ROOST_JAVA_OPTS: JVM options for Roost (passed through bin/roost)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

ROOT="$(cd "${1:?usage: bench/run-large-memory.sh ROOT}" && pwd)"
IDLERS="${IDLERS:-2000}"
RUNS="${RUNS:-2}"
OUT="${OUT:-$here/bench/out/large-memory-$(date -u +%Y%m%dT%H%M%SZ)}"
PORT=48143
PIDS=()

log() { printf '[large-memory %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
JAVA="$(pick_java)"
JCMD="$(dirname "$JAVA")/jcmd"
[ -d "$ROOT/big/cur" ] || { log "$ROOT/big is not a populated Maildir"; exit 2; }
[ -f bench/target/roost-bench.jar ] || { log "build bench/target/roost-bench.jar first (see BENCHMARKS.md)"; exit 2; }
loadgen() { "$JAVA" -Xss512k -cp bench/target/roost-bench.jar org.roost.bench.LoadGenerator "$@"; }

ROOST_PORT=$PORT DOVECOT_PORT=$((PORT + 1)) prepare_side_by_side roost-large-memory
mkdir -p "$OUT" "$ROOT/idle/cur" "$ROOT/idle/new" "$ROOT/idle/tmp"
printf 'big:{PLAIN}bench::::::\nidle:{PLAIN}bench::::::\n' > "$WORK/passwd"
roost_conf "$WORK" "$PORT" "maildir:$ROOT/%u" "$WORK/passwd"
echo "limits: {maxConnections: 60000, maxConnectionsPerIp: 60000}" >> "$WORK/roost.yaml"

large_mailbox() {  # [options...]
  loadgen large-mailbox --port "$PORT" --big-user big --password bench "$@"
}

log "first start: builds the index and records the AOT cache (not counted)"
start_work_roost "$PORT"
large_mailbox --runs 1 > "$OUT/first.txt"
stop_pid "${PIDS[0]}"
await_aot_cache

for run in $(seq 1 "$RUNS"); do
  start_work_roost "$PORT"
  pid="${PIDS[0]}"
  log "run $run: Roost pid $pid, $IDLERS idlers"
  large_mailbox --runs 3 --server-pid "$pid" --idle-connections "$IDLERS" --idle-user idle \
    --out "$OUT/run-$run.json" | tee "$OUT/run-$run.txt"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/run-$run.txt"
  awk '/^[0-9a-f]+-[0-9a-f]+ / { name = $6 == "" ? "[anonymous]" : $6 }
       /^Rss:/ { rss[name] += $2 }
       END { for (n in rss) if (rss[n] >= 1024) printf "%8d kB  %s\n", rss[n], n }' "/proc/$pid/smaps" \
    | sort -rn | head -12 > "$OUT/smaps-$run.txt"
  "$JCMD" "$pid" GC.heap_info > "$OUT/heap-$run.txt"
  "$JCMD" "$pid" VM.native_memory summary > "$OUT/nmt-$run.txt" || true  # with -XX:NativeMemoryTracking=summary
  "$JCMD" "$pid" GC.class_histogram | head -25 > "$OUT/histogram-$run.txt"
  "$JCMD" "$pid" GC.heap_info > "$OUT/heap-after-gc-$run.txt"
  cat "$OUT/smaps-$run.txt" "$OUT/heap-$run.txt" >&2
  stop_pid "$pid"
done
log "results in $OUT"
