#!/usr/bin/env bash
# SEARCH timings of several Roost builds, one after the other, over one full-text data set kept by
# `KEEP=1 bench/run-fts-vs-dovecot.sh` (its directory holds roost/roost.yaml, the mail, the index and
# queries.tsv): an A/B of search code without indexing again.
#
#   flock /tmp/bench.lock env DATA=/tmp/roost-fts-bench.XXXXXX bench/fts-search-ab.sh APP_DIR...
#
# APP_DIR: a copy of a build (bin/roost, target/roost.jar, target/lib). Each build serves the data set on its
# own; after one search of each query (the mailbox and the index opened, the first catch-up compared) and
# once the server is quiet, each query is asked RUNS times: the first run and the median of the others, and
# the server's CPU seconds over all of them. Environment: DATA, RUNS [5], PORT [49153], JFR=1 (a profile
# per build beside its log, APP_DIR.jfr).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${DATA:?DATA names a data set kept by run-fts-vs-dovecot.sh}"
RUNS="${RUNS:-5}"
PORT="${PORT:-49153}"
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; true' EXIT  # never leave a server running
for app in "$@"; do
  config="$(mktemp /tmp/fts-search-ab.XXXXXX.yaml)"
  sed -E "s/^(  imap: \{address: 127.0.0.1, port: )[0-9]+/\1$PORT/" "$DATA/roost/roost.yaml" > "$config"
  opts=""
  if [ "${JFR:-0}" = 1 ]; then opts="-XX:StartFlightRecording=filename=$app.jfr,settings=profile"; fi
  # without the descriptors this script inherited (flock's hold on /tmp/bench.lock among them)
  ROOST_AOT=off ROOST_JAVA_OPTS="$opts" python3 -c 'import os, sys; os.closerange(3, 65536); os.execvp(sys.argv[1], sys.argv[1:])' \
    "$app/bin/roost" serve --config "$config" > "$app.serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.5; done
  python3 "$here/bench/fts_search.py" 127.0.0.1 "$PORT" big bench 1 "$DATA/queries.tsv" warm > /dev/null
  for _ in $(seq 60); do  # quiet: under 5 % of a core for 2 s
    before=$(cpu_ticks "$pid"); sleep 2
    [ $(( $(cpu_ticks "$pid") - before )) -lt $(( ticks / 10 )) ] && break
  done
  echo "build $app, load $(cut -d' ' -f1-3 /proc/loadavg)"
  start=$(cpu_ticks "$pid")
  python3 "$here/bench/fts_search.py" 127.0.0.1 "$PORT" big bench "$RUNS" "$DATA/queries.tsv" "$(basename "$app")"
  echo "server CPU over the timed searches: $(echo "($(cpu_ticks "$pid") - $start) / $ticks" | bc -l | cut -c1-6) s," \
    "load $(cut -d' ' -f1-3 /proc/loadavg)"
  kill "$pid"; wait "$pid" || true
  pid=""
  rm -f "$config"
done
