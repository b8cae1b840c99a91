#!/usr/bin/env bash
# Roost index benchmark (not part of mvn verify).
#   bench/run.sh [COUNT]      default 100000; the Maildir is generated once under /tmp/roost-bench-COUNT
#   ROOST_BENCH_SKIP_BUILD=1  keep the existing index (only the after-restart part)
#   ROOST_BENCH_DIR, ROOST_BENCH_PORT  another data directory and IMAP port (default /tmp/roost-bench-COUNT, 11143)
# Prints: the first SELECT of a never-indexed Maildir (index build), then after a restart SELECT
# cold/warm, UID FETCH 1:* (UID FLAGS), UID SEARCH UNSEEN, SEARCH SINCE, ENVELOPE of the newest 50,
# and the server heap held while the mailbox is selected. Needs target/roost.jar (mvn -B -DskipTests package).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-100000}
dir=${ROOST_BENCH_DIR:-/tmp/roost-bench-$count}
port=${ROOST_BENCH_PORT:-11143}
heap=${ROOST_BENCH_HEAP:--Xmx512m}
# The first start builds the index of the never-indexed Maildir with the same heap (the scan streams
# compact columns); ROOST_BENCH_BUILD_HEAP gives that start another one.
build_heap=${ROOST_BENCH_BUILD_HEAP:-$heap}
java=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java /usr/lib/jvm/*21*/bin/java 2>/dev/null | head -1)}
[ -n "$java" ] || java=java

if [ ! -f "$dir/generated" ]; then
  rm -rf "$dir/mail"
  echo "generating $count messages in $dir/mail/bench ..."
  "$java" "$here/bench/MaildirGenerator.java" "$dir/mail/bench" "$count"
  touch "$dir/generated"
fi
# A private copy of the build, so that rebuilding the worktree cannot pull the jar from under the server.
rm -rf "$dir/app" && mkdir -p "$dir/app" && cp -r "$here/target/roost.jar" "$here/target/lib" "$dir/app/"
mkdir -p "$dir/data"
printf 'bench:{PLAIN}bench::::::\n' > "$dir/passwd"
cat > "$dir/roost.yaml" <<YAML
data: $dir/data
listeners:
  imap: {address: 127.0.0.1, port: $port, enabled: true}
  imaps: {address: 127.0.0.1, port: 0, enabled: false}
  pop3: {address: 127.0.0.1, port: 0, enabled: false}
  pop3s: {address: 127.0.0.1, port: 0, enabled: false}
admin: {enabled: false}
auth: {passwdFile: $dir/passwd}
mail: {location: "maildir:$dir/mail/%u", fsync: true}
YAML

start() {
  "$java" ${1:-$heap} -jar "$dir/app/roost.jar" serve --config "$dir/roost.yaml" > "$dir/server.log" 2>&1 &
  pid=$!
  until (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do sleep 0.2; done
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
bench() { "$java" "$here/bench/ImapBench.java" "$port" bench bench "$pid" "$@"; }

if [ -z "${ROOST_BENCH_SKIP_BUILD:-}" ]; then
  echo "== $count messages: first SELECT of a never-indexed Maildir (builds dovecot-uidlist and roost.index)"
  rm -f "$dir/mail/bench/roost.index" "$dir/mail/bench/roost.index.log"
  start "$build_heap"; bench select-only; stop
fi
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null && echo "(page cache dropped)" || echo "(page cache not dropped: no permission)"
echo "== after a restart"
start; bench; stop
