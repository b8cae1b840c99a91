#!/usr/bin/env bash
# ManageSieve sessions, Roost against Dovecot's managesieved (Debian's dovecot-managesieved, Pigeonhole), same
# machine, same run, each serving users of its own passwd-file ({PLAIN} passwords) with scripts in Pigeonhole's
# layout under homes of their own, plaintext PLAIN on loopback (no TLS on either side).
#
#   bench/run-managesieve-vs-dovecot.sh
#
# Load (bench/managesieve_load.py): SESSIONS whole sessions over CLIENTS parallel clients, each connect,
# AUTHENTICATE PLAIN, PUTSCRIPT (a 1 KiB script, compiled by both), SETACTIVE, LISTSCRIPTS, GETSCRIPT, LOGOUT.
# A warm-up pass of WARMUP sessions first (not recorded), then ROUNDS rounds of Roost and Dovecot in turn.
# Figures per run: sessions per second, p50/p99 of a session, and server CPU per session (user+system time of
# the server's process tree, reaped children included). Results: $OUT/results.tsv.
#
# Environment (defaults in brackets): SESSIONS [3000]  CLIENTS [8]  USERS [500]  WARMUP [1000]  ROUNDS [2]
#   OUT [bench/out/managesieve-DATE]  ROOST_JAVA_OPTS: passed to bin/roost
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

SESSIONS="${SESSIONS:-3000}"
CLIENTS="${CLIENTS:-8}"
USERS="${USERS:-500}"
WARMUP="${WARMUP:-1000}"
ROUNDS="${ROUNDS:-2}"
OUT="${OUT:-$here/bench/out/managesieve-$(date -u +%Y%m%dT%H%M%SZ)}"
declare -A PORT=([roost]=47190 [dovecot]=47290)
declare -A PID=()

log() { printf '[managesieve %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
source bench/common.sh

[ -x /usr/lib/dovecot/managesieve ] || { log "dovecot-managesieved is not installed"; exit 2; }
[ -f target/roost.jar ] || { log "build first: mvn -B -q -DskipTests package"; exit 2; }
work="$(mktemp -d)"
mkdir -p "$OUT"
cleanup() { for p in "${PID[@]}"; do stop_pid "$p"; done; rm -rf "$work"; }
trap cleanup EXIT

for i in $(seq 1 "$USERS"); do echo "user$i:{PLAIN}secret::::::"; done > "$work/passwd"
chmod 644 "$work/passwd"
chmod 755 "$work"

start_roost() {
  mkdir -p "$work/roost/data"
  cat > "$work/roost/roost.yaml" <<YAML
data: $work/roost/data
listeners:
  imap: {address: 127.0.0.1, port: 0, enabled: false}
  imaps: {address: 127.0.0.1, port: 0, enabled: false}
  managesieve: {address: 127.0.0.1, port: ${PORT[roost]}, enabled: true}
admin: {enabled: false}
auth: {passwdFile: $work/passwd}
mail: {location: "maildir:$work/roost/mail/%u"}
sieve: {homes: $work/roost/homes}
YAML
  ROOST_AOT=off setsid bin/roost serve --config "$work/roost/roost.yaml" > "$work/roost/log" 2>&1 &
  PID[roost]=$!
  wait_port "${PORT[roost]}" "${PID[roost]}" || { tail -20 "$work/roost/log" >&2; return 1; }
}

start_dovecot() {
  local d="$work/dovecot"
  mkdir -p "$d/run" "$d/state" "$d/home"
  chown 65534:65534 "$d/home"
  cat > "$d/dovecot.conf" <<CONF
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
instance_name = roost-bench-managesieve
ssl = no
protocols = sieve
listen = 127.0.0.1
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN $work/passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$d/home/%u
}
plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
}
service managesieve-login {
  inet_listener sieve {
    address = 127.0.0.1
    port = ${PORT[dovecot]}
  }
}
CONF
  setsid /usr/sbin/dovecot -F -c "$d/dovecot.conf" > "$d/stdout" 2>&1 &
  PID[dovecot]=$!
  wait_port "${PORT[dovecot]}" "${PID[dovecot]}" || { tail -20 "$d/dovecot.log" "$d/stdout" >&2; return 1; }
}

cpu_ticks() {  # $1 pid: utime+stime of the process tree, with the reaped children's, in clock ticks
  local total=0 p
  for p in $(ps -e -o pid=,ppid= | awk -v root="$1" '{ parent[$1] = $2 }
      END { for (p in parent) { q = p; while (q != root && (q in parent) && q > 1) q = parent[q]; if (q == root) print p } }'); do
    [ -r "/proc/$p/stat" ] || continue
    total=$((total + $(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

for variant in roost dovecot; do port_free "${PORT[$variant]}"; done
start_roost
start_dovecot
hz=$(getconf CLK_TCK)
printf 'round\tserver\tsessions_per_s\tp50_ms\tp99_ms\tsessions\terrors\tcpu_ms_per_session\n' > "$OUT/results.tsv"
for variant in roost dovecot; do
  log "warm-up $variant: $WARMUP sessions"
  python3 bench/managesieve_load.py "${PORT[$variant]}" "$WARMUP" "$CLIENTS" "$USERS" > /dev/null
done
for round in $(seq 1 "$ROUNDS"); do
  for variant in roost dovecot; do
    before=$(cpu_ticks "${PID[$variant]}")
    result=$(python3 bench/managesieve_load.py "${PORT[$variant]}" "$SESSIONS" "$CLIENTS" "$USERS")
    after=$(cpu_ticks "${PID[$variant]}")
    ok=$(echo "$result" | cut -f4)
    cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$ok" 'BEGIN { printf "%.3f", n ? t * 1000 / hz / n : 0 }')
    printf '%s\t%s\t%s\t%s\n' "$round" "$variant" "$result" "$cpu" >> "$OUT/results.tsv"
    log "round $round $variant: $result cpu/session ${cpu} ms"
  done
done
column -t "$OUT/results.tsv"
