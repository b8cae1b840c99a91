#!/usr/bin/env bash
# COMPRESS=DEFLATE (RFC 4978): FETCH 1:* (BODY.PEEK[HEADER]) compressed and plain, Roost beside Dovecot (its
# imap_zlib plugin, the same level 6), over copies of one generated Maildir, both servers up and the runs
# interleaved (roost deflate, roost plain, dovecot deflate, dovecot plain, again), so that a busy machine weighs
# on both alike; the summary takes the median of RUNS. Then the memory of idle sessions:
# the process PSS (/proc/PID/smaps_rollup, summed over a process tree for Dovecot) with CONNECTIONS idle
# sessions (LOGIN, SELECT of a 10-message INBOX, NOOP), plain and compressed, less the PSS with none.
#
#   flock /tmp/bench.lock bench/run-compress-vs-dovecot.sh
#
# Environment (defaults in brackets): MESSAGES [20000]  RUNS [7]  CONNECTIONS [2000]  VARIANTS ["roost dovecot"]
#   IDLE_VARIANTS [roost]: whose idle sessions are measured (Dovecot's are one imap process each)  OUT [bench/out/compress-DATE]  KEEP [0]: keep the temp dir
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

MESSAGES="${MESSAGES:-20000}"
RUNS="${RUNS:-7}"
CONNECTIONS="${CONNECTIONS:-2000}"
VARIANTS="${VARIANTS:-roost dovecot}"
IDLE_VARIANTS="${IDLE_VARIANTS:-roost}"
OUT="${OUT:-$here/bench/out/compress-$(date -u +%Y%m%dT%H%M%SZ)}"
KEEP="${KEEP:-0}"
declare -A IMAP_PORT=([roost]=47144 [dovecot]=47244)

