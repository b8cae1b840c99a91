#!/usr/bin/env bash
# The first commands after a restart, one at a time, beside Dovecot (issue 20), over the mailbox run-mbox.sh
# left behind (run it first, with the same ROOST_BENCH_DIR): page cache dropped, server started and settled,
# then SELECT (traced with strace -f -T), UID FETCH 1:* (UID FLAGS) and UID SEARCH UNSEEN, each twice.
#   bench/run-mbox-cold.sh [MODE...]   modes: roost (the AOT cache run-mbox.sh made), xint (the same, -Xint),
#                                      full-aot (a cache recorded over a whole read session by record-full-aot,
#                                      run outside the bench lock, see below), dovecot;
#                                      roost-expunge, dovecot-expunge: SELECT, STORE +FLAGS (\Deleted) of the
#                                      middle message and EXPUNGE, the EXPUNGE traced
#   ROOST_BENCH_DIR [/tmp/roost-mbox-bench-100000], ROOST_BENCH_PORT [12143] (Dovecot: port + 1)
# Per command: elapsed, server CPU (per-thread schedstat) and, for Roost, the JIT's compilations meanwhile
# (-Xlog:jit+compilation=debug); the strace summaries land in $dir/cold-*.strace. full-aot first records
# bin/roost's cache the way a server in service does: its first `serve` answers clients (here run-mbox.sh's
# read session, ImapBench "all") before it stops, so the cache holds those paths' classes and method profiles.
# Needs root (drop_caches, strace).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
log() { printf '[mbox cold %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
dir=${ROOST_BENCH_DIR:-/tmp/roost-mbox-bench-100000}
port=${ROOST_BENCH_PORT:-12143}
dport=$((port + 1))
java=${JAVA:-$(pick_java)}
modes=${*:-roost xint dovecot}
[ -f "$dir/roost.yaml" ] && [ -f "$dir/roost.aot" ] || { log "run bench/run-mbox.sh with ROOST_BENCH_DIR=$dir first"; exit 2; }
reads=("SELECT INBOX" "UID FETCH 1:* (UID FLAGS)" "UID FETCH 1:* (UID FLAGS)" "UID SEARCH UNSEEN" "UID SEARCH UNSEEN")
expunge=("SELECT INBOX" "STORE 50000 +FLAGS.SILENT (\\Deleted)" "EXPUNGE")
envelope=("SELECT INBOX" "UID FETCH 1:* (UID FLAGS)" "FETCH 99951:* (ENVELOPE)" "FETCH 99951:* (ENVELOPE)")
jvm_opts="-XX:+UseSerialGC -Xmn32m -Djdk.nio.maxCachedBufferSize=262144 -XX:+UseCompactObjectHeaders -Xmx1g"
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }
settle() {  # $1 pid: until it used no CPU for 0.5 s (the JIT's start-up backlog done), at most 20 s
  local before after
  for _ in $(seq 1 40); do
    before=$(awk '{ print $14 + $15 }' "/proc/$1/stat"); sleep 0.5; after=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
    [ "$before" = "$after" ] && return 0
  done
}
pid=
dc="$dir/dovecot-state"
cleanup() {
  if [ -n "$pid" ]; then stop_pid "$pid"; fi
  /usr/sbin/dovecot -c "$dc/dovecot.conf" stop 2>/dev/null || true
}
trap cleanup EXIT

roost() {  # $1 label, $2 AOT cache, $3... extra JVM options; commands in $commands, the $traced-th traced
  local label=$1 cache=$2; shift 2
  drop_caches
  # shellcheck disable=SC2086 # the options are words by design
  "$java" -XX:AOTCache="$cache" -Xlog:aot*=off -Xlog:cds*=off $jvm_opts "$@" \
    -jar "$dir/app/target/roost.jar" serve --config "$dir/roost.yaml" > "$dir/cold-server.log" 2>&1 &
  pid=$!
  wait_port "$port" "$pid"; settle "$pid"
  echo "== Roost, $label (load $(cut -d' ' -f1-3 /proc/loadavg))"
  python3 "$here/bench/mbox_cold.py" "$port" bench bench "$pid" --strace "$traced" "$dir/cold-$label.strace" \
    ${complog:+--compile-log "$complog"} "${commands[@]}"
  stop_pid "$pid"; pid=
}

dovecot() {  # $1 label; commands in $commands, the $traced-th traced
  drop_caches
  /usr/sbin/dovecot -c "$dc/dovecot.conf"
  until (exec 3<>"/dev/tcp/127.0.0.1/$dport") 2>/dev/null && [ -s "$dc/run/master.pid" ]; do sleep 0.2; done
  echo "== Dovecot, $1 (load $(cut -d' ' -f1-3 /proc/loadavg))"
  python3 "$here/bench/mbox_cold.py" "$dport" bench bench "$(cat "$dc/run/master.pid")" \
    --strace "$traced" "$dir/cold-$1.strace" "${commands[@]}"
  /usr/sbin/dovecot -c "$dc/dovecot.conf" stop
}

for mode in $modes; do
  commands=("${reads[@]}"); traced=1
  case $mode in
    *expunge) commands=("${expunge[@]}"); traced=3 ;;
    *envelope) commands=("${envelope[@]}"); traced=3 ;;
  esac
  case $mode in
    roost)
      complog="$dir/cold-jit.log"; rm -f "$complog"
      roost roost "$dir/roost.aot" "-Xlog:jit+compilation=debug:file=$complog" ;;
    xint)
      complog=; roost xint "$dir/roost.aot" -Xint ;;
    record-full-aot)  # not a measurement: run it outside the bench lock
      if [ ! -f "$dir/roost-full.aot" ]; then
        log "recording a cache over a whole read session"
        ROOST_AOT_CACHE="$dir/roost-full.aot" ROOST_JAVA_OPTS="-Xmx1g" JAVA_HOME="$(dirname "$(dirname "$java")")" \
          "$dir/app/bin/roost" serve --config "$dir/roost.yaml" > "$dir/cold-record.log" 2>&1 &
        pid=$!
        wait_port "$port" "$pid"
        "$java" "$here/bench/ImapBench.java" "$port" bench bench 0 > /dev/null
        stop_pid "$pid"; pid=
        for _ in $(seq 1 600); do [ -f "$dir/roost-full.aot" ] && break; sleep 0.5; done
      fi ;;
    full-aot)
      complog="$dir/cold-jit-full.log"; rm -f "$complog"
      roost full-aot "$dir/roost-full.aot" "-Xlog:jit+compilation=debug:file=$complog" ;;
    roost-expunge)
      complog=; roost expunge "$dir/roost.aot" ;;
    dovecot) dovecot dovecot ;;
    roost-envelope)
      complog=; roost envelope "$dir/roost.aot" ;;
    dovecot-expunge) dovecot dovecot-expunge ;;
    dovecot-envelope) dovecot dovecot-envelope ;;
  esac
done
