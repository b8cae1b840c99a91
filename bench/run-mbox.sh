#!/usr/bin/env bash
# Roost's mbox driver beside Dovecot's, over copies of one mbox an MTA wrote (not part of mvn verify).
#   bench/run-mbox.sh [COUNT] [MEGABYTES]   default 100000 messages, 1024 MB; generated once (seeded)
#   ROOST_BENCH_DIR [/tmp/roost-mbox-bench-COUNT], ROOST_BENCH_PORT [12143] (Dovecot: port + 1)
#   ROOST_BENCH_DOVECOT=0 / ROOST_BENCH_ROOST=0  skip the Dovecot / the Roost side
# Both servers get a fresh copy of the file for the first SELECT (nobody has numbered it yet: both give
# UIDs and write X-UID headers, Dovecot when the mailbox is closed, Roost in the background), then,
# after a restart with the page cache dropped: SELECT, UID FETCH 1:* (UID FLAGS), SEARCH SINCE, an
# EXPUNGE of the message in the middle and an APPEND while another session is selected. Prints every
# row as a ratio Roost / Dovecot. Needs target/roost.jar (mvn -B -DskipTests package); root.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-100000}
megabytes=${2:-1024}
dir=${ROOST_BENCH_DIR:-/tmp/roost-mbox-bench-$count}
port=${ROOST_BENCH_PORT:-12143}
java=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java /usr/lib/jvm/*21*/bin/java 2>/dev/null | head -1)}
[ -n "$java" ] || java=java

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

# ---- Roost
mkdir -p "$dir/data"
cat > "$dir/roost.yaml" <<YAML
data: $dir/data
listeners:
  imap: {address: 127.0.0.1, port: $port, enabled: true}
  imaps: {address: 127.0.0.1, port: 0, enabled: false}
  pop3: {address: 127.0.0.1, port: 0, enabled: false}
  pop3s: {address: 127.0.0.1, port: 0, enabled: false}
admin: {enabled: false}
auth: {passwdFile: $dir/passwd}
mail: {location: "mbox:$dir/roost/%u", fsync: true}
YAML
start() {
  JAVA_HOME="$(dirname "$(dirname "$java")")" ROOST_JAVA_OPTS="-Xmx1g" \
    "$dir/app/bin/roost" serve --config "$dir/roost.yaml" > "$dir/server.log" 2>&1 &
  pid=$!
  until (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do sleep 0.2; done
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
if [ "${ROOST_BENCH_ROOST:-1}" != 0 ]; then
if [ ! -f "$ROOST_AOT_CACHE" ]; then
  echo "== a first run records bin/roost's ahead-of-time cache"
  fresh_copy "$dir/roost"; start; bench "$port" bench bench "$pid" select-only > /dev/null; stop
fi
fresh_copy "$dir/roost"
drop_caches
echo "== Roost: first SELECT of an mbox nobody numbered"
start
bench "$port" bench bench "$pid" select-only | tee "$dir/roost-first.out"
t0=$(date +%s.%N)
while [ -f "$dir/roost/bench/.imap/INBOX/roost.mbox.pending" ]; do sleep 0.1; done
printf '%-52s %10.1f ms\n' "X-UIDs written into the file (in the background)" \
  "$(echo "($(date +%s.%N) - $t0) * 1000" | bc)" | tee -a "$dir/roost-first.out"
stop
drop_caches
echo "== Roost: after a restart"
start
bench "$port" bench bench "$pid" | tee "$dir/roost.out"
bench "$port" bench bench "$pid" writes | tee -a "$dir/roost.out"
stop
fi

[ "${ROOST_BENCH_DOVECOT:-1}" != 0 ] && [ -x /usr/sbin/dovecot ] || exit 0
# ---- Dovecot: the same file, its index elsewhere (INDEX=), as user nobody
dport=$((port + 1))
dc="$dir/dovecot-state"
rm -rf "$dc" && mkdir -p "$dc/run" "$dc/state" "$dc/index" "$dc/home"
cat > "$dc/dovecot.conf" <<CONF
base_dir = $dc/run
state_dir = $dc/state
log_path = $dc/dovecot.log
instance_name = roost-mbox-bench-$dport
ssl = no
protocols = imap
listen = 127.0.0.1
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = mbox:$dir/dovecot/%u:INBOX=$dir/dovecot/%u/inbox:INDEX=$dc/index/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN $dir/passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$dc/home/%u
}
service imap {
  vsz_limit = 4G
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $dport
  }
  inet_listener imaps {
    port = 0
  }
}
CONF
dstart() {
  /usr/sbin/dovecot -c "$dc/dovecot.conf"
  until (exec 3<>/dev/tcp/127.0.0.1/$dport) 2>/dev/null; do sleep 0.2; done
}
dstop() { /usr/sbin/dovecot -c "$dc/dovecot.conf" stop; sleep 1; }
fresh_copy "$dir/dovecot"
chown -R 65534:65534 "$dir/dovecot" "$dc/index" "$dc/home"
drop_caches
echo "== Dovecot $(/usr/sbin/dovecot --version | cut -d' ' -f1): first SELECT of the same mbox"
dstart
bench "$dport" bench bench 0 select-only | tee "$dir/dovecot-first.out"
dstop
drop_caches
echo "== Dovecot: after a restart"
dstart
bench "$dport" bench bench 0 | tee "$dir/dovecot.out"
bench "$dport" bench bench 0 writes | tee -a "$dir/dovecot.out"
dstop
echo "== Roost / Dovecot"
ratio() {
  awk -F'  +' 'NR == FNR { if ($NF ~ / ms$/) dovecot[$1] = $NF + 0; next }
    $NF ~ / ms$/ && ($1 in dovecot) && dovecot[$1] > 0 {
      printf "%-52s %8.2f  (%s vs %.1f ms)\n", $1, ($NF + 0) / dovecot[$1], $NF, dovecot[$1] }' "$1" "$2"
}
ratio "$dir/dovecot-first.out" "$dir/roost-first.out" | sed 's/^SELECT/first SELECT/'
ratio "$dir/dovecot.out" "$dir/roost.out"
