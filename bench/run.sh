#!/usr/bin/env bash
# Roost index benchmark (not part of mvn verify).
#   bench/run.sh [COUNT]      default 100000; the Maildir is generated once under /tmp/roost-bench-COUNT
#   ROOST_BENCH_SKIP_BUILD=1  keep the existing index (only the after-restart part)
#   ROOST_BENCH_DIR, ROOST_BENCH_PORT  another data directory / port (a private copy of the data set)
#   ROOST_BENCH_THREADED=1    generate the Maildir with References/In-Reply-To chains (MaildirGenerator threaded)
#   ROOST_BENCH_DOVECOT=0     skip the Dovecot side of the run (on by default when /usr/sbin/dovecot exists)
#   ROOST_BENCH_MODE          what ImapBench times after a restart (default "all"); "resync 5": five rounds of
#                            100 flag changes and 100 expunges, then a QRESYNC reconnect (issue 14). It writes the
#                            Maildir, which both servers share: each meets the other's expunges as external ones.
#                            "after-append": THREAD REFERENCES and SORT (SUBJECT), each after one APPEND by another
#                            session (issue 15); it adds ten messages to the Maildir a run ("after-append thread":
#                            THREAD alone, five).
#   ROOST_BENCH_ROOST=0      skip Roost's side of the Dovecot-named Maildir (Dovecot's alone, in a lock hold of its own)
#   ROOST_BENCH_NAMES        which Maildirs, by how their files are named (default "dovecot size none"):
#                            dovecot: ,S=<size>,W=<vsize> as Dovecot writes them (user bench);
#                            size: ,S=<size> without W= as Courier and maildrop write them (user benchsize);
#                            none: no size at all, as procmail writes them (user benchnone)
#   ROOST_BENCH_FOREIGN      what follows for the size and none kinds (default "first-open": the first SELECT, then
#                            UID FETCH 1:* (RFC822.SIZE) twice); "select-only": the first SELECT alone, of every kind
#                            (the dovecot kind, too, is then met as another program left it, in the rounds; no
#                            after-restart requests)
#   ROOST_BENCH_ROUNDS       how many times each of those kinds is measured, Roost then Dovecot (default 1)
#   ROOST_BENCH_TRAIN        what the session of the run that records bin/roost's ahead-of-time cache does (default
#                            "select-only"); "sort-first": a first SORT too, as on a server whose first serve had
#                            clients that sorted (its classes and method profiles in the cache); what it made is
#                            removed with the index before the measured runs
# Prints, for the Dovecot-named Maildir: the first SELECT of a never-indexed Maildir (index build; each
# server starts without its uid list and index, the page cache dropped),
# then after a restart SELECT cold/warm, UID FETCH 1:* (UID FLAGS), UID SEARCH UNSEEN, SEARCH SINCE,
# ENVELOPE of the newest 50, and the server heap held while the mailbox is selected. For the others
# (same messages, other names): the first SELECT of the Maildir as another program left it (no uid
# list, no index) and then UID FETCH 1:* (RFC822.SIZE), twice, the page cache dropped first. Then the
# same requests through the same client against Debian's Dovecot over the same Maildirs, and every
# row as a ratio Roost / Dovecot. Each first open also shows the CPU time the server spent on it (for
# Dovecot, of all its processes), which a busy machine disturbs less than the elapsed time.
# Needs target/roost.jar (mvn -B -DskipTests package); root for dropping the page cache.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
count=${1:-100000}
dir=${ROOST_BENCH_DIR:-/tmp/roost-bench-$count}
port=${ROOST_BENCH_PORT:-11143}
heap=${ROOST_BENCH_HEAP:--Xmx512m}
# The first start builds the index of the never-indexed Maildir with the same heap (the scan streams
# compact columns); ROOST_BENCH_BUILD_HEAP gives that start another one.
build_heap=${ROOST_BENCH_BUILD_HEAP:-$heap}
java=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java /usr/lib/jvm/*21*/bin/java 2>/dev/null | head -1)}
[ -n "$java" ] || java=java

names=${ROOST_BENCH_NAMES:-dovecot size none}
foreign_mode=${ROOST_BENCH_FOREIGN:-first-open}
round_kinds="size none"
[ "$foreign_mode" = select-only ] && round_kinds="dovecot size none"
user_of() { [ "$1" = dovecot ] && echo bench || echo "bench$1"; }
for kind in $names; do
  user=$(user_of "$kind")
  # (a data set generated before there were several kinds has the marker "generated")
  if [ ! -f "$dir/generated-$kind" ] && ! { [ "$kind" = dovecot ] && [ -f "$dir/generated" ]; }; then
    rm -rf "${dir:?}/mail/$user"
    echo "generating $count messages in $dir/mail/$user ($kind names) ..."
    "$java" "$here/bench/MaildirGenerator.java" "$dir/mail/$user" "$count" "$kind" ${ROOST_BENCH_THREADED:+threaded}
    touch "$dir/generated-$kind"
  fi