log() { printf '[compress %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
JAVA="$(pick_java)"
JCMD="$(dirname "$JAVA")/jcmd"
WORK="$(mktemp -d /tmp/roost-compress-XXXXXX)"
chmod 755 "$WORK"  # Dovecot's auth process reads the passwd-file as user dovecot
declare -A PID=()
cleanup() {
  local p
  for p in "${PID[@]}"; do stop_pid "$p"; done
  [ "$KEEP" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$OUT"

[ -x /usr/lib/dovecot/imap ] || DEBIAN_FRONTEND=noninteractive apt-get install -y dovecot-imapd >/dev/null
[ -f target/roost.jar ] || mvn -B -q -DskipTests package

# bench: MESSAGES messages with the headers of list mail; idle: 10 messages.
python3 - "$WORK/mail" "$MESSAGES" <<'PY'
import os, random, sys
root, count = sys.argv[1], int(sys.argv[2])
rnd = random.Random(4978)
words = "alpha beta gamma delta release meeting report draft invoice travel budget patch review notes".split()
for user, n in (("bench", count), ("idle", 10)):
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(root, user, sub), exist_ok=True)
    for i in range(1, n + 1):
        sender = "%s.%s@example%d.org" % (rnd.choice(words), rnd.choice(words), rnd.randrange(50))
        subject = " ".join(rnd.choice(words) for _ in range(rnd.randrange(3, 9)))
        head = ("Return-Path: <%s>\r\nReceived: from mx%d.example.net (mx%d.example.net [192.0.2.%d])\r\n"
                "\tby mail.example.org with ESMTPS id %08x\r\n\tfor <bench@example.org>; Mon, 3 Jun 2024 10:%02d:00 +0000\r\n"
                "From: \"%s\" <%s>\r\nTo: bench@example.org\r\nSubject: %s\r\nDate: Mon, 3 Jun 2024 10:%02d:00 +0000\r\n"
                "Message-ID: <%08x.%d@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                "List-Id: <%s.lists.example.org>\r\n\r\n") % (
            sender, i % 7, i % 7, i % 250, rnd.getrandbits(32), i % 60, sender.split("@")[0], sender, subject,
            i % 60, rnd.getrandbits(32), i, rnd.choice(words))
        body = "\r\n".join(" ".join(rnd.choice(words) for _ in range(12)) for _ in range(rnd.randrange(5, 40)))
        with open(os.path.join(root, user, "cur", "%d.M%dP1.bench:2,S" % (1700000000 + i, i)), "w") as f:
            f.write(head + body + "\r\n")
PY
printf 'bench:{PLAIN}bench::::::\nidle:{PLAIN}idle::::::\n' > "$WORK/passwd"
log "generated $MESSAGES messages"

pss_kb() {  # $1 root pid: PSS of it and its descendants, in kB
  local total=0 p
  for p in $(ps -e -o pid=,ppid= | awk -v root="$1" '{ parent[$1] = $2 } END { for (p in parent) { q = p
      while (q != root && (q in parent) && q > 1) q = parent[q]; if (q == root) print p } }'); do
    total=$((total + $(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

settle() {  # $1 variant: a full GC for Roost (its heap is sized by collections), then a pause
  if [ "$1" = roost ]; then "$JCMD" "${PID[roost]}" GC.run >/dev/null; fi
  sleep 2
}

start_server() {  # $1 variant
  local dir="$WORK/$1" port="${IMAP_PORT[$1]}"
  rm -rf "$dir"; mkdir -p "$dir"; cp -al "$WORK/mail" "$dir/mail"
  port_free "$port"
  if [ "$1" = roost ]; then
    roost_conf "$dir" "$port" "maildir:$dir/mail/%u" "$WORK/passwd"
    sed -i 's/^mail: {location: \(.*\), fsync: .*}$/mail: {location: \1, fsync: false}/' "$dir/roost.yaml"
    printf 'limits: {maxConnections: 20000, maxConnectionsPerIp: 20000}\n' >> "$dir/roost.yaml"
    bin/roost serve --config "$dir/roost.yaml" > "$dir/roost.log" 2>&1 &
  else
    chown -R 65534:65534 "$dir/mail"
    dovecot_conf "$dir" "$port" "maildir:$dir/mail/%u" "$WORK/passwd"
    cat >> "$dir/dovecot.conf" <<CONF
default_process_limit = $((CONNECTIONS + 100))
default_client_limit = $((3 * CONNECTIONS + 500))
protocol imap {
  mail_plugins = \$mail_plugins imap_zlib
}
plugin {
  imap_compress_deflate_level = 6
}
CONF
    /usr/sbin/dovecot -F -c "$dir/dovecot.conf" > "$dir/dovecot.out" 2>&1 &
  fi
  PID[$1]=$!
  wait_port "$port" "${PID[$1]}"
}

idle_pss() {  # $1 variant, $2 deflate|plain: PSS with CONNECTIONS idle sessions, in kB
  local fifo="$WORK/idle.fifo" ready pss
  rm -f "$fifo"; mkfifo "$fifo"
  python3 bench/compress_client.py idle "${IMAP_PORT[$1]}" idle idle "$2" "$CONNECTIONS" < "$fifo" > "$WORK/idle.out" &
  local client=$!
  exec 7> "$fifo"
  for _ in $(seq 1 1200); do grep -q READY "$WORK/idle.out" 2>/dev/null && break; sleep 0.5; done
  grep -q READY "$WORK/idle.out" || { log "idle sessions did not all start"; exit 1; }
  settle "$1"
  pss=$(pss_kb "${PID[$1]}")
  exec 7>&-
  wait "$client"
  echo "$pss"
}

for variant in $VARIANTS; do
  start_server "$variant"
  log "$variant up; warm-up pass"
  python3 bench/compress_client.py fetch "${IMAP_PORT[$variant]}" bench bench plain > /dev/null
  python3 bench/compress_client.py fetch "${IMAP_PORT[$variant]}" bench bench deflate > /dev/null
done
for run in $(seq 1 "$RUNS"); do
  for variant in $VARIANTS; do
    for mode in deflate plain; do
      read -r secs wire inflated < <(python3 bench/compress_client.py fetch "${IMAP_PORT[$variant]}" bench bench "$mode")
      echo "fetch $variant $mode $run $secs $wire $inflated" | tee -a "$OUT/results.txt"
    done
  done
done
for variant in $IDLE_VARIANTS; do
  settle "$variant"
  base=$(pss_kb "${PID[$variant]}")
  for mode in plain deflate; do
    loaded=$(idle_pss "$variant" "$mode")
    echo "idle $variant $mode $CONNECTIONS $base $loaded $(( (loaded - base) / CONNECTIONS ))" | tee -a "$OUT/results.txt"
    sleep 3
    settle "$variant"
    base=$(pss_kb "${PID[$variant]}")
  done
done

python3 - "$OUT/results.txt" <<'PY'
import statistics, sys
fetch, idle = {}, []
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "fetch":
        fetch.setdefault((f[1], f[2]), []).append((float(f[4]), int(f[5]), int(f[6])))
    else:
        idle.append(f[1:])
print("| server | FETCH 1:* (BODY.PEEK[HEADER]) | median time | header bytes/s | bytes on the wire |")
print("|---|---|---|---|---|")
for (variant, mode), runs in fetch.items():
    secs = statistics.median(r[0] for r in runs)
    print("| %s | %s | %.3f s | %.1f MB/s | %.1f MB (%.0f%% of %.1f MB) |" % (variant, mode, secs, runs[0][2] / secs / 1e6,
          runs[0][1] / 1e6, 100.0 * runs[0][1] / runs[0][2], runs[0][2] / 1e6))
print()
print("| server | idle sessions | PSS before | PSS with them | per session |")
print("|---|---|---|---|---|")
for variant, mode, n, base, loaded, per in idle:
    print("| %s | %s %s | %.1f MiB | %.1f MiB | %s KiB |" % (variant, n, mode, int(base) / 1024, int(loaded) / 1024, per))
PY
