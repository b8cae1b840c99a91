#!/usr/bin/env bash
# Full-text search: Roost with its index current against Dovecot 2.3 without an FTS plugin (it scans),
# over copies of one generated Maildir (bench/FtsMaildirGenerator.java: Zipf-distributed words).
#
#   flock /tmp/bench.lock bench/run-fts-vs-dovecot.sh
#
# Measures: `roost index --fts` on the whole mailbox (messages per second of wall and of CPU time; index bytes
# per message; the load average), then
# SEARCH TEXT "word", SEARCH BODY "two words", SEARCH SUBJECT "partial", SEARCH FROM "name" on each server
# (the first run and the median of the others; page cache warm from generating and indexing).
# Results: $OUT/results.tsv and $OUT/summary.md.
#
# Environment (defaults in brackets): MESSAGES [100000]  RUNS [3]  OUT [bench/out/fts-DATE]  KEEP [0]
#   ROOST_JAVA_OPTS: passed to bin/roost
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

MESSAGES="${MESSAGES:-100000}"
RUNS="${RUNS:-3}"
OUT="${OUT:-$here/bench/out/fts-$(date -u +%Y%m%dT%H%M%SZ)}"
KEEP="${KEEP:-0}"
ROOST_PORT=49143
DOVECOT_PORT=49243
PIDS=()

log() { printf '[fts-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
JAVA="$(pick_java)"

cleanup() {
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}

if ! command -v dovecot >/dev/null || ! [ -x /usr/lib/dovecot/imap ]; then
  log "installing dovecot-imapd"
  DEBIAN_FRONTEND=noninteractive apt-get install -y dovecot-imapd >/dev/null
fi
[ -f target/roost.jar ] || { log "building Roost"; mvn -B -q -DskipTests package; }
port_free "$ROOST_PORT"
port_free "$DOVECOT_PORT"

WORK="$(mktemp -d /tmp/roost-fts-bench.XXXXXX)"
chmod 755 "$WORK"
trap cleanup EXIT
# A private copy of the build: a rebuild in the worktree meanwhile cannot change the server being measured.
mkdir -p "$WORK/app/bin" "$WORK/app/target"
cp bin/roost "$WORK/app/bin/"
cp -r target/roost.jar target/lib "$WORK/app/target/"
ROOST="$WORK/app/bin/roost"
mkdir -p "$OUT"
echo "big:{PLAIN}bench::::::" > "$WORK/passwd"
chmod 644 "$WORK/passwd"

log "generating $MESSAGES messages"
"$JAVA" bench/FtsMaildirGenerator.java "$WORK/mail/big" "$MESSAGES" > "$WORK/queries.tsv"
cp -al "$WORK/mail" "$WORK/dovecot-mail"  # hard links: Maildir writers rename, never change a file in place
chown -R 65534:65534 "$WORK/dovecot-mail"

roost_conf "$WORK/roost" "$ROOST_PORT" "maildir:$WORK/mail/%u" "$WORK/passwd"
log "roost index big (the mailbox index), then roost index --fts big (timed)"
"$ROOST" index --config "$WORK/roost/roost.yaml" big >/dev/null
start=$(date +%s.%N)
TIMEFORMAT='%U %S'  # the indexer's CPU time: on a shared machine the wall time measures the neighbours too
{ time "$ROOST" index --config "$WORK/roost/roost.yaml" --fts big > "$WORK/fts-index.txt" 2>&1; } 2> "$WORK/fts-index.cpu"
end=$(date +%s.%N)
cat "$WORK/fts-index.txt" >&2
index_bytes=$(du -sb "$WORK/roost/data/fts/big" | cut -f1)
seconds=$(echo "$end - $start" | bc -l)
cpu=$(awk '{print $1 + $2}' "$WORK/fts-index.cpu")
printf 'indexing\t%d messages\t%.1f s\t%.0f messages/s\t%.1f CPU s\t%.0f messages/CPU s\t%.0f index bytes/message\tload %s\n' \
  "$MESSAGES" "$seconds" "$(echo "$MESSAGES / $seconds" | bc -l)" "$cpu" "$(echo "$MESSAGES / $cpu" | bc -l)" \
  "$(echo "$index_bytes / $MESSAGES" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/indexing.tsv" >&2

"$ROOST" serve --config "$WORK/roost/roost.yaml" > "$WORK/roost.log" 2>&1 &
PIDS+=($!)
wait_port "$ROOST_PORT" "${PIDS[-1]}"
dovecot_conf "$WORK/dovecot" "$DOVECOT_PORT" "maildir:$WORK/dovecot-mail/%u" "$WORK/passwd"
dovecot -F -c "$WORK/dovecot/dovecot.conf" > "$WORK/dovecot.out" 2>&1 &
PIDS+=($!)
wait_port "$DOVECOT_PORT" "${PIDS[-1]}"

: > "$OUT/results.tsv"
for server in roost:$ROOST_PORT dovecot:$DOVECOT_PORT; do
  log "searching ${server%%:*}"
  python3 bench/fts_search.py 127.0.0.1 "${server##*:}" big bench "$RUNS" "$WORK/queries.tsv" "${server%%:*}" \
    | tee -a "$OUT/results.tsv" >&2
done

{
  echo "| command | found | Roost first / median ms | Dovecot first / median ms | ratio (medians) |"
  echo "|---|---|---|---|---|"
  awk -F'\t' '$1 == "roost" { found[$2] = $3; rf[$2] = $4; rm[$2] = $5; order[++n] = $2 }
              $1 == "dovecot" { df[$2] = $4; dm[$2] = $5; dfound[$2] = $3 }
              END { for (i = 1; i <= n; i++) { c = order[i]
                      printf "| `%s` | %s%s | %s / %s | %s / %s | %.4f |\n", c, found[c],
                        (found[c] == dfound[c] ? "" : " (Dovecot: " dfound[c] ")"), rf[c], rm[c], df[c], dm[c],
                        (dm[c] > 0 ? rm[c] / dm[c] : 0) } }' "$OUT/results.tsv"
  echo
  cat "$OUT/indexing.tsv"
} > "$OUT/summary.md"
cat "$OUT/summary.md"
