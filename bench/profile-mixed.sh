#!/usr/bin/env bash
# A flight recording of one Roost under the mixed load (issue 21: where a command's CPU goes), light enough to run
# beside other work: USERS [20] x MESSAGES [200], CLIENTS [10] clients of `LoadGenerator mixed`, WARMUP [20s] not
# recorded, then RECORD [20s] recorded with JFR SETTINGS [profile] into OUT [/tmp/cpumix-prof/roost.jfr], and the
# server's CPU per command over the recorded part. ROOST_FTS [false]: fts.enabled. MIX: the recorded part's --mix
# (e.g. APPENDs alone: run-vs-dovecot.sh's APPEND_ONLY, with LOAD_MESSAGES=1000000: the size the clients keep
# their mailboxes to, MESSAGES by default). APP [the worktree's bin/roost and
# target/]: another build to profile. STRACE=1: `strace -c -f` over the recorded part instead of JFR; PERF=1: `perf
# record -g` (PERF_HZ [99] Hz, frame pointers kept, the JIT's symbols from `jcmd Compiler.perfmap`) into ${OUT%.jfr}.perf.
#   bench/profile-mixed.sh; jfr view hot-methods /tmp/cpumix-prof/roost.jfr
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
USERS="${USERS:-20}" MESSAGES="${MESSAGES:-200}" CLIENTS="${CLIENTS:-10}"
WARMUP="${WARMUP:-20s}" RECORD="${RECORD:-20s}" SETTINGS="${SETTINGS:-profile}"
OUT="${OUT:-/tmp/cpumix-prof/roost.jfr}" APP="${APP:-$here}" PORT="${PORT:-47143}"
log() { printf '[profile %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
JAVA="$(pick_java)"
loadgen() { "$JAVA" -Xss512k -cp "$here/bench/target/roost-bench.jar" org.roost.bench.LoadGenerator "$@"; }
WORK="$(mktemp -d /tmp/cpumix-prof.XXXXXX)"
mkdir -p "$(dirname "$OUT")" "$WORK/app/bin" "$WORK/app/target"
cp -p "$APP/bin/roost" "$WORK/app/bin/" && cp -rp "$APP/target/roost.jar" "$APP/target/lib" "$WORK/app/target/"
pid=""
trap '[ -z "$pid" ] || stop_pid "$pid"; rm -rf "$WORK"' EXIT
for i in $(seq 1 "$USERS"); do echo "bench$i:{PLAIN}bench::::::"; done > "$WORK/passwd"
loadgen populate --root "$WORK/mail" --users "$USERS" --messages "$MESSAGES" > /dev/null
cat > "$WORK/roost.yaml" <<YAML
data: $WORK/data
listeners:
  imap: {address: 127.0.0.1, port: $PORT}
  imaps: {address: 127.0.0.1, port: 0, enabled: false}
  pop3: {address: 127.0.0.1, port: 0, enabled: false}
  pop3s: {address: 127.0.0.1, port: 0, enabled: false}
admin: {enabled: false}
auth: {passwdFile: $WORK/passwd, secureNetworks: [127.0.0.0/8]}
mail: {location: "maildir:$WORK/mail/%u"}
limits: {maxConnections: 60000, maxConnectionsPerIp: 60000}
fts: {enabled: ${ROOST_FTS:-false}}
YAML
# without this script's descriptors (the bench lock's, if any); bin/roost execs the JVM, so $! is the server
perf_opts=""
[ "${PERF:-0}" = 1 ] && perf_opts="-XX:+PreserveFramePointer"
ROOST_AOT=off ROOST_JAVA_OPTS="${ROOST_JAVA_OPTS:-} $perf_opts" "${DETACHED[@]}" "$WORK/app/bin/roost" serve --config "$WORK/roost.yaml" > "$WORK/roost.log" 2>&1 &
pid=$!
wait_port "$PORT" "$pid"
mixed() { loadgen mixed --port "$PORT" --password bench --label roost --server-pid "$pid" --server-jvm \
  --clients "$CLIENTS" --users "$USERS" --messages "${LOAD_MESSAGES:-$MESSAGES}" --duration "$1" "${@:2}"; }
mixed "$WARMUP" > /dev/null
log "warm; recording $RECORD (load $(cut -d' ' -f1 /proc/loadavg))"
if [ "${STRACE:-0}" = 1 ]; then
  strace -c -f -o "${OUT%.jfr}.strace.txt" -p "$pid" 2>/dev/null &
  tracer=$!
  sleep 1
  mixed "$RECORD" --out "${OUT%.jfr}.json" ${MIX:+--mix "$MIX"} | grep -E '^(ALL|server)'
  kill -INT "$tracer"; wait "$tracer" || true
elif [ "${PERF:-0}" = 1 ]; then
  perf record -F "${PERF_HZ:-99}" -g -o "${OUT%.jfr}.perf" -p "$pid" 2>/dev/null &
  tracer=$!
  sleep 1
  mixed "$RECORD" --out "${OUT%.jfr}.json" ${MIX:+--mix "$MIX"} | grep -E '^(ALL|server)'
  kill -INT "$tracer"; wait "$tracer" || true
  "$(dirname "$JAVA")/jcmd" "$pid" Compiler.perfmap > /dev/null
else
  "$(dirname "$JAVA")/jcmd" "$pid" JFR.start name=prof settings="$SETTINGS" filename="$OUT" > /dev/null
  mixed "$RECORD" --out "${OUT%.jfr}.json" ${MIX:+--mix "$MIX"} | grep -E '^(ALL|server)'
  "$(dirname "$JAVA")/jcmd" "$pid" JFR.stop name=prof > /dev/null
fi
log "done: $OUT (load $(cut -d' ' -f1 /proc/loadavg))"
