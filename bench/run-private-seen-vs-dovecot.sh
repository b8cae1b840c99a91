#!/usr/bin/env bash
# Private \Seen on another user's mailbox (#19, Dovecot's INDEXPVT): a reader with `user=reader lrs` on an owner's
# folder of MESSAGES messages marks them all seen (their own \Seen), then FETCHes FLAGS, SEARCHes UNSEEN, asks
# STATUS UNSEEN and takes one message's \Seen away, RUNS times; the owner does the same on the folder as their own
# (their \Seen is the files'). Roost (namespaces.privateFlags [\Seen]) beside Dovecot 2.3 with a shared namespace
# whose location has INDEXPVT, over hard-linked copies of one generated Maildir.
#
#   flock /tmp/bench.lock bench/run-private-seen-vs-dovecot.sh
#
# Environment (defaults in brackets): MESSAGES [100000]  RUNS [11]  OUT [bench/out/private-seen-DATE]  KEEP [0]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

MESSAGES="${MESSAGES:-100000}"
RUNS="${RUNS:-11}"
OUT="${OUT:-$here/bench/out/private-seen-$(date -u +%Y%m%dT%H%M%SZ)}"
KEEP="${KEEP:-0}"
ROOST_PORT=49147
DOVECOT_PORT=49247
PIDS=()

log() { printf '[private-seen-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"

prepare_side_by_side roost-private-seen-bench
mkdir -p "$OUT"
printf 'reader:{PLAIN}bench::::::\nowner:{PLAIN}bench::::::\n' > "$WORK/passwd"
chmod 644 "$WORK/passwd"
log "generating a folder of $MESSAGES messages for owner, shared with reader (lrs)"
python3 bench/list_status.py generate "$WORK/mail/reader" 0 0
python3 bench/list_status.py generate "$WORK/mail/owner" 1 "$MESSAGES"
printf 'user=reader lrs\n' > "$WORK/mail/owner/.f0000/dovecot-acl"
cp -al "$WORK/mail" "$WORK/dovecot-mail"
chown -R 65534:65534 "$WORK/dovecot-mail"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"

measure() {  # $1 label, $2 port, $3 pid, $4 user, $5 mailbox
  local before after
  python3 -c 'import sys; sys.path.insert(0, "bench"); from list_status import Client
c = Client("127.0.0.1", int(sys.argv[1])); c.run("LOGIN %s bench" % sys.argv[2]); c.run("EXAMINE " + sys.argv[3])
c.run("LOGOUT")' "$2" "$4" "$5"  # the first open (index built from the files) is not what is measured
  before=$(tree_cpu_ms "$3")
  python3 bench/private_seen.py measure 127.0.0.1 "$2" "$4" bench "$5" "$RUNS" "$1" | tr -d '\n'
  sleep 1
  after=$(tree_cpu_ms "$3")
  printf '\t%s\n' "$((after - before))"
}

measure_both() {
  roost_conf "$WORK/roost" "$ROOST_PORT" "maildir:$WORK/mail/%u" "$WORK/passwd"
  "$ROOST" serve --config "$WORK/roost/roost.yaml" > "$WORK/roost.log" 2>&1 &
  PIDS+=($!)
  wait_port "$ROOST_PORT" "${PIDS[-1]}"
  measure roost-reader "$ROOST_PORT" "${PIDS[-1]}" reader Shared.owner.f0000
  measure roost-owner "$ROOST_PORT" "${PIDS[-1]}" owner f0000
  stop_pid "${PIDS[-1]}"

  dovecot_conf "$WORK/dovecot" "$DOVECOT_PORT" "maildir:$WORK/dovecot-mail/%u" "$WORK/passwd"
  mkdir -p "$WORK/dovecot/pvt"
  chown 65534:65534 "$WORK/dovecot/pvt"
  dovecot_shared_namespace "$WORK/dovecot/dovecot.conf" \
    "maildir:$WORK/dovecot-mail/%%u:INDEXPVT=$WORK/dovecot/pvt/%u/%%u"
  dovecot -F -c "$WORK/dovecot/dovecot.conf" > "$WORK/dovecot.out" 2>&1 &
  PIDS+=($!)
  wait_port "$DOVECOT_PORT" "${PIDS[-1]}"
  measure dovecot-reader "$DOVECOT_PORT" "${PIDS[-1]}" reader Shared.owner.f0000
  measure dovecot-owner "$DOVECOT_PORT" "${PIDS[-1]}" owner f0000
}

measure_both > "$OUT/results.tsv"
cat "$OUT/results.tsv" >&2

{
  echo "$MESSAGES messages; $RUNS runs per command on one connection (STATUS from a second one); first / median of" \
    "runs 2..$RUNS in ms; commit $(git rev-parse --short HEAD); load average before: $LOAD"
  echo
  echo "| who | messages | UNSEEN after | STORE 1:* +\\Seen | FETCH 1:* FLAGS | SEARCH UNSEEN | STATUS UNSEEN | STORE 1 -\\Seen | server CPU ms |"
  echo "|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s / %s | %s / %s | %s / %s | %s / %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 }' "$OUT/results.tsv"
} > "$OUT/summary.md"
cat "$OUT/summary.md"
