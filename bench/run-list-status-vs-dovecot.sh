#!/usr/bin/env bash
# LIST-STATUS (RFC 5819): `LIST "" "*" RETURN (STATUS (MESSAGES UNSEEN SIZE))` over a Maildir of FOLDERS
# folders, Roost against Dovecot 2.3 on hard-linked copies of one generated Maildir (bench/list_status.py).
#
#   flock /tmp/bench.lock bench/run-list-status-vs-dovecot.sh
#
# Each server first answers one LIST (which opens every folder's index: Roost builds its index of a folder it
# has not seen, Dovecot its own); then ROUNDS rounds each time every server on a new connection, RUNS LISTs
# with and without SIZE (RFC 8438, which both advertise): per round the median of runs 2..RUNS, its 10th and
# 90th percentile, and the server's CPU time per LIST (process tree: Roost's JVM, Dovecot's master and the
# imap processes it reaped). BASE_APP: a second Roost build (a directory with bin/roost and target/) measured
# beside as "roost-base" on its own hard-linked copy, for before/after in one run.
# Results: $OUT/results.tsv and $OUT/summary.md.
#
# Environment (defaults in brackets): FOLDERS [1000]  MESSAGES [10] per folder  RUNS [51]  ROUNDS [3]
#   BASE_APP []  OUT [bench/out/list-status-DATE]  KEEP [0]  ROOST_JAVA_OPTS: passed to bin/roost
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

FOLDERS="${FOLDERS:-1000}"
MESSAGES="${MESSAGES:-10}"
RUNS="${RUNS:-51}"
ROUNDS="${ROUNDS:-3}"
BASE_APP="${BASE_APP:-}"
OUT="${OUT:-$here/bench/out/list-status-$(date -u +%Y%m%dT%H%M%SZ)}"
KEEP="${KEEP:-0}"
ROOST_PORT=49144
DOVECOT_PORT=49244
BASE_PORT=49344
PIDS=()

log() { printf '[list-status-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"

prepare_side_by_side roost-list-status-bench
mkdir -p "$OUT"
echo "big:{PLAIN}bench::::::" > "$WORK/passwd"
chmod 644 "$WORK/passwd"

LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
log "generating $FOLDERS folders of $MESSAGES messages"
python3 bench/list_status.py generate "$WORK/mail/big" "$FOLDERS" "$MESSAGES"
cp -al "$WORK/mail" "$WORK/dovecot-mail"  # hard links: Maildir writers rename, never change a file in place
chown -R 65534:65534 "$WORK/dovecot-mail"

declare -A PORT PID
start_roost() {  # $1 label, $2 bin/roost, $3 port, $4 mail copy
  roost_conf "$WORK/$1" "$3" "maildir:$WORK/$4/%u" "$WORK/passwd"
  "$2" serve --config "$WORK/$1/roost.yaml" > "$WORK/$1.log" 2>&1 &
  PIDS+=($!); PORT[$1]=$3; PID[$1]=$!
  wait_port "$3" "$!"
}
start_roost roost "$ROOST" "$ROOST_PORT" mail
if [ -n "$BASE_APP" ]; then
  cp -al "$WORK/mail" "$WORK/base-mail"
  mkdir -p "$WORK/base-app/bin" "$WORK/base-app/target"
  cp "$BASE_APP/bin/roost" "$WORK/base-app/bin/"
  cp -r "$BASE_APP/target/roost.jar" "$BASE_APP/target/lib" "$WORK/base-app/target/"
  start_roost roost-base "$WORK/base-app/bin/roost" "$BASE_PORT" base-mail
fi
dovecot_conf "$WORK/dovecot" "$DOVECOT_PORT" "maildir:$WORK/dovecot-mail/%u" "$WORK/passwd"
dovecot -F -c "$WORK/dovecot/dovecot.conf" > "$WORK/dovecot.out" 2>&1 &
PIDS+=($!); PORT[dovecot]=$DOVECOT_PORT; PID[dovecot]=$!
wait_port "$DOVECOT_PORT" "$!"
SERVERS=(roost ${BASE_APP:+roost-base} dovecot)

measure() {  # $1 server, $2 runs, $3 items: one TSV line, the round and the CPU ms per LIST appended
  local before after line
  before="$(tree_cpu_ms "${PID[$1]}")"
  line="$(python3 bench/list_status.py measure 127.0.0.1 "${PORT[$1]}" big bench "$2" "$1" "$3")"
  sleep 0.5  # Dovecot's imap process exits and is reaped after LOGOUT
  after="$(tree_cpu_ms "${PID[$1]}")"
  printf '%s\t%s\t%s\n' "$line" "$ROUND" "$(awk -v d=$((after - before)) -v n="$2" 'BEGIN { printf "%.1f", d / n }')"
}

{
  ROUND=first
  for server in "${SERVERS[@]}"; do measure "$server" 1 "MESSAGES UNSEEN SIZE"; done
  for ROUND in $(seq 1 "$ROUNDS"); do
    for server in "${SERVERS[@]}"; do
      measure "$server" "$RUNS" "MESSAGES UNSEEN SIZE"
      measure "$server" "$RUNS" "MESSAGES UNSEEN"
    done
  done
} | tee "$OUT/results.tsv" >&2

{
  echo "$FOLDERS folders of $MESSAGES messages, \`LIST \"\" \"*\" RETURN (STATUS (...))\`, $ROUNDS rounds of $RUNS runs" \
    "(a new connection each); load average before: $LOAD, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "First LIST (index build): $(awk -F'\t' '$9 == "first" { printf "%s %s ms; ", $1, $5 }' "$OUT/results.tsv")"
  echo
  echo "| server | items | LIST / STATUS lines | median of the round medians, ms | round medians, ms | p10–p90 of all rounds, ms | CPU ms per LIST |"
  echo "|---|---|---|---:|---|---|---:|"
  awk -F'\t' '$9 != "first" { k = $1 "\t" $2; if (!(k in n)) order[++keys] = k; n[k]++
      med[k, n[k]] = $6; meds[k] = meds[k] (n[k] > 1 ? " " : "") $6; lines[k] = $3 " / " $4
      if (!(k in lo) || $7 < lo[k]) lo[k] = $7; if ($8 > hi[k]) hi[k] = $8; cpu[k] += $10 }
    END { for (i = 1; i <= keys; i++) { k = order[i]; c = n[k]
            for (a = 1; a <= c; a++) v[a] = med[k, a]
            for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++) if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t }
            m = c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
            split(k, f, "\t")
            printf "| %s | %s | %s | %.1f | %s | %s–%s | %.1f |\n", f[1], f[2], lines[k], m, meds[k], lo[k], hi[k], cpu[k] / c } }' \
    "$OUT/results.tsv"
} > "$OUT/summary.md"
cat "$OUT/summary.md"
