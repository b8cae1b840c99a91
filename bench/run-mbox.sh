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
# all its processes, and its imap processes alone) over each part. Needs target/roost.jar
# (mvn -B -DskipTests package); root.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
log() { printf '[mbox bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
count=${1:-100000}
megabytes=${2:-1024}
dir=${ROOST_BENCH_DIR:-/tmp/roost-mbox-bench-$count}
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
  fi
  fresh_copy "$dir/roost"
  drop_caches
  echo "== Roost: first SELECT of an mbox nobody numbered"
  start "$dir/rss-roost-first"
  bench "$port" bench bench "$pid" select-only | tee "$dir/roost-first.out"
  t0=$(date +%s.%N)
  while [ -f "$dir/roost/bench/.imap/INBOX/roost.mbox.pending" ]; do sleep 0.1; done
  printf '%-52s %10.1f ms\n' "X-UIDs written into the file (in the background)" \
    "$(echo "($(date +%s.%N) - $t0) * 1000" | bc)" | tee -a "$dir/roost-first.out"
  stop
  rss_row "peak RSS, Roost (JVM, -Xmx1g)" "$dir/rss-roost-first" | tee -a "$dir/roost-first.out"
  drop_caches
  echo "== Roost: after a restart"
  start "$dir/rss-roost"
  bench "$port" bench bench "$pid" | tee "$dir/roost.out"
  bench "$port" bench bench "$pid" writes | tee -a "$dir/roost.out"
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
dstart "$dir/rss-dovecot-first"
bench "$dport" bench bench 0 select-only | tee "$dir/dovecot-first.out"
dstop
dovecot_rss "$dir/rss-dovecot-first" | tee -a "$dir/dovecot-first.out"
drop_caches
echo "== Dovecot: after a restart"
dstart "$dir/rss-dovecot"
bench "$dport" bench bench 0 | tee "$dir/dovecot.out"
bench "$dport" bench bench 0 writes | tee -a "$dir/dovecot.out"
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
ratio "$dir/dovecot.out" "$dir/roost.out"
