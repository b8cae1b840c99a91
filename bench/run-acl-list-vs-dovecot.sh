#!/usr/bin/env bash
# ACL (RFC 4314) cost on LIST: `LIST "" "*" RETURN (STATUS (MESSAGES))` over FOLDERS Maildir folders, each with a
# dovecot-acl file (every tenth hides itself from its owner: no "l"), on Roost with ACLs (acl.enabled, the
# default), Roost without, and Dovecot 2.3 with its acl plugin, on hard-linked copies of one generated Maildir.
#
#   flock /tmp/bench.lock bench/run-acl-list-vs-dovecot.sh
#
# Measures, on one connection per server, the first LIST and the median of the RUNS-1 after it; each listed
# folder costs Roost a stat of its dovecot-acl for "l" and one for "r", never a read once the file was read.
# Results: $OUT/results.tsv and $OUT/summary.md.
#
# Environment (defaults in brackets): FOLDERS [1000]  MESSAGES [10] per folder  RUNS [51]
#   OUT [bench/out/acl-list-DATE]  KEEP [0]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

FOLDERS="${FOLDERS:-1000}"
MESSAGES="${MESSAGES:-10}"
RUNS="${RUNS:-51}"
OUT="${OUT:-$here/bench/out/acl-list-$(date -u +%Y%m%dT%H%M%SZ)}"
KEEP="${KEEP:-0}"
ROOST_PORT=49145
DOVECOT_PORT=49245
PIDS=()

log() { printf '[acl-list-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"

prepare_side_by_side roost-acl-list-bench
mkdir -p "$OUT"
echo "big:{PLAIN}bench::::::" > "$WORK/passwd"
chmod 644 "$WORK/passwd"

LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
log "generating $FOLDERS folders of $MESSAGES messages, each with a dovecot-acl"
python3 bench/list_status.py generate "$WORK/mail/big" "$FOLDERS" "$MESSAGES"
i=0
for folder in "$WORK"/mail/big/.f*; do
  if [ $((i % 10)) = 0 ]; then rights=rwstipekxa; else rights=lrwstipekxa; fi
  printf 'owner %s\nuser=fred lr\ngroup=team lrs\n' "$rights" > "$folder/dovecot-acl"
  i=$((i + 1))
done
cp -al "$WORK/mail" "$WORK/dovecot-mail"
chown -R 65534:65534 "$WORK/dovecot-mail"

measure_roost() {  # $1 label, $2 acl.enabled
  roost_conf "$WORK/roost-$1" "$ROOST_PORT" "maildir:$WORK/mail/%u" "$WORK/passwd"
  ROOST_ACL_ENABLED="$2" "$ROOST" serve --config "$WORK/roost-$1/roost.yaml" > "$WORK/roost-$1.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  wait_port "$ROOST_PORT" "$pid"
  python3 bench/list_status.py measure 127.0.0.1 "$ROOST_PORT" big bench "$RUNS" "$1" "MESSAGES"
  stop_pid "$pid"
}

{
  measure_roost roost-acl true
  measure_roost roost-no-acl false
  dovecot_conf "$WORK/dovecot" "$DOVECOT_PORT" "maildir:$WORK/dovecot-mail/%u" "$WORK/passwd"
  cat >> "$WORK/dovecot/dovecot.conf" <<CONF
mail_plugins = acl
protocol imap {
  mail_plugins = \$mail_plugins imap_acl
}
plugin {
  acl = vfile
}
CONF
  dovecot -F -c "$WORK/dovecot/dovecot.conf" > "$WORK/dovecot.out" 2>&1 &
  PIDS+=($!)
  wait_port "$DOVECOT_PORT" "${PIDS[-1]}"
  python3 bench/list_status.py measure 127.0.0.1 "$DOVECOT_PORT" big bench "$RUNS" dovecot-acl "MESSAGES"
} | tee "$OUT/results.tsv" >&2

{
  echo "$FOLDERS folders of $MESSAGES messages with dovecot-acl files (a tenth without \"l\")," \
    "\`LIST \"\" \"*\" RETURN (STATUS (MESSAGES))\`, $RUNS runs on one connection; load average before: $LOAD"
  echo
  echo "| server | items | LIST / STATUS lines | first ms | median ms (runs 2..$RUNS) |"
  echo "|---|---|---|---|---|"
  awk -F'\t' '{ printf "| %s | %s | %s / %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$OUT/results.tsv"
} > "$OUT/summary.md"
cat "$OUT/summary.md"
