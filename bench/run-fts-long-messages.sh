#!/usr/bin/env bash
# What fts.positionedChars trades: a mailbox of long messages (MESSAGES of SIZE bytes of Zipf-distributed
# words, as people write them), indexed with positions for the first 16k characters only (Roost's default) and
# with positions everywhere (fts.positionedChars at its maximum: the layout before the key), then the same text
# searches on each, and on Dovecot without an FTS plugin (it scans). Past the positioned part a message whose
# text holds every trigram of a needle is read by the search: common trigrams make most long messages such
# candidates.
#
#   flock /tmp/bench.lock bench/run-fts-long-messages.sh
#
# Figures: `roost index --fts` CPU seconds per message and index bytes per message for each layout; SEARCH
# milliseconds (first run / median of the others) and messages found, per server. Environment: MESSAGES [300]
# SIZE [102400] RUNS [5]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
MESSAGES="${MESSAGES:-300}"
SIZE="${SIZE:-102400}"
RUNS="${RUNS:-5}"
PORT=49163
DOVECOT_PORT=49263
log() { printf '[fts-long %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
WORK="$(mktemp -d /tmp/roost-fts-long.XXXXXX)"
chmod 755 "$WORK"
pid=""
cleanup() { [ -n "$pid" ] && stop_pid "$pid"; rm -rf "$WORK"; }
trap cleanup EXIT
# Servers run as "${DETACHED[@]}" (common.sh): without the bench lock's descriptor.

python3 - "$WORK/mail/big" "$MESSAGES" "$SIZE" > "$WORK/queries.tsv" <<'EOF'
import os, random, sys
root, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(7)
syllables = ["ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "va", "ze", "qua", "dor", "fel", "gin", "hum", "vin"]
words = sorted({"".join(rnd.choice(syllables) for _ in range(rnd.randint(2, 4))) for _ in range(6000)})[:4000]
rnd.shuffle(words)
weights = [1.0 / (rank + 1) for rank in range(len(words))]
for sub in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(root, sub), exist_ok=True)
for i in range(count):
    lines, line, length = [], [], 0
    while length < size:
        for w in rnd.choices(words, weights, k=12):
            line.append(w)
        text = " ".join(line)
        lines.append(text)
        length += len(text) + 2
        line = []
    if i == count // 2:
        lines[-3] += " zyxwvut"  # one word in one message, past its first 16k characters
    body = "\r\n".join(lines)
    message = ("From: Writer %d <w%d@example.org>\r\nTo: big@example.org\r\nSubject: notes %d\r\n"
               "Message-ID: <%d@long.example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n%s\r\n"
               % (i, i, i, i, body))
    with open(os.path.join(root, "cur", "%d.M%dP1.long,S=%d:2,S" % (1600000000 + i, i, len(message))), "w") as f:
        f.write(message)
print("TEXT\tzyxwvut")         # in one message
print("TEXT\t%s" % words[3000])  # a rare word
print("BODY\t%s %s" % (words[10], words[11]))  # two common words together
print("TEXT\tqqqqq")           # in none: a trigram no text has
EOF
cp -al "$WORK/mail" "$WORK/dovecot-mail"
chown -R 65534:65534 "$WORK/dovecot-mail"
echo "big:{PLAIN}bench::::::" > "$WORK/passwd"
chmod 644 "$WORK/passwd"
log "$MESSAGES messages of $SIZE bytes, load $(cut -d' ' -f1-3 /proc/loadavg)"

for layout in positioned:16384 everywhere:67108864; do
  name="${layout%%:*}"
  port_free "$PORT"
  roost_conf "$WORK/$name" "$PORT" "maildir:$WORK/mail/%u" "$WORK/passwd"
  printf 'fts: {positionedChars: %s}\n' "${layout##*:}" >> "$WORK/$name/roost.yaml"
  bin/roost index --config "$WORK/$name/roost.yaml" big > /dev/null
  TIMEFORMAT='%U %S'
  { time bin/roost index --config "$WORK/$name/roost.yaml" --fts big > /dev/null 2>&1; } 2> "$WORK/$name.cpu"
  bytes=$(du -sb "$WORK/$name/data/fts/big" | cut -f1)
  printf 'indexing\t%s\t%.2f CPU ms/message\t%.0f index bytes/message\tload %s\n' "$name" \
    "$(awk -v n="$MESSAGES" '{print ($1 + $2) * 1000 / n}' "$WORK/$name.cpu")" "$(echo "$bytes / $MESSAGES" | bc -l)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  ROOST_AOT=off "${DETACHED[@]}" bin/roost serve --config "$WORK/$name/roost.yaml" > "$WORK/$name.log" 2>&1 &
  pid=$!
  wait_port "$PORT" "$pid"
  python3 bench/fts_search.py 127.0.0.1 "$PORT" big bench 1 "$WORK/queries.tsv" warm > /dev/null
  python3 bench/fts_search.py 127.0.0.1 "$PORT" big bench "$RUNS" "$WORK/queries.tsv" "roost-$name"
  stop_pid "$pid"
  pid=""
done
dovecot_conf "$WORK/dovecot" "$DOVECOT_PORT" "maildir:$WORK/dovecot-mail/%u" "$WORK/passwd"
port_free "$DOVECOT_PORT"
"${DETACHED[@]}" dovecot -F -c "$WORK/dovecot/dovecot.conf" > "$WORK/dovecot.out" 2>&1 &
pid=$!
wait_port "$DOVECOT_PORT" "$pid"
python3 bench/fts_search.py 127.0.0.1 "$DOVECOT_PORT" big bench 1 "$WORK/queries.tsv" warm > /dev/null
python3 bench/fts_search.py 127.0.0.1 "$DOVECOT_PORT" big bench "$RUNS" "$WORK/queries.tsv" dovecot
log "done, load $(cut -d' ' -f1-3 /proc/loadavg)"