done
# A private copy of the build (same layout, started by bin/roost as users start it), so that
# rebuilding the worktree cannot pull the jar from under the server. Time stamps are kept, so the
# ahead-of-time cache that bin/roost records (JDK 25+) stays valid while the jar is unchanged.
rm -rf "$dir/app" && mkdir -p "$dir/app/target" "$dir/app/bin"
cp -rp "$here/target/roost.jar" "$here/target/lib" "$dir/app/target/" && cp -p "$here/bin/roost" "$dir/app/bin/"
export ROOST_AOT_CACHE="$dir/roost.aot"
for user in bench benchsize benchnone; do printf '%s:{PLAIN}bench::::::\n' "$user"; done > "$dir/passwd"
roost_conf "$dir" "$port" "maildir:$dir/mail/%u" "$dir/passwd"

pid=
# A server left running by an interrupted run would answer in place of the one started next.
# (Under set -e a failing command in the trap would become the script's exit status: 75 when Dovecot is not running.)
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "${dc:-}" ] && { /usr/sbin/dovecot -c "$dc/dovecot.conf" stop 2>/dev/null || true; }; true' EXIT
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || { echo "port $1 is in use" >&2; exit 1; }; }
start() {
  port_free "$port"
  JAVA_HOME="$(dirname "$(dirname "$java")")" ROOST_JAVA_OPTS="${1:-$heap}" \
    "$dir/app/bin/roost" serve --config "$dir/roost.yaml" > "$dir/server.log" 2>&1 &
  pid=$!
  until (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/server.log"; exit 1; }
    sleep 0.2
  done
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
# bench USER [MODE]
bench() { "$java" "$here/bench/ImapBench.java" "$port" "$1" bench "$pid" "${@:2}"; }
drop_caches() {
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null && echo "(page cache dropped)" || echo "(page cache not dropped: no permission)"
}
# cpu_ms PID: CPU time of a process and of its children it has reaped (Dovecot's imap processes), in ms
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15 + $16 + $17) * 1000 / hz }' "/proc/$1/stat"; }
# cpu_row AFTER: the server's CPU time since $cpu_before, as a row (ratios compares it too)
cpu_row() { awk -v a="$1" -v b="$cpu_before" 'BEGIN { printf "%-52s %10.1f ms\n", "server CPU time for the above", a - b }'; }
has_kind() { case " $names " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

with_dovecot=0
if [ "${ROOST_BENCH_DOVECOT:-1}" != 0 ] && [ -x /usr/sbin/dovecot ]; then
  with_dovecot=1
  # Dovecot reads the same Maildirs as user nobody; its uid lists and indexes live under $dir/dovecot
  # (CONTROL= and INDEX=), so the Maildirs themselves are not written.
  dport=$((port + 1))
  dc="$dir/dovecot"
  mkdir -p "$dc/control" "$dc/index"
  chown -R 65534:65534 "$dc/control" "$dc/index"
  dovecot_conf "$dc" "$dport" "maildir:$dir/mail/%u:CONTROL=$dc/control/%u:INDEX=$dc/index/%u" "$dir/passwd"
  dovecot_version=$(/usr/sbin/dovecot --version | cut -d' ' -f1)
fi
# Resync writes the Maildir: Dovecot (user nobody) must own it too (Roost runs as root here).
if [ "$with_dovecot" = 1 ] && [ "${ROOST_BENCH_MODE:-all}" != all ] && [ ! -f "$dir/chowned" ]; then
  chown -R 65534:65534 "$dir/mail/bench" && touch "$dir/chowned"
fi
dstart() {
  port_free "$dport"
  /usr/sbin/dovecot -c "$dc/dovecot.conf"
  until (exec 3<>/dev/tcp/127.0.0.1/$dport) 2>/dev/null; do sleep 0.2; done
}
dstop() { /usr/sbin/dovecot -c "$dc/dovecot.conf" stop; sleep 1; }
dbench() { "$java" "$here/bench/ImapBench.java" "$dport" "$1" bench 0 "${@:2}"; }
# Dovecot's CPU time so far: its master's, and that of the processes it forked and reaped (the imap
# process of a session ends with its connection; waited for)
dovecot_cpu() { sleep 1; cpu_ms "$(cat "$dc/run/master.pid")"; }
# ratios ROOST_OUT DOVECOT_OUT: every row both have, as Roost / Dovecot
ratios() {
  echo "== Roost / Dovecot"
  awk -F'  +' 'NR == FNR { if ($NF ~ / ms$/) dovecot[$1] = $NF + 0; next }
    $NF ~ / ms$/ && ($1 in dovecot) && dovecot[$1] > 0 {
      printf "%-52s %8.2f  (%s vs %.1f ms)\n", $1, ($NF + 0) / dovecot[$1], $NF, dovecot[$1] }' "$2" "$1"
}

# Every measured start maps the ahead-of-time cache a running server has: a first run records it
# (a slower JVM), and its assembly, in the background after that run, is waited for.
# The copy keeps the jar's time stamp, so another build of an older time (a comparison run on the same data
# set) would pass for the cache's own and run without it: the cache is tied to the jar's checksum.
train=${ROOST_BENCH_TRAIN:-select-only}
jar_sum="$(cksum < "$dir/app/target/roost.jar") $train"
if [ ! -f "$ROOST_AOT_CACHE" ] || [ ! "$ROOST_AOT_CACHE" -nt "$dir/app/target/roost.jar" ] \
    || [ "$(cat "$ROOST_AOT_CACHE.jar" 2>/dev/null)" != "$jar_sum" ]; then
  echo "== a first run records bin/roost's ahead-of-time cache ($train)"
  rm -f "$ROOST_AOT_CACHE" "$ROOST_AOT_CACHE.config" "$ROOST_AOT_CACHE.trained" # and the recording of another jar
  start; bench bench "$train" > /dev/null; stop
  # what the training parsed is not the measured runs' to find
  [ "$train" = select-only ] || rm -f "$dir/mail/bench/roost.index.sort" "$dir/mail/bench/roost.index.thread" \
    "$dir/mail/bench/roost.index.cache" "$dir/mail/bench/roost.index.cache.map"
  flock "$ROOST_AOT_CACHE.lock" true
  echo "$jar_sum" > "$ROOST_AOT_CACHE.jar"
fi
with_roost=${ROOST_BENCH_ROOST:-1}
if has_kind dovecot && [ "$foreign_mode" != select-only ] && [ -z "${ROOST_BENCH_SKIP_BUILD:-}" ] && [ "$with_roost" != 0 ]; then
  echo "== $count messages: first SELECT of a never-indexed Maildir (builds dovecot-uidlist and roost.index)"
  # as another program left it, like the other kinds: no uid list (an earlier run's), no index, a cold cache
  rm -f "$dir/mail/bench/dovecot-uidlist" "$dir/mail/bench/dovecot-keywords" "$dir/mail/bench"/roost.index*
  drop_caches
  start "$build_heap"; cpu_before=$(cpu_ms "$pid"); bench bench select-only; cpu_row "$(cpu_ms "$pid")"; stop
fi

if has_kind dovecot && [ "$foreign_mode" != select-only ]; then
  drop_caches
  if [ "$with_roost" != 0 ]; then
    echo "== after a restart"
    start; cpu_before=$(cpu_ms "$pid")
    { bench bench ${ROOST_BENCH_MODE:-all}; cpu_row "$(cpu_ms "$pid")"; } | tee "$dir/roost.out"; stop
  fi
  # Roost (root) appended messages: Dovecot (user nobody) must read them
  case ${ROOST_BENCH_MODE:-all} in after-append*) [ "$with_dovecot" = 0 ] || chown -R 65534:65534 "$dir/mail/bench" ;; esac
  if [ "$with_dovecot" = 1 ]; then
    echo "== Dovecot $dovecot_version, same Maildir, same client"
    if [ ! -f "$dc/index/bench/.INBOX/dovecot.index" ] || [ -z "${ROOST_BENCH_SKIP_BUILD:-}" ]; then
      rm -rf "$dc/control/bench" "$dc/index/bench"
      echo "== $count messages: first SELECT of a Maildir Dovecot never indexed"
      drop_caches
      dstart; cpu_before=$(dovecot_cpu); dbench bench select-only; cpu_row "$(dovecot_cpu)"; dstop
    fi
    drop_caches
    echo "== after a restart"
    dstart; cpu_before=$(dovecot_cpu)
    { dbench bench ${ROOST_BENCH_MODE:-all}; cpu_row "$(dovecot_cpu)"; } | tee "$dir/dovecot.out"; dstop
    [ "$with_roost" = 0 ] || ratios "$dir/roost.out" "$dir/dovecot.out"
  fi
