#!/usr/bin/env bash
# Two Roost builds (or one build with two sets of JVM options) under the same mixed load, alternated A B A B in one
# run, fts.enabled false (the command path alone): each measurement's server CPU per command beside the other's.
#   flock /tmp/bench.lock env A=/path/to/tree B=/path/to/tree bench/ab-mixed.sh
#   A, B [this worktree]: trees with bin/roost and target/ (copied first, so a rebuild meanwhile changes nothing)
#   A_OPTS, B_OPTS: ROOST_JAVA_OPTS of each; A_ENV, B_ENV: more environment of each (ROOST_MAIL_FSYNC=false ...); ROUNDS [2]  CLIENTS [10]  DURATION [20s]  WARMUP [30s]
#   USERS [50] x MESSAGES [200]  OUT [/tmp/cpumix-ab]: JSON per measurement, summary.txt
#   MIX: the measurements' --mix (the warm-up is the mixed load), LOAD_MESSAGES [MESSAGES] their --messages
#   (APPENDs alone: run-vs-dovecot.sh's APPEND_ONLY with LOAD_MESSAGES=1000000)
# ROOST_AOT=off for both (the cache is another comparison: bench/run-vs-dovecot.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
A="${A:-$here}" B="${B:-$here}" ROUNDS="${ROUNDS:-2}" CLIENTS="${CLIENTS:-10}" DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-30s}" USERS="${USERS:-50}" MESSAGES="${MESSAGES:-200}" OUT="${OUT:-/tmp/cpumix-ab}"
log() { printf '[ab %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
JAVA="$(pick_java)"
loadgen() { "$JAVA" -Xss512k -cp "$here/bench/target/roost-bench.jar" org.roost.bench.LoadGenerator "$@"; }
declare -A PORT=([a]=47243 [b]=47343) PID=()
WORK="$(mktemp -d /tmp/cpumix-ab.XXXXXX)"
cleanup() { for v in "${!PID[@]}"; do stop_pid "${PID[$v]}"; done; "${DETACHED[@]}" rm -rf "$WORK" & }
trap cleanup EXIT INT TERM
mkdir -p "$OUT"
for i in $(seq 1 "$USERS"); do echo "bench$i:{PLAIN}bench::::::"; done > "$WORK/passwd"
loadgen populate --root "$WORK/mail" --users "$USERS" --messages "$MESSAGES" > /dev/null
start() {  # $1 a|b, $2 tree, $3 JVM options, $4 environment (NAME=value ...)
  local dir="$WORK/$1"
  mkdir -p "$dir/app/bin" "$dir/app/target"
  cp -p "$2/bin/roost" "$dir/app/bin/" && cp -rp "$2/target/roost.jar" "$2/target/lib" "$dir/app/target/"
  cp -a "$WORK/mail" "$dir/mail"
  cat > "$dir/roost.yaml" <<YAML
data: $dir/data
listeners:
  imap: {address: 127.0.0.1, port: ${PORT[$1]}}
  imaps: {address: 127.0.0.1, port: 0, enabled: false}
  pop3: {address: 127.0.0.1, port: 0, enabled: false}
  pop3s: {address: 127.0.0.1, port: 0, enabled: false}
admin: {enabled: false}
auth: {passwdFile: $WORK/passwd, secureNetworks: [127.0.0.0/8]}
mail: {location: "maildir:$dir/mail/%u"}
limits: {maxConnections: 60000, maxConnectionsPerIp: 60000}
fts: {enabled: false}
YAML
  # without this script's descriptors (the bench lock's); bin/roost execs the JVM, so $! is the server
  # shellcheck disable=SC2086 # the environment's words by design
  env $4 ROOST_AOT=off ROOST_JAVA_OPTS="$3" "${DETACHED[@]}" "$dir/app/bin/roost" serve --config "$dir/roost.yaml" > "$dir/roost.log" 2>&1 &
  PID[$1]=$!
  wait_port "${PORT[$1]}" "${PID[$1]}"
}
start a "$A" "${A_OPTS:-}" "${A_ENV:-}"
start b "$B" "${B_OPTS:-}" "${B_ENV:-}"
mixed() {  # $1 a|b, $2 duration, then more options
  loadgen mixed --port "${PORT[$1]}" --password bench --label "$1" --server-pid "${PID[$1]}" --server-jvm \
    --clients "$CLIENTS" --users "$USERS" --messages "$MESSAGES" --duration "$2" "${@:3}"
}
for v in a b; do mixed "$v" "$WARMUP" > /dev/null; done
log "warm (A=$A ${A_OPTS:-} ${A_ENV:-}, B=$B ${B_OPTS:-} ${B_ENV:-})"
echo "# $(date -u +%H:%M) A=$A ${A_OPTS:-} ${A_ENV:-} | B=$B ${B_OPTS:-} ${B_ENV:-} | $CLIENTS clients, $DURATION, $USERS users ${MIX:-}" >> "$OUT/summary.txt"
for r in $(seq 1 "$ROUNDS"); do
  for v in a b; do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    before="$(thread_group_ticks "${PID[$v]}")"
    mixed "$v" "$DURATION" --out "$OUT/$v-r$r.json" ${MIX:+--mix "$MIX" --messages "${LOAD_MESSAGES:-$MESSAGES}"} > /dev/null
    after="$(thread_group_ticks "${PID[$v]}")"
    python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["results"][0]
ops, cpu, errors = r["opsPerSecond"], r["serverCpuMsPerOp"], r["errors"]
v, n, load = sys.argv[2:5]
d = [(int(a) - int(b)) / 100 for a, b in zip(sys.argv[5].split(), sys.argv[6].split())]
print(f"{v} r{n}: {ops:.0f} ops/s, {cpu:.3f} ms CPU/op, errors {errors}, load {load}; CPU s: JIT {d[0]:.2f}, GC {d[1]:.2f}, other {d[2]:.2f}")' \
      "$OUT/$v-r$r.json" "$v" "$r" "$load" "$after" "$before" | tee -a "$OUT/summary.txt"
  done
done
