#!/usr/bin/env bash
# The system calls of a first SORT (issue 15): Roost's and Dovecot's, counted by strace -c -f, over a data set
# bench/run.sh made and indexed (both servers' indexes built; run it first with the same ROOST_BENCH_DIR).
#   bench/sort-syscalls.sh DIR [COMMAND]    COMMAND default "UID SORT (DATE) UTF-8 ALL"
# Each server: what it parsed of the messages forgotten (Roost: roost.index.sort and the structure cache;
# Dovecot: dovecot.index.cache), the page cache dropped, the server started, strace attached to it, then
# one session: SELECT INBOX, the command once, LOGOUT. Prints each server's strace summary.
# Root only (strace, drop_caches); run under the bench lock: flock /tmp/bench.lock bench/sort-syscalls.sh DIR
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
command=${2:-UID SORT (DATE) UTF-8 ALL}
java=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java /usr/lib/jvm/*21*/bin/java 2>/dev/null | head -1)}
port=$(sed -n 's/.*imap: {address: 127.0.0.1, port: \([0-9]*\).*/\1/p' "$dir/roost.yaml")
dport=$((port + 1))
pid= tracer=
stop_all() {
  [ -z "$tracer" ] || { kill -INT "$tracer" 2>/dev/null; wait "$tracer" 2>/dev/null || true; }
  [ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
  /usr/sbin/dovecot -c "$dir/dovecot/dovecot.conf" stop 2>/dev/null || true
}
trap stop_all EXIT
wait_port() { until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do sleep 0.2; done; }
# one session: SELECT, the command, LOGOUT (a small client: no JVM attach, nothing else traced)
session() {
  exec 3<>"/dev/tcp/127.0.0.1/$1"
  printf 'a LOGIN bench bench\r\nb SELECT INBOX\r\nc %s\r\nd LOGOUT\r\n' "$command" >&3
  local started=$(date +%s%N)
  grep -m1 '^d OK' <&3 > /dev/null || true
  echo "  ($(( ($(date +%s%N) - started) / 1000000 )) ms for the session)"
  exec 3<&-
}
trace() {  # $1 pid to follow, $2 name
  strace -c -f -p "$1" -o "$dir/strace-$2.txt" 2>/dev/null & tracer=$!
  sleep 1
}
untrace() { kill -INT "$tracer"; wait "$tracer" 2>/dev/null || true; tracer=; }

echo "== Roost: $command"
rm -f "$dir/mail/bench/roost.index.sort" "$dir/mail/bench/roost.index.cache" "$dir/mail/bench/roost.index.cache.map"
sync; echo 3 > /proc/sys/vm/drop_caches
JAVA_HOME="$(dirname "$(dirname "$java")")" ROOST_JAVA_OPTS=-Xmx512m ROOST_AOT_CACHE="$dir/roost.aot" \
  "$dir/app/bin/roost" serve --config "$dir/roost.yaml" > "$dir/server.log" 2>&1 9>&- &
pid=$!
wait_port "$port"
trace "$pid" roost; session "$port"; untrace
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
cat "$dir/strace-roost.txt"

echo "== Dovecot: $command"
rm -f "$dir/dovecot/index/bench/.INBOX/dovecot.index.cache"
sync; echo 3 > /proc/sys/vm/drop_caches
/usr/sbin/dovecot -c "$dir/dovecot/dovecot.conf" 9>&-
wait_port "$dport"
trace "$(cat "$dir/dovecot/run/master.pid")" dovecot; session "$dport"; untrace
/usr/sbin/dovecot -c "$dir/dovecot/dovecot.conf" stop
cat "$dir/strace-dovecot.txt"
