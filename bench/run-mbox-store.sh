#!/usr/bin/env bash
# STOREs of one message at a time in the 100,000-message mbox bench/run-mbox.sh left behind (run it first):
# Roost with mail.fsync true and false, Dovecot with its default (mail_fsync = optimized), each over its
# own copy of the file and index as run-mbox.sh left them, 300 alternating +FLAGS/-FLAGS (\Flagged) from
# Python imaplib (bench/store_loop.py), after as many to warm up. Besides the times (which a busy machine
# disturbs), the server's CPU time per STORE: the JVM's, or Dovecot's imap process's.
#   bench/run-mbox-store.sh [COUNT]   default 100000 (the run-mbox.sh file to use); STORES=300
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
log() { printf '[mbox store %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
count=${1:-100000}
stores=${STORES:-300}
dir=${ROOST_BENCH_DIR:-/tmp/roost-mbox-bench-$count}
port=${ROOST_BENCH_PORT:-12143}
java=${JAVA:-$(pick_java)}
[ -f "$dir/roost/bench/inbox" ] || { echo "run bench/run-mbox.sh $count first" >&2; exit 1; }
rm -rf "$dir/app" && mkdir -p "$dir/app/target" "$dir/app/bin"
cp -rp "$here/target/roost.jar" "$here/target/lib" "$dir/app/target/" && cp -p "$here/bin/roost" "$dir/app/bin/"
export ROOST_AOT_CACHE="$dir/roost.aot"
pid=
dc=
cleanup() {
  if [ -n "$pid" ]; then stop_pid "$pid"; fi
  if [ -n "$dc" ]; then /usr/sbin/dovecot -c "$dc/dovecot.conf" stop 2>/dev/null || true; fi
  rm -rf "$dir/store"
}
trap cleanup EXIT
for fsync in true false; do
  rm -rf "$dir/store" && mkdir -p "$dir/store" && cp -rp "$dir/roost/bench" "$dir/store/bench"
  ROOST_BENCH_FSYNC=$fsync roost_conf "$dir" "$port" "mbox:$dir/store/%u" "$dir/passwd"
  port_free "$port"
  JAVA_HOME="$(dirname "$(dirname "$java")")" ROOST_JAVA_OPTS="-Xmx1g" \
    "$dir/app/bin/roost" serve --config "$dir/roost.yaml" > "$dir/server-store.log" 2>&1 &
  pid=$!
  wait_port "$port" "$pid"
  echo "== Roost, mail.fsync: $fsync"
  python3 "$here/bench/store_loop.py" "$port" bench bench "$stores" "$pid"
  stop_pid "$pid"; pid=; wait
done
[ "${ROOST_BENCH_DOVECOT:-1}" != 0 ] && [ -x /usr/sbin/dovecot ] && [ -f "$dir/dovecot/bench/inbox" ] || exit 0
dport=$((port + 1))
dc="$dir/dovecot-state"
rm -rf "$dir/store" && mkdir -p "$dir/store" && cp -rp "$dir/dovecot/bench" "$dir/store/bench"
rm -rf "$dc/store-index" && cp -rp "$dc/index" "$dc/store-index"
chown -R 65534:65534 "$dir/store" "$dc/store-index"
dovecot_conf "$dc" "$dport" "mbox:$dir/store/%u:INBOX=$dir/store/%u/inbox:INDEX=$dc/store-index/%u" "$dir/passwd"
port_free "$dport"
/usr/sbin/dovecot -c "$dc/dovecot.conf"
until (exec 3<>/dev/tcp/127.0.0.1/$dport) 2>/dev/null && [ -s "$dc/run/master.pid" ]; do sleep 0.2; done
echo "== Dovecot, mail_fsync = ${DOVECOT_BENCH_FSYNC:-optimized}"
python3 "$here/bench/store_loop.py" "$dport" bench bench "$stores" "$(cat "$dc/run/master.pid")" imap
/usr/sbin/dovecot -c "$dc/dovecot.conf" stop; dc=
