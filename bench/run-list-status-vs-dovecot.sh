#!/usr/bin/env bash
# LIST-STATUS (RFC 5819): `LIST "" "*" RETURN (STATUS (MESSAGES UNSEEN SIZE))` over a Maildir of FOLDERS
# folders, Roost against Dovecot 2.3 on hard-linked copies of one generated Maildir (bench/list_status.py).
#
#   flock /tmp/bench.lock bench/run-list-status-vs-dovecot.sh
#
# Measures, on one connection per server, the first LIST (which opens every folder's index: Roost builds its
# index of a folder it has not seen, Dovecot its own) and the median of the RUNS-1 after it (answered from
# the indexes), with and without SIZE (RFC 8438, which both advertise).
# Results: $OUT/results.tsv and $OUT/summary.md.
#
# Environment (defaults in brackets): FOLDERS [1000]  MESSAGES [10] per folder  RUNS [51]
#   OUT [bench/out/list-status-DATE]  KEEP [0]  ROOST_JAVA_OPTS: passed to bin/roost
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

FOLDERS="${FOLDERS:-1000}"
MESSAGES="${MESSAGES:-10}"
RUNS="${RUNS:-51}"
OUT="${OUT:-$here/bench/out/list-status-$(date -u +%Y%m%dT%H%M%SZ)}"
KEEP="${KEEP:-0}"
ROOST_PORT=49144
DOVECOT_PORT=49244
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

roost_conf "$WORK/roost" "$ROOST_PORT" "maildir:$WORK/mail/%u" "$WORK/passwd"
"$ROOST" serve --config "$WORK/roost/roost.yaml" > "$WORK/roost.log" 2>&1 &
PIDS+=($!)
wait_port "$ROOST_PORT" "${PIDS[-1]}"
dovecot_conf "$WORK/dovecot" "$DOVECOT_PORT" "maildir:$WORK/dovecot-mail/%u" "$WORK/passwd"
dovecot -F -c "$WORK/dovecot/dovecot.conf" > "$WORK/dovecot.out" 2>&1 &
PIDS+=($!)
wait_port "$DOVECOT_PORT" "${PIDS[-1]}"

{
  python3 bench/list_status.py measure 127.0.0.1 "$ROOST_PORT" big bench "$RUNS" roost "MESSAGES UNSEEN SIZE"
  python3 bench/list_status.py measure 127.0.0.1 "$ROOST_PORT" big bench "$RUNS" roost "MESSAGES UNSEEN"
  python3 bench/list_status.py measure 127.0.0.1 "$DOVECOT_PORT" big bench "$RUNS" dovecot "MESSAGES UNSEEN SIZE"
  python3 bench/list_status.py measure 127.0.0.1 "$DOVECOT_PORT" big bench "$RUNS" dovecot "MESSAGES UNSEEN"
} | tee "$OUT/results.tsv" >&2

{
  echo "$FOLDERS folders of $MESSAGES messages, \`LIST \"\" \"*\" RETURN (STATUS (...))\`, $RUNS runs on one connection;" \
    "load average before: $LOAD"
  echo
  echo "| server | items | LIST / STATUS lines | first ms | median ms (runs 2..$RUNS) |"
  echo "|---|---|---|---|---|"
  awk -F'\t' '{ printf "| %s | %s | %s / %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$OUT/results.tsv"
} > "$OUT/summary.md"
cat "$OUT/summary.md"
