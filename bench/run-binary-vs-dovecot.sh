#!/usr/bin/env bash
# FETCH BINARY[2] of a message with a 10 MB base64 attachment, Roost against Dovecot (Debian dovecot-imapd),
# same machine, same run, each serving its own copy of the same Maildir.
#
#   flock /tmp/bench.lock bench/run-binary-vs-dovecot.sh
#
# The client (bench/binary_fetch.py) times FETCH 1 (BINARY.PEEK[2]) from the command to the tagged OK with
# every literal byte read, ROUNDS times after a first (cold) fetch, then the same for BODY.PEEK[2] (the
# attachment undecoded) as a reference; MB/s are decoded (BINARY) or sent (BODY) megabytes per second.
# Environment (defaults in brackets): SIZE [10000000] attachment bytes  ROUNDS [20]  OUT [bench/out/binary-DATE]
#   ROOST_JAVA_OPTS: passed to bin/roost
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
SIZE="${SIZE:-10000000}"
ROUNDS="${ROUNDS:-20}"
OUT="${OUT:-$here/bench/out/binary-$(date -u +%Y%m%dT%H%M%SZ)}"
ROOST_PORT=46143
DOVECOT_PORT=47143
log() { printf '[binary-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"

[ -x /usr/lib/dovecot/imap ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
[ -f target/roost.jar ] || { log "building Roost"; mvn -B -q -DskipTests package; }
port_free "$ROOST_PORT"
port_free "$DOVECOT_PORT"
WORK="$(mktemp -d /tmp/roost-binary-bench.XXXXXX)"
chmod 755 "$WORK"
mkdir -p "$OUT"
ROOST_PID=""
DOVECOT_PID=""
cleanup() {
  [ -n "$ROOST_PID" ] && stop_pid "$ROOST_PID"
  [ -n "$DOVECOT_PID" ] && stop_pid "$DOVECOT_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "bench:{PLAIN}bench::::::" > "$WORK/passwd"
chmod 644 "$WORK/passwd"
python3 - "$WORK/message.eml" "$SIZE" <<'PY'
import base64, os, sys
data = os.urandom(int(sys.argv[2]))
with open(sys.argv[1], "wb") as f:
    f.write(b"From: a@example.com\r\nTo: b@example.com\r\nSubject: attachment\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
            b"--XX\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + base64.encodebytes(data).replace(b"\n", b"\r\n") + b"--XX--\r\n")
PY
for variant in roost dovecot; do
  mkdir -p "$WORK/$variant-mail/bench/"{cur,new,tmp}
  cp "$WORK/message.eml" "$WORK/$variant-mail/bench/cur/1700000000.M1P1.bench,S=$(stat -c %s "$WORK/message.eml"):2,S"
done
chown -R 65534:65534 "$WORK/dovecot-mail"

roost_conf "$WORK/roost" "$ROOST_PORT" "maildir:$WORK/roost-mail/%u" "$WORK/passwd"
ROOST_JAVA_OPTS="${ROOST_JAVA_OPTS:-}" bin/roost serve --config "$WORK/roost/roost.yaml" > "$WORK/roost.log" 2>&1 &
ROOST_PID=$!
dovecot_conf "$WORK/dovecot" "$DOVECOT_PORT" "maildir:$WORK/dovecot-mail/%u" "$WORK/passwd"
dovecot -F -c "$WORK/dovecot/dovecot.conf" &
DOVECOT_PID=$!
wait_port "$ROOST_PORT" "$ROOST_PID"
wait_port "$DOVECOT_PORT" "$DOVECOT_PID"

log "SIZE=$SIZE ROUNDS=$ROUNDS; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for variant in roost dovecot; do
  port=$ROOST_PORT
  [ "$variant" = dovecot ] && port=$DOVECOT_PORT
  python3 bench/binary_fetch.py "$variant" "$port" bench bench "$ROUNDS" | tee -a "$OUT/results.jsonl"
done
log "results in $OUT/results.jsonl; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