fi

# Maildirs another program wrote: each server meets them as they are, without a uid list or an index
# of its own (Roost's files in the Maildir and Dovecot's under $dc are removed first), the page cache dropped.
for round in $(seq 1 "${ROOST_BENCH_ROUNDS:-1}"); do
  for kind in $round_kinds; do
    has_kind "$kind" || continue
    user=$(user_of "$kind")
    case $kind in dovecot) named=',S=<size>,W=<vsize>' ;; size) named=',S=<size> and no W=' ;; *) named='no size' ;; esac
    echo "== round $round, $count messages named with $named:" \
      "first SELECT as another program left them$([ "$foreign_mode" = first-open ] && echo ', then UID FETCH 1:* (RFC822.SIZE)')"
    rm -f "$dir/mail/$user/dovecot-uidlist" "$dir/mail/$user/dovecot-keywords" "$dir/mail/$user"/roost.index*
    drop_caches
    start; cpu_before=$(cpu_ms "$pid")
    { bench "$user" "$foreign_mode"; cpu_row "$(cpu_ms "$pid")"; } | tee "$dir/roost-$kind.out"; stop
    if [ "$with_dovecot" = 1 ]; then
      echo "== Dovecot $dovecot_version, same Maildir, same client"
      rm -rf "$dc/control/$user" "$dc/index/$user"
      drop_caches
      dstart; cpu_before=$(dovecot_cpu)
      { dbench "$user" "$foreign_mode"; cpu_row "$(dovecot_cpu)"; } | tee "$dir/dovecot-$kind.out"; dstop
      ratios "$dir/roost-$kind.out" "$dir/dovecot-$kind.out"
    fi
  done
done
