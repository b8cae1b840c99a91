#!/usr/bin/env bash
# What Roost does when its process runs out of file descriptors (EMFILE), and that it recovers: Roost started
# with `ulimit -n NOFILE`; a session SELECTs INBOX; connections are opened until the server greets none (its
# accept fails); the session's FETCH BODY[] (a message file to open) is answered then; the others close; the
# waiting connection must be greeted and the FETCH answered. Also: the accept loop's CPU time while out of
# descriptors (it must back off, not spin), the process still alive, and the log lines it wrote.
#
#   bench/run-emfile-recovery.sh
#
# Environment (defaults in brackets): NOFILE [1024]  KEEP [0]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

NOFILE="${NOFILE:-1024}"
KEEP="${KEEP:-0}"
ROOST_PORT=49146
DOVECOT_PORT=49246  # unused; prepare_side_by_side checks it
PIDS=()

log() { printf '[emfile %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"

prepare_side_by_side roost-emfile
printf 'other:{PLAIN}bench::::::\n' > "$WORK/passwd"
python3 bench/list_status.py generate "$WORK/mail/other" 0 0
roost_conf "$WORK/roost" "$ROOST_PORT" "maildir:$WORK/mail/%u" "$WORK/passwd"
( ulimit -n "$NOFILE"
  ROOST_LIMITS_MAXCONNECTIONSPERIP=100000 exec "$ROOST" serve --config "$WORK/roost/roost.yaml" ) > "$WORK/roost.log" 2>&1 &
pid=$!
PIDS+=("$pid")
wait_port "$ROOST_PORT" "$pid"
log "Roost $pid, limit $(awk '/Max open files/ { print $4 "/" $5 }' "/proc/$pid/limits"), $(ls "/proc/$pid/fd" | wc -l) descriptors open"
cpu_before="$(tree_cpu_ms "$pid")"
started="$(date +%s%N)"
python3 bench/fd_budget.py exhaust 127.0.0.1 "$ROOST_PORT" other bench
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
log "CPU $(( $(tree_cpu_ms "$pid") - cpu_before )) ms over $elapsed_ms ms of the exhaustion and recovery;" \
  "alive: $(kill -0 "$pid" 2>/dev/null && echo yes || echo no); descriptors now: $(ls "/proc/$pid/fd" | wc -l)"
log "log lines: accept failed $(grep -c 'accept failed' "$WORK/roost.log" || true)," \
  "accepting again $(grep -c 'accepting again' "$WORK/roost.log" || true)," \
  "naming 'Too many open files' $(grep -c 'Too many open files' "$WORK/roost.log" || true)"
grep -E "accept failed|accepting again|FETCH failed" "$WORK/roost.log" | head -5 >&2 || true
