#!/usr/bin/env bash
# Whether a first SORT fits in the heap a mailbox holds idle plus a margin (issue 15: "heap during a 1M SORT <= 64 MB
# above idle"). Over a data set bench/run.sh made (indexed by a first SELECT here if it is not yet): the server (bin/roost as shipped, -Xmx512m) is started,
# the mailbox selected and its index records read (UID FETCH 1:* (UID FLAGS), no message read), and the heap in use
# after a full GC taken: the idle live set. Then what Roost parsed of the messages is forgotten (roost.index.sort, the
# structure cache), the page cache dropped, and the server started again with -Xmx set to that idle live set plus
# MARGIN_MB (default 64), its collections logged; the first SORT must answer OK, and the log gives the heap after
# each collection (live data and the young survivors of the moment) during it.
#   bench/sort-first-heap.sh DIR [MARGIN_MB] [COMMAND]      COMMAND default "UID SORT (DATE) UTF-8 ALL"
#   bench/sort-first-heap.sh DIR index                      only the index build (a lock hold of its own for 1M)
# Root only (drop_caches); under the bench lock: flock -o /tmp/bench.lock bench/sort-first-heap.sh DIR
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
margin=${2:-64}
command=${3:-UID SORT (DATE) UTF-8 ALL}
java=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java /usr/lib/jvm/*21*/bin/java 2>/dev/null | head -1)}
port=$(sed -n 's/.*imap: {address: 127.0.0.1, port: \([0-9]*\).*/\1/p' "$dir/roost.yaml")
app="$dir/app-heap"
rm -rf "$app" && mkdir -p "$app/target" "$app/bin"
cp -rp "$here/target/roost.jar" "$here/target/lib" "$app/target/" && cp -p "$here/bin/roost" "$app/bin/"
pid=
trap '[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }' EXIT
# start HEAP_OPTIONS: bin/roost (its serial collector and 32 MB young generation) with these options; no
# ahead-of-time cache, which would be recorded again for every other -Xmx
start() {
  JAVA_HOME="$(dirname "$(dirname "$java")")" ROOST_AOT=off ROOST_FTS_ENABLED=false ROOST_JAVA_OPTS="$1" \
    "$app/bin/roost" serve --config "$dir/roost.yaml" > "$dir/server-heap.log" 2>&1 9>&- &
  pid=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do kill -0 "$pid" || exit 1; sleep 0.2; done
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
if [ ! -f "$dir/mail/bench/roost.index" ]; then # never indexed: the first SELECT builds the index, in a start of its own
  start -Xmx512m
  python3 "$here/bench/sort_first_heap.py" "$port" "$pid" > /dev/null
  stop
fi
[ "$margin" != index ] || exit 0
rm -f "$dir/mail/bench/roost.index.sort" "$dir/mail/bench/roost.index.cache" "$dir/mail/bench/roost.index.cache.map"
start -Xmx512m
idle=$(python3 "$here/bench/sort_first_heap.py" "$port" "$pid" | tee /dev/stderr | sed -n 's/^idle heap in use after a full GC: \([0-9.]*\) MB/\1/p')
stop
xmx=$(awk -v idle="$idle" -v margin="$margin" 'BEGIN { printf "%d", idle + margin + 0.999 }')
echo "== -Xmx${xmx}m: the idle live set (${idle} MB) + ${margin} MB"
rm -f "$dir/mail/bench/roost.index.sort" "$dir/mail/bench/roost.index.cache" "$dir/mail/bench/roost.index.cache.map"
sync; echo 3 > /proc/sys/vm/drop_caches
start "-Xmx${xmx}m -Xlog:gc:file=$dir/gc-heap.log"
python3 "$here/bench/sort_first_heap.py" "$port" "$pid" "$command"
kill -0 "$pid" && echo "server still up" || echo "server gone"
stop
if grep -q OutOfMemoryError "$dir/server-heap.log"; then echo "OutOfMemoryError in the server log"; else echo "no OutOfMemoryError"; fi
# the heap after each collection of the run, the greatest: what was live then (and the young survivors)
awk -v idle="$idle" '/->/ { match($0, /->[0-9]+M/); after = substr($0, RSTART + 2, RLENGTH - 3) + 0; n++
    if (after > most) most = after }
  END { printf "collections: %d; heap after a collection, greatest: %d MB (%.1f MB above idle)\n", n, most, most - idle }' \
  "$dir/gc-heap.log"
