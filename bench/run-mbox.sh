#!/usr/bin/env bash
# Roost's mbox driver beside Dovecot's, over copies of one mbox an MTA wrote (not part of mvn verify).
#   bench/run-mbox.sh [COUNT] [MEGABYTES]   default 100000 messages, 1024 MB; generated once (seeded)
#   ROOST_BENCH_DIR [/tmp/roost-mbox-bench-COUNT], ROOST_BENCH_PORT [12143] (Dovecot: port + 1)
#   ROOST_BENCH_DOVECOT=0 / ROOST_BENCH_ROOST=0  skip the Dovecot / the Roost side
# Both servers get a fresh copy of the file for the first SELECT (nobody has numbered it yet: both give
# UIDs and write X-UID headers, Dovecot when the mailbox is closed, Roost in the background), then,
# after a restart with the page cache dropped: SELECT, UID FETCH 1:* (UID FLAGS), SEARCH SINCE, an
# EXPUNGE of the message in the middle and an APPEND while another session is selected. Prints every
# row as a ratio Roost / Dovecot, and the peak resident memory of each server (Roost: the JVM; Dovecot:
# all its processes, and its imap processes alone) over each part, the server's CPU time for each client
# run (Roost: the JVM; Dovecot: its processes and those they reaped) and the load average before each
# part. SELECT after a restart is timed ROOST_BENCH_RESTARTS [5] more times (each: page cache dropped,
# server started, one SELECT), as a median. Needs target/roost.jar (mvn -B -DskipTests package); root.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
log() { printf '[mbox bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
count=${1:-100000}
megabytes=${2:-1024}
dir=${ROOST_BENCH_DIR:-/tmp/roost-mbox-bench-$count}
restarts=${ROOST_BENCH_RESTARTS:-5}
port=${ROOST_BENCH_PORT:-12143}
java=${JAVA:-$(pick_java)}

if [ ! -f "$dir/original/inbox" ]; then
  echo "generating $count messages, $megabytes MB ..."
  "$java" "$here/bench/MboxGenerator.java" "$dir/original/inbox" "$count" "$megabytes"
fi
rm -rf "$dir/app" && mkdir -p "$dir/app/target" "$dir/app/bin"
cp -rp "$here/target/roost.jar" "$here/target/lib" "$dir/app/target/" && cp -p "$here/bin/roost" "$dir/app/bin/"
export ROOST_AOT_CACHE="$dir/roost.aot"
printf 'bench:{PLAIN}bench::::::\n' > "$dir/passwd"
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || echo "(page cache not dropped: no permission)"; }
bench() { "$java" "$here/bench/ImapBench.java" "$@"; }
fresh_copy() { rm -rf "$1"; mkdir -p "$1/bench"; cp "$dir/original/inbox" "$1/bench/inbox"; }
# rss_row LABEL FILE: the peak a sampler wrote, in MB
rss_row() { printf '%-52s %10.1f MB\n' "$1" "$(echo "$(cat "$2" 2>/dev/null || echo 0) / 1024" | bc -l)"; }
load_row() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }
tree_cpu_ms() {  # $1 pid: CPU time of the process and its descendants, children they reaped included, in ms
  ps -e -o pid=,ppid= | awk -v root="$1" '{ parent[$1] = $2 }
    END { for (p in parent) { q = p; while (q != root && (q in parent) && q > 1) q = parent[q]; if (q == root) print p } }' \
    | while read -r p; do sed 's/.*) //' "/proc/$p/stat" 2>/dev/null || true; done \
    | awk -v tck="$(getconf CLK_TCK)" '{ s += $12 + $13 + $14 + $15 } END { printf "%.0f", s * 1000 / tck }'
}
# timed_bench PID_FOR_CPU ARGS...: runs the client, then the server's CPU time over the run (reaped children settle first)
timed_bench() {
  local cpu_pid=$1 before; shift
  before=$(tree_cpu_ms "$cpu_pid")
  bench "$@"
  sleep 0.5
  printf '%-52s %10.1f ms\n' "server CPU time for the rows above" "$(( $(tree_cpu_ms "$cpu_pid") - before ))"
}
# median_row LABEL FILE...: the median (and range) of the SELECT rows of the restart rounds
median_row() {
  local label=$1; shift
  grep -h '^SELECT INBOX' "$@" | awk '{ print $(NF - 1) }' | sort -n | awk -v label="$label" '
    { v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%-52s %10.1f ms\n  (%d rounds, %.1f to %.1f)\n", label, m, NR, v[1], v[NR] }'
}

pid=
dc=
cleanup() {  # (an && list ending in a failure would make set -e end the trap, and the script, with it)
  if [ -n "$pid" ]; then stop_pid "$pid"; fi
  if [ -n "$dc" ]; then /usr/sbin/dovecot -c "$dc/dovecot.conf" stop 2>/dev/null || true; fi
}
trap cleanup EXIT

# ---- Roost
roost_conf "$dir" "$port" "mbox:$dir/roost/%u" "$dir/passwd"
start() {  # $1 file for the peak RSS
  port_free "$port"
  JAVA_HOME="$(dirname "$(dirname "$java")")" ROOST_JAVA_OPTS="-Xmx1g" \
    "$dir/app/bin/roost" serve --config "$dir/roost.yaml" > "$dir/server.log" 2>&1 &
  pid=$!
  wait_port "$port" "$pid"
  rm -f "$1"; sample_peak_rss "$1" "$pid"
}
stop() { stop_pid "$pid"; pid=; wait; }
if [ "${ROOST_BENCH_ROOST:-1}" != 0 ]; then
  if [ ! -f "$ROOST_AOT_CACHE" ]; then
    echo "== a first run records bin/roost's ahead-of-time cache"
    fresh_copy "$dir/roost"; start "$dir/rss-aot"; bench "$port" bench bench "$pid" select-only > /dev/null; stop
    for _ in $(seq 1 300); do [ -f "$ROOST_AOT_CACHE" ] && break; sleep 0.5; done  # assembled after the exit
  fi
  fresh_copy "$dir/roost"
  drop_caches
  echo "== Roost ${ROOST_BENCH_COMMIT:-$(git -C "$here" describe --always --dirty 2>/dev/null)}: first SELECT of an mbox nobody numbered"
  load_row
  start "$dir/rss-roost-first"
  cpu0=$(tree_cpu_ms "$pid")
  bench "$port" bench bench "$pid" select-only | tee "$dir/roost-first.out"
  t0=$(date +%s.%N)
  while [ -f "$dir/roost/bench/.imap/INBOX/roost.mbox.pending" ]; do sleep 0.1; done
  printf '%-52s %10.1f ms\n' "X-UIDs written into the file (in the background)" \
    "$(echo "($(date +%s.%N) - $t0) * 1000" | bc)" | tee -a "$dir/roost-first.out"
  printf '%-52s %10.1f ms\n' "server CPU time for the rows above" "$(( $(tree_cpu_ms "$pid") - cpu0 ))" \
    | tee -a "$dir/roost-first.out"
  stop
  rss_row "peak RSS, Roost (JVM, -Xmx1g)" "$dir/rss-roost-first" | tee -a "$dir/roost-first.out"
  echo "== Roost: SELECT after a restart, $restarts times"
  load_row
  rm -f "$dir"/roost-restart-*.out
  for r in $(seq 1 "$restarts"); do
    drop_caches; start "$dir/rss-roost"
    bench "$port" bench bench "$pid" select-only > "$dir/roost-restart-$r.out"; stop
  done
  median_row "SELECT after a restart, median" "$dir"/roost-restart-*.out | tee "$dir/roost-restarts.out"
  drop_caches
  echo "== Roost: after a restart"
  load_row
  start "$dir/rss-roost"
  timed_bench "$pid" "$port" bench bench "$pid" | tee "$dir/roost.out"
  timed_bench "$pid" "$port" bench bench "$pid" writes | tee -a "$dir/roost.out"
  stop
  rss_row "peak RSS, Roost (JVM, -Xmx1g)" "$dir/rss-roost" | tee -a "$dir/roost.out"
fi

[ "${ROOST_BENCH_DOVECOT:-1}" != 0 ] && [ -x /usr/sbin/dovecot ] || exit 0
# ---- Dovecot: the same file, its index elsewhere (INDEX=), as user nobody
dport=$((port + 1))
dc="$dir/dovecot-state"
rm -rf "$dc" && mkdir -p "$dc/index"
dovecot_conf "$dc" "$dport" "mbox:$dir/dovecot/%u:INBOX=$dir/dovecot/%u/inbox:INDEX=$dc/index/%u" "$dir/passwd"
dstart() {  # $1 prefix of the files for the peak RSS (all processes, imap processes)
  port_free "$dport"
  /usr/sbin/dovecot -c "$dc/dovecot.conf"
  until (exec 3<>/dev/tcp/127.0.0.1/$dport) 2>/dev/null && [ -s "$dc/run/master.pid" ]; do sleep 0.2; done
  local master; master=$(cat "$dc/run/master.pid")
  rm -f "$1-all" "$1-imap"; sample_peak_rss "$1-all" "$master"; sample_peak_rss "$1-imap" "$master" imap
}
dstop() { /usr/sbin/dovecot -c "$dc/dovecot.conf" stop; wait; }
dovecot_rss() {  # $1 prefix given to dstart
  rss_row "peak RSS, Dovecot (all processes)" "$1-all"
  rss_row "peak RSS, Dovecot (imap processes)" "$1-imap"
}
fresh_copy "$dir/dovecot"
chown -R 65534:65534 "$dir/dovecot" "$dc/index"
drop_caches
echo "== Dovecot $(/usr/sbin/dovecot --version | cut -d' ' -f1): first SELECT of the same mbox"
load_row
dstart "$dir/rss-dovecot-first"
timed_bench "$(cat "$dc/run/master.pid")" "$dport" bench bench 0 select-only | tee "$dir/dovecot-first.out"
dstop
dovecot_rss "$dir/rss-dovecot-first" | tee -a "$dir/dovecot-first.out"
echo "== Dovecot: SELECT after a restart, $restarts times"
load_row
rm -f "$dir"/dovecot-restart-*.out
for r in $(seq 1 "$restarts"); do
  drop_caches; dstart "$dir/rss-dovecot"
  bench "$dport" bench bench 0 select-only > "$dir/dovecot-restart-$r.out"; dstop
done
median_row "SELECT after a restart, median" "$dir"/dovecot-restart-*.out | tee "$dir/dovecot-restarts.out"
drop_caches
echo "== Dovecot: after a restart"
load_row
dstart "$dir/rss-dovecot"
master=$(cat "$dc/run/master.pid")
timed_bench "$master" "$dport" bench bench 0 | tee "$dir/dovecot.out"
timed_bench "$master" "$dport" bench bench 0 writes | tee -a "$dir/dovecot.out"
dstop
dovecot_rss "$dir/rss-dovecot" | tee -a "$dir/dovecot.out"
echo "== Roost / Dovecot"
ratio() {  # rows paired by label and by how often the label came before (SELECT comes twice)
  awk -F'  +' 'NR == FNR { if ($NF ~ / ms$/) dovecot[$1, ++seen[$1]] = $NF + 0; next }
    $NF ~ / ms$/ { k = ++mine[$1] }
    $NF ~ / ms$/ && (($1, k) in dovecot) && dovecot[$1, k] > 0 {
      printf "%-52s %8.2f  (%s vs %.1f ms)\n", $1, ($NF + 0) / dovecot[$1, k], $NF, dovecot[$1, k] }' "$1" "$2"
}
ratio "$dir/dovecot-first.out" "$dir/roost-first.out" | sed 's/^SELECT/first SELECT/'
ratio "$dir/dovecot-restarts.out" "$dir/roost-restarts.out"
ratio "$dir/dovecot.out" "$dir/roost.out"
load_row
