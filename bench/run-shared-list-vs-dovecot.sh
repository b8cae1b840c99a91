#!/usr/bin/env bash
# LIST over the other users' namespace (#19): a reader sees OWNERS x FOLDERS shared folders (each owner's folders
# carry `user=reader lr` in their dovecot-acl), on Roost (namespaces.sharedPrefix Shared) and on Dovecot 2.3 with
# a shared namespace `Shared.%u.` and its acl_shared_dict, over hard-linked copies of one generated tree.
#
#   flock /tmp/bench.lock bench/run-shared-list-vs-dovecot.sh
#
# Every owner logs in once first (Roost records what they share at login; Dovecot's dict is filled by
# `doveadm acl recalc`). Measures on one connection per server `LIST "" "*"` (first and median of RUNS-1) and the
# server's CPU time over those runs (Roost: its JVM; Dovecot: its processes). Results: $OUT/summary.md.
#
# Environment (defaults in brackets): OWNERS [100]  FOLDERS [10] per owner  MESSAGES [2]  RUNS [31]
#   OUT [bench/out/shared-list-DATE]  KEEP [0]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

OWNERS="${OWNERS:-100}"
FOLDERS="${FOLDERS:-10}"
MESSAGES="${MESSAGES:-2}"
RUNS="${RUNS:-31}"
OUT="${OUT:-$here/bench/out/shared-list-$(date -u +%Y%m%dT%H%M%SZ)}"
KEEP="${KEEP:-0}"
ROOST_PORT=49146
DOVECOT_PORT=49246
PIDS=()

log() { printf '[shared-list-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"

tree_cpu_ticks() {  # $1 pid: user+system clock ticks of the process, its descendants and its reaped children
  local total p
  total=$(awk '{ print $16 + $17 }' "/proc/$1/stat")
  for p in $(ps -e -o pid=,ppid= | awk -v root="$1" '{ parent[$1] = $2 } END { for (p in parent) { q = p
        while (q != root && (q in parent) && q > 1) q = parent[q]; if (q == root) print p } }'); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

prepare_side_by_side roost-shared-list-bench
mkdir -p "$OUT"
echo "reader:{PLAIN}bench::::::" > "$WORK/passwd"
log "generating $OWNERS owners of $FOLDERS folders of $MESSAGES messages, shared with reader"
python3 bench/list_status.py generate "$WORK/mail/reader" 0 0
for o in $(seq -w 1 "$OWNERS"); do
  echo "owner$o:{PLAIN}bench::::::" >> "$WORK/passwd"
  python3 bench/list_status.py generate "$WORK/mail/owner$o" "$FOLDERS" "$MESSAGES"
  for folder in "$WORK/mail/owner$o"/.f*; do printf 'user=reader lr\n' > "$folder/dovecot-acl"; done
done
chmod 644 "$WORK/passwd"
cp -al "$WORK/mail" "$WORK/dovecot-mail"
chown -R 65534:65534 "$WORK/dovecot-mail"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"

login_owners() {  # $1 port
  for o in $(seq -w 1 "$OWNERS"); do
    python3 -c 'import imaplib,sys; c = imaplib.IMAP4("127.0.0.1", int(sys.argv[1])); c.login(sys.argv[2], "bench"); c.logout()' "$1" "owner$o"
  done
}

measure() {  # $1 label, $2 port, $3 pid
  local before after
  before=$(tree_cpu_ticks "$3")
  python3 bench/list_status.py measure 127.0.0.1 "$2" reader bench "$RUNS" "$1" - "*" | tr -d '\n'
  sleep 1  # Dovecot's imap process ends with the connection: its time counts once the master reaped it
  after=$(tree_cpu_ticks "$3")
  printf '\t%s\n' "$(( (after - before) * 1000 / $(getconf CLK_TCK) ))"
}

measure_both() {
  roost_conf "$WORK/roost" "$ROOST_PORT" "maildir:$WORK/mail/%u" "$WORK/passwd"
  "$ROOST" serve --config "$WORK/roost/roost.yaml" > "$WORK/roost.log" 2>&1 &
  PIDS+=($!)
  wait_port "$ROOST_PORT" "${PIDS[-1]}"
  login_owners "$ROOST_PORT"
  measure roost "$ROOST_PORT" "${PIDS[-1]}"
  stop_pid "${PIDS[-1]}"

  dovecot_conf "$WORK/dovecot" "$DOVECOT_PORT" "maildir:$WORK/dovecot-mail/%u" "$WORK/passwd"
  dovecot_shared_namespace "$WORK/dovecot/dovecot.conf" "maildir:$WORK/dovecot-mail/%%u" \
    "acl_shared_dict = file:$WORK/dovecot/dict/shared-mailboxes"
  mkdir -p "$WORK/dovecot/dict"
  chown 65534:65534 "$WORK/dovecot/dict"
  dovecot -F -c "$WORK/dovecot/dovecot.conf" > "$WORK/dovecot.out" 2>&1 &
  PIDS+=($!)
  wait_port "$DOVECOT_PORT" "${PIDS[-1]}"
  for o in $(seq -w 1 "$OWNERS"); do doveadm -c "$WORK/dovecot/dovecot.conf" acl recalc -u "owner$o"; done
  login_owners "$DOVECOT_PORT"
  measure dovecot "$DOVECOT_PORT" "${PIDS[-1]}"
}

measure_both > "$OUT/results.tsv"
cat "$OUT/results.tsv" >&2

{
  echo "A reader sees $OWNERS owners x $FOLDERS folders shared with \`user=reader lr\`; \`LIST \"\" \"*\"\`, $RUNS runs" \
    "on one connection; commit $(git rev-parse --short HEAD); load average before: $LOAD"
  echo
  echo "| server | LIST lines | first ms | median ms (runs 2..$RUNS) | p10 / p90 ms | server CPU ms over all runs |"
  echo "|---|---|---|---|---|---|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s / %s | %s |\n", $1, $3, $5, $6, $7, $8, $9 }' "$OUT/results.tsv"
} > "$OUT/summary.md"
cat "$OUT/summary.md"
