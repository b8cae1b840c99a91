#!/usr/bin/env bash
# NOTIFY fan-out (issue 14: one delivery to 10,000 notifying sessions within 1 s).
#   bench/run-notify-fanout.sh [SESSIONS] [ROUNDS] [status|selected]   defaults 10000 5 status
# Starts bin/roost (a private copy of target/, -Xmx1g) on a fresh Maildir, opens SESSIONS IMAP connections
# of one user that each set NOTIFY, then APPENDs ROUNDS messages to INBOX from one more connection and
# prints, per round, how long until the last session had read its notification (bench/NotifyFanout.java).
# Needs target/roost.jar (mvn -B -DskipTests package). Run under flock /tmp/bench.lock.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
sessions=${1:-10000}
rounds=${2:-5}
mode=${3:-status}
dir=${ROOST_BENCH_DIR:-/tmp/roost-bench-notify}
port=${ROOST_BENCH_PORT:-11153}
java=$(pick_java)
port_free "$port"
rm -rf "$dir" && mkdir -p "$dir/app/target" "$dir/app/bin" "$dir/mail"
cp -rp "$here/target/roost.jar" "$here/target/lib" "$dir/app/target/" && cp -p "$here/bin/roost" "$dir/app/bin/"
printf 'bench:{PLAIN}bench::::::\n' > "$dir/passwd"
roost_conf "$dir" "$port" "maildir:$dir/mail/%u" "$dir/passwd"
cat >> "$dir/roost.yaml" <<YAML
limits: {maxConnections: $((sessions + 100)), maxConnectionsPerIp: $((sessions + 100))}
YAML
ulimit -n "$(( sessions * 2 + 1000 ))" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
ROOST_JAVA_OPTS="-Xmx1g" ROOST_AOT=off "$dir/app/bin/roost" serve --config "$dir/roost.yaml" > "$dir/server.log" 2>&1 &
pid=$!
trap 'stop_pid "$pid"' EXIT
wait_port "$port" "$pid"
log "server $pid up; $sessions sessions, $rounds rounds, mode $mode"
"$java" "$here/bench/NotifyFanout.java" 127.0.0.1 "$port" bench bench "$sessions" "$rounds" "$mode"
log "server RSS: $(ps -o rss= -p "$pid" 2>/dev/null || echo ?) KiB"
