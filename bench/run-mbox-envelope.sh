#!/usr/bin/env bash
# The cold FETCH of the newest 50 (ENVELOPE) after a restart of a 1 GB, 100,000-message mbox, builds of Roost side by
# side with Dovecot, with the server CPU it costs by thread group (bench/envelope_cpu.py); not part of mvn verify.
#   bench/run-mbox-envelope.sh ROUNDS BUILD...   each BUILD a directory with target/roost.jar, target/lib and bin/roost
#   (a worktree after mvn -B -DskipTests package); ROOST_BENCH_DIR [/tmp/roost-mbox-envelope], ROOST_BENCH_PORT [12243]
#   (Dovecot: port + 1), KEEP_CACHE=1 keeps the envelopes the round before cached (roost.index.cache, Dovecot's
#   dovecot.index.cache), DOVECOT=0 skips Dovecot, COUNT [100000] and MEGABYTES [1024] size the file, DROP_CACHES=0
#   keeps the page cache (a trial run beside other benchmarks), ROOST_EXTRA_OPTS adds JVM options (e.g. a JFR recording).
#   Needs root (the page cache is dropped before each start).
# The first run generates the file (bench/MboxGenerator.java, seeded), has the first build number it (its X-UIDs
# written) and Dovecot number its own copy (SELECT, CLOSE), and keeps Dovecot's index and mbox as they were then.
# Each round, each build and then Dovecot: Roost's roost.index.cache deleted / Dovecot's index and mbox put back as
# kept (unless KEEP_CACHE=1), page cache dropped, server started, SELECT (timed: SELECT after a restart), FETCH.
# Each build has its own ahead-of-time cache (in ROOST_BENCH_DIR), recorded by one SELECT and UID FETCH 1:* first.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
log() { printf '[mbox envelope %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
rounds=$1; shift
dir=${ROOST_BENCH_DIR:-/tmp/roost-mbox-envelope}
port=${ROOST_BENCH_PORT:-12243}
dport=$((port + 1))
dc="$dir/dovecot-state"
java=${JAVA:-$(pick_java)}
pid=; dovecot_up=
cleanup() {
  if [ -n "$pid" ]; then stop_pid "$pid"; fi
  if [ -n "$dovecot_up" ]; then /usr/sbin/dovecot -c "$dc/dovecot.conf" stop 2>/dev/null || true; fi
}
trap cleanup EXIT
# Servers start without the descriptors this script inherited (flock's hold on /tmp/bench.lock among them), so that a
# server left behind by a killed run cannot keep every other benchmark waiting for the lock.
WITHOUT_INHERITED_FDS=(python3 -c 'import os, sys; os.closerange(3, 65536); os.execvp(sys.argv[1], sys.argv[1:])')
drop_caches() { if [ "${DROP_CACHES:-1}" != 0 ]; then sync; echo 3 > /proc/sys/vm/drop_caches; fi; }
imap() { python3 -c "import imaplib, sys; c = imaplib.IMAP4('127.0.0.1', int(sys.argv[1])); c.login('bench', 'bench'); $2; c.logout()" "$1"; }
roost_start() {  # $1 build directory
  port_free "$port"
  ROOST_AOT_CACHE="$(aot_of "$1")" JAVA_HOME="$(dirname "$(dirname "$java")")" ROOST_JAVA_OPTS="-Xmx1g ${ROOST_EXTRA_OPTS:-}" \
    "${WITHOUT_INHERITED_FDS[@]}" "$1/bin/roost" serve --config "$dir/roost.yaml" > "$dir/server.log" 2>&1 &
  pid=$!
  wait_port "$port" "$pid"
}
aot_of() { echo "$dir/aot$(echo "$1" | tr / _).aot"; }  # $1 build: where its ahead-of-time cache is kept
roost_stop() { stop_pid "$pid"; pid=; wait; }
dovecot_start() {
  port_free "$dport"
  "${WITHOUT_INHERITED_FDS[@]}" /usr/sbin/dovecot -c "$dc/dovecot.conf"; dovecot_up=1
  until (exec 3<>/dev/tcp/127.0.0.1/$dport) 2>/dev/null && [ -s "$dc/run/master.pid" ]; do sleep 0.2; done
}
dovecot_stop() { /usr/sbin/dovecot -c "$dc/dovecot.conf" stop; dovecot_up=; sleep 0.5; }

mkdir -p "$dir" && printf 'bench:{PLAIN}bench::::::\n' > "$dir/passwd"
roost_conf "$dir" "$port" "mbox:$dir/roost/%u" "$dir/passwd"
dovecot_conf "$dc" "$dport" "mbox:$dir/dovecot/%u:INBOX=$dir/dovecot/%u/inbox:INDEX=$dc/index/%u" "$dir/passwd"
if [ ! -f "$dir/original/inbox" ]; then
  log "generating ${COUNT:-100000} messages, ${MEGABYTES:-1024} MB"
  "$java" "$here/bench/MboxGenerator.java" "$dir/original/inbox" "${COUNT:-100000}" "${MEGABYTES:-1024}"
fi
if [ ! -f "$dir/roost/bench/inbox" ]; then
  log "the first build numbers its copy"
  mkdir -p "$dir/roost/bench" && cp "$dir/original/inbox" "$dir/roost/bench/inbox"
  roost_start "$1"; imap "$port" "c.select('INBOX')"
  while [ -f "$dir/roost/bench/.imap/INBOX/roost.mbox.pending" ]; do sleep 0.2; done
  roost_stop
fi
if [ "${DOVECOT:-1}" != 0 ] && [ ! -f "$dc/inbox.kept" ]; then
  log "Dovecot numbers its copy"
  rm -rf "$dc/index" "$dir/dovecot" && mkdir -p "$dc/index" "$dir/dovecot/bench" && cp "$dir/original/inbox" "$dir/dovecot/bench/inbox"
  chown -R 65534:65534 "$dir/dovecot" "$dc/index"
  dovecot_start; imap "$dport" "c.select('INBOX'); c.close()"; sleep 1; dovecot_stop
  rm -rf "$dc/index.kept" && cp -a "$dc/index" "$dc/index.kept" && cp -a "$dir/dovecot/bench/inbox" "$dc/inbox.kept"
fi
for build in "$@"; do
  if [ ! -f "$(aot_of "$build")" ]; then
    log "recording the ahead-of-time cache of $build"
    roost_start "$build"; imap "$port" "c.select('INBOX'); c.uid('FETCH', '1:*', '(RFC822.SIZE)')"; roost_stop
    for _ in $(seq 1 300); do [ -f "$(aot_of "$build")" ] && break; sleep 0.5; done
  fi
done
for r in $(seq 1 "$rounds"); do
  for build in "$@"; do
    label=$(git -C "$build" describe --always --dirty 2>/dev/null || basename "$build")
    [ "${KEEP_CACHE:-0}" = 1 ] || rm -f "$dir"/roost/bench/.imap/INBOX/roost.index.cache*
    drop_caches
    echo "round $r $label load $(cut -d' ' -f1-3 /proc/loadavg)"
    roost_start "$build"
    python3 "$here/bench/envelope_cpu.py" "$port" "$pid" roost | sed "s/^roost/$label/"
    roost_stop
  done
  if [ "${DOVECOT:-1}" != 0 ]; then
    if [ "${KEEP_CACHE:-0}" != 1 ]; then
      rm -rf "$dc/index" && cp -a "$dc/index.kept" "$dc/index" && cp -a "$dc/inbox.kept" "$dir/dovecot/bench/inbox"
    fi
    drop_caches
    echo "round $r dovecot load $(cut -d' ' -f1-3 /proc/loadavg)"
    dovecot_start
    python3 "$here/bench/envelope_cpu.py" "$dport" "$(cat "$dc/run/master.pid")" dovecot
    dovecot_stop
  fi
done
