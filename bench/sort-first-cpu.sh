#!/usr/bin/env bash
# Where a first SORT's CPU goes, by thread group (issue 15): over a data set bench/run.sh made and indexed, what Roost
# parsed of the messages is forgotten (roost.index.sort, the structure cache), the page cache dropped, the server
# started (bin/roost, its ahead-of-time cache recorded first on a SELECT alone, as bench/run.sh does), then
# bench/sort_first_cpu.py times the command with each thread group's CPU time.
#   bench/sort-first-cpu.sh DIR [COMMAND]      COMMAND default "UID SORT (DATE) UTF-8 ALL"
#   ROOST_INDEX_FILELOOKUPTHREADS=N            another index.fileLookupThreads
#   ROOST_BENCH_JFR=FILE                       a flight recording (settings=profile) into FILE, without the cache
# Root only (drop_caches); under the bench lock: flock -o /tmp/bench.lock bench/sort-first-cpu.sh DIR
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
command=${2:-UID SORT (DATE) UTF-8 ALL}
java=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java /usr/lib/jvm/*21*/bin/java 2>/dev/null | head -1)}
port=$(sed -n 's/.*imap: {address: 127.0.0.1, port: \([0-9]*\).*/\1/p' "$dir/roost.yaml")
app="$dir/app-cpu"
rm -rf "$app" && mkdir -p "$app/target" "$app/bin"
cp -rp "$here/target/roost.jar" "$here/target/lib" "$app/target/" && cp -p "$here/bin/roost" "$app/bin/"
jfr=${ROOST_BENCH_JFR:+-XX:StartFlightRecording=filename=$ROOST_BENCH_JFR,settings=profile}
aot=on; [ -z "$jfr" ] || aot=off
pid=
trap '[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }' EXIT
start() {
  JAVA_HOME="$(dirname "$(dirname "$java")")" ROOST_AOT=$aot ROOST_AOT_CACHE="$app/roost.aot" ROOST_FTS_ENABLED=false \
    ROOST_JAVA_OPTS="-Xmx512m $jfr" "$app/bin/roost" serve --config "$dir/roost.yaml" > "$dir/server-cpu.log" 2>&1 9>&- &
  pid=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do kill -0 "$pid" || exit 1; sleep 0.2; done
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
if [ $aot = on ]; then
  start; python3 "$here/bench/sort_first_cpu.py" "$port" "$pid" "NOOP" > /dev/null; stop
  sleep 2; flock "$app/roost.aot.lock" true
fi
rm -f "$dir/mail/bench/roost.index.sort" "$dir/mail/bench/roost.index.cache" "$dir/mail/bench/roost.index.cache.map"
sync; echo 3 > /proc/sys/vm/drop_caches
start
python3 "$here/bench/sort_first_cpu.py" "$port" "$pid" "$command"
stop
