#!/usr/bin/env bash
# Where the full-text index's CPU goes when new mail is indexed at delivery and when it is left for the first SEARCH
# that needs it (fts.deferredMessagesPerUser): for each mode, N messages delivered by LMTP to one user of their own
# (smtp-source, one session, fsync on), then that user's first SEARCH BODY of a word no message holds (so every
# message not indexed is read), then a second one. Figures per run: the server's CPU for the deliveries (counted
# until it is quiet, so indexing at delivery counts), the first SEARCH's latency and CPU (until its answer), the CPU
# after it until the server is quiet again (the indexer catching the mailbox up), and the second SEARCH's latency.
#
#   flock /tmp/bench.lock bench/run-fts-first-search.sh
#
# Environment (defaults in brackets): MODES ["0 1000"] values of fts.deferredMessagesPerUser (0: at delivery)
#   COUNTS [100,1000] messages delivered before the search  SIZES [4096,102400] bytes of payload (smtp-source -l)
#   ROUNDS [1]  OUT [bench/out/fts-first-search-DATE]  KEEP [0]  ROOST_JAVA_OPTS: passed to bin/roost
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
log() { printf '[fts-first-search %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source bench/common.sh

MODES="${MODES:-0 1000}"
COUNTS="${COUNTS:-100,1000}"
SIZES="${SIZES:-4096,102400}"
ROUNDS="${ROUNDS:-1}"
OUT="${OUT:-$here/bench/out/fts-first-search-$(date -u +%Y%m%dT%H%M%SZ)}"
IMAP_PORT=44143
LMTP_PORT=44024
PIDS=()

command -v smtp-source >/dev/null || { log "needs smtp-source (Debian's postfix)"; exit 2; }
[ -f target/roost.jar ] || { log "build Roost first"; exit 2; }
port_free "$IMAP_PORT"
port_free "$LMTP_PORT"
WORK="$(mktemp -d /tmp/ftslazy-first-search.XXXXXX)"
trap stop_side_by_side EXIT INT TERM
mkdir -p "$WORK/app/bin" "$WORK/app/target" "$OUT"
cp bin/roost "$WORK/app/bin/"
cp -r target/roost.jar target/lib "$WORK/app/target/"
for mode in $MODES; do
  echo "warm$mode:{PLAIN}bench::::::"
  for r in $(seq 1 "$ROUNDS"); do
    for n in ${COUNTS//,/ }; do for size in ${SIZES//,/ }; do echo "m$mode-r$r-n$n-s$size:{PLAIN}bench::::::"; done; done
  done
done > "$WORK/passwd"

# The server without this script's descriptors (the bench lock's among them), stopped by the trap.
start_roost() {  # $1 fts.deferredMessagesPerUser
  cat > "$WORK/roost-$1.yaml" <<EOF
data: $WORK/data-$1
listeners:
  imap: {address: 127.0.0.1, port: $IMAP_PORT, enabled: true}
  imaps: {enabled: false}
  lmtp: {address: 127.0.0.1, port: $LMTP_PORT, enabled: true}
admin: {enabled: false}
auth: {passwdFile: $WORK/passwd}
mail: {location: "maildir:$WORK/mail-$1/%u", fsync: true}
fts: {deferredMessagesPerUser: $1}
EOF
  ROOST_AOT=off setsid python3 -c 'import os, sys; os.closerange(3, 65536); os.execvp(sys.argv[1], sys.argv[1:])' \
    "$WORK/app/bin/roost" serve --config "$WORK/roost-$1.yaml" > "$WORK/roost-$1.log" 2>&1 &
  PIDS=("$!")
  wait_port "$IMAP_PORT" "${PIDS[0]}"
}

printf 'deferred\tmessages\tsize\tround\tdeliver_cpu_ms_per_msg\tfirst_search_ms\tfirst_search_cpu_ms\tafter_search_cpu_ms\tsecond_search_ms\n' \
  > "$OUT/results.tsv"
for mode in $MODES; do
  start_roost "$mode"
  python3 bench/fts_first_search.py --pid "${PIDS[0]}" --imap "$IMAP_PORT" --lmtp "$LMTP_PORT" --user "warm$mode" \
    --messages 300 --size 20000 --label "warm-up" > /dev/null
  for r in $(seq 1 "$ROUNDS"); do
    for n in ${COUNTS//,/ }; do
      for size in ${SIZES//,/ }; do
        python3 bench/fts_first_search.py --pid "${PIDS[0]}" --imap "$IMAP_PORT" --lmtp "$LMTP_PORT" \
          --user "m$mode-r$r-n$n-s$size" --messages "$n" --size "$size" --label "$mode	$n	$size	$r" \
          | tee -a "$OUT/results.tsv"
      done
    done
  done
  stop_pid "${PIDS[0]}"
  PIDS=()
done
{ echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"; echo "commit: $(git rev-parse --short HEAD)"; } | tee "$OUT/machine.txt"
