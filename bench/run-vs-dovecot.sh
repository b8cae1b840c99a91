#!/usr/bin/env bash
# Roost vs Dovecot, side by side on this machine, with the same users and a copy of the same Maildir.
#
#   bench/run-vs-dovecot.sh [SCENARIO...]     SCENARIO: mixed append idle throughput startup large-mailbox
#                                             (default: all but append)
#
# Starts a private Roost and two private Dovecot instances (stock, tuned) on loopback ports, each
# with its own state under one temporary directory, runs the identical load against each in turn
# (A B C A B C ... for ROUNDS rounds), stops what it started, and prints every figure with the
# ratios Roost/Dovecot. Results: $OUT/*.json, $OUT/summary.md, $OUT/loadavg.txt.
#
# Environment (defaults in brackets):
#   ROUNDS [2]  DURATION [20s]  CLIENTS [10,50,200]  USERS [200]  MESSAGES [200]
#   IDLE_CONNECTIONS [1000,10000]  IDLE_STOCK_MAX [1000] (stock Dovecot forks one process per connection)
#   IDLE_MODES [plain]: plain and/or tls (IMAPS), comma-separated
#   LARGE_IDLERS [0]: sessions in IDLE beside the large-mailbox runs (its memory row then counts them)
#   THROUGHPUT_CLIENTS [4]  BIG_MESSAGES [100000]  STARTUP_RUNS [3]
#   VARIANTS ["roost dovecot-stock dovecot-tuned"]  OUT [bench/out/DATE]  KEEP [0]: keep the temp dir
#               roost-nofts: a second Roost with fts.enabled false (the full-text indexer's share of the CPU)
#               roost-at-delivery: a second Roost with fts.deferredMessagesPerUser 0 (new mail indexed at once)
#   append: the mixed load's clients doing APPENDs only (APPEND's CPU per command), after the mixed warm-up
#   ROOST_JAVA_OPTS: JVM options for Roost (passed through bin/roost)
#   QUIET_MAX [300]: seconds a server may take after the mixed warm-up to finish its background work
#   WARMUP [10s]: the mixed warm-up's duration (Roost's JIT compiler still works during the first
#                 measurement after a short one, and its CPU counts)
#   ROOST_AOT [on]: as bin/roost. On (JDK 25+), a training run first records bin/roost's ahead-of-time cache
#               (TRAIN [10s] of the mixed load at 10 clients on a copy of 10 users' mail, then a graceful stop), its
#               assembly is waited for, and every measured Roost starts with the cache, as a shipped server's
#               later starts do; off: no cache. Roost runs from a private copy of bin/roost and target/ in the work
#               directory (a rebuild meanwhile changes nothing), and every server without this script's descriptors
#               (the bench lock's among them).
#   STRACE [0]: 1 counts the syscalls of the server's whole process tree during each mixed or append measurement
#               ($OUT/strace-{mixed,append}-*.txt; slows the server, so not for the figures that count)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

ROUNDS="${ROUNDS:-2}"
DURATION="${DURATION:-20s}"
CLIENTS="${CLIENTS:-10,50,200}"
USERS="${USERS:-200}"
MESSAGES="${MESSAGES:-200}"
IDLE_CONNECTIONS="${IDLE_CONNECTIONS:-1000,10000}"
IDLE_STOCK_MAX="${IDLE_STOCK_MAX:-1000}"
IDLE_MODES="${IDLE_MODES:-plain}"
LARGE_IDLERS="${LARGE_IDLERS:-0}"
THROUGHPUT_CLIENTS="${THROUGHPUT_CLIENTS:-4}"
BIG_MESSAGES="${BIG_MESSAGES:-100000}"
STARTUP_RUNS="${STARTUP_RUNS:-3}"
VARIANTS="${VARIANTS:-roost dovecot-stock dovecot-tuned}"
OUT="${OUT:-$here/bench/out/$(date -u +%Y%m%dT%H%M%SZ)}"
KEEP="${KEEP:-0}"
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -eq 0 ] && SCENARIOS=(mixed idle throughput startup large-mailbox)

# Ports: Roost 41xxx, stock Dovecot 42xxx, tuned Dovecot 43xxx, startup runs 44xxx/45xxx.
# roost-nofts 46xxx, roost-at-delivery 48xxx.
declare -A IMAP_PORT=([roost]=41143 [dovecot-stock]=42143 [dovecot-tuned]=43143 [roost-nofts]=46143
                      [roost-at-delivery]=48143)
declare -A IMAPS_PORT=([roost]=41993 [dovecot-stock]=42993 [dovecot-tuned]=43993 [roost-nofts]=46993
                       [roost-at-delivery]=48993)
# The fts settings of the second Roosts (the first runs as shipped).
declare -A FTS=([roost]="enabled: true" [roost-nofts]="enabled: false" [roost-at-delivery]="deferredMessagesPerUser: 0")
declare -A PID=()

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
JAVA="$(pick_java)"

ensure_dovecot() {
  if ! command -v dovecot >/dev/null || ! [ -x /usr/lib/dovecot/imap ]; then
    log "installing dovecot-imapd dovecot-pop3d"
    DEBIAN_FRONTEND=noninteractive apt-get install -y dovecot-imapd dovecot-pop3d >/dev/null
  fi
  # The distribution's own instance is not ours to touch; ours runs beside it on other ports.
}

ensure_builds() {
  if [ ! -f target/roost.jar ]; then
    log "building Roost (mvn -B -q -DskipTests package)"
    mvn -B -q -DskipTests package
  fi
  if [ ! -f bench/target/roost-bench.jar ]; then
    log "building the benchmark jar (mvn install of Roost, then bench/)"
    mvn -B -q -DskipTests install
    mvn -B -q -f bench/pom.xml package
  fi
}

loadgen() { "$JAVA" -Xss512k -cp bench/target/roost-bench.jar org.roost.bench.LoadGenerator "$@"; }

prepare_work() {
  WORK="$(mktemp -d /tmp/roost-bench.XXXXXX)"
  chmod 755 "$WORK"
  mkdir -p "$OUT" "$WORK/tls" "$WORK/dovecot-home"
  log "work directory $WORK, results in $OUT"
  : > "$WORK/passwd"
  for i in $(seq 1 "$USERS"); do echo "bench$i:{PLAIN}bench::::::" >> "$WORK/passwd"; done
  echo "big:{PLAIN}bench::::::" >> "$WORK/passwd"
  echo "idle:{PLAIN}bench::::::" >> "$WORK/passwd"
  chmod 644 "$WORK/passwd"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
    -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" 2>/dev/null
  chmod 644 "$WORK/tls/key.pem"
  local big_args=()
  if [[ " ${SCENARIOS[*]} " == *" large-mailbox "* ]] && [ "$BIG_MESSAGES" -gt 0 ]; then
    big_args=(--big-user big --big-messages "$BIG_MESSAGES")
  fi
  log "populating $USERS users x $MESSAGES messages ${big_args[*]:-}"
  loadgen populate --root "$WORK/mail" --users "$USERS" --messages "$MESSAGES" "${big_args[@]}" >&2
  mkdir -p "$WORK/mail/idle/cur" "$WORK/mail/idle/new" "$WORK/mail/idle/tmp"
  cp -a "$WORK/mail" "$WORK/roost-mail"
  for v in roost-nofts roost-at-delivery; do
    if [[ " $VARIANTS " == *" $v "* ]]; then cp -a "$WORK/mail" "$WORK/$v-mail"; fi
  done
  mv "$WORK/mail" "$WORK/dovecot-mail"
  chown -R 65534:65534 "$WORK/dovecot-mail" "$WORK/dovecot-home"
}

roost_config() {  # $1 file, $2 imap port, $3 imaps port, $4 data dir, $5 fts settings [enabled: true]
  cat > "$1" <<EOF
data: $4
listeners:
  imap: {address: 127.0.0.1, port: $2}
  imaps: {address: 127.0.0.1, port: $3}
admin: {enabled: false}
tls: {certificate: $WORK/tls/cert.pem, key: $WORK/tls/key.pem}
auth: {passwdFile: $WORK/passwd, secureNetworks: [127.0.0.0/8]}
mail: {location: "maildir:$WORK/roost-mail/%u"}
limits: {maxConnections: 60000, maxConnectionsPerIp: 60000}
fts: {${5:-enabled: true}}
EOF
}

dovecot_config() {  # $1 variant (stock|tuned), $2 imap port, $3 imaps port, $4 file
  local dir="$WORK/dovecot-$1-$2"
  mkdir -p "$dir/run" "$dir/state"
  cat > "$4" <<EOF
# Private Dovecot for the Roost benchmarks ($1): loopback only, own base/state dirs.
base_dir = $dir/run
state_dir = $dir/state
instance_name = roostbench-$1-$2
listen = 127.0.0.1
protocols = imap pop3
log_path = $dir/dovecot.log
default_internal_user = dovecot
default_login_user = dovenull
ssl = yes
ssl_cert = <$WORK/tls/cert.pem
ssl_key = <$WORK/tls/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$WORK/dovecot-mail/%u
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN $WORK/passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$WORK/dovecot-home/%u
}
protocol imap {
  mail_max_userip_connections = 100000
}
protocol pop3 {
  mail_max_userip_connections = 100000
}
# Limits raised so the load fits at all; everything else is Dovecot's default.
default_process_limit = 15000
default_client_limit = 100000
default_vsz_limit = 1G
service imap-login {
  inet_listener imap {
    port = $2
  }
  inet_listener imaps {
    port = $3
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $(( $2 - 33 ))
  }
  inet_listener pop3s {
    port = $(( $3 + 2 ))
    ssl = yes
  }
}
service anvil {
  client_limit = 100000
}
EOF
  if [ "$1" = tuned ]; then
    cat >> "$4" <<'EOF'
# Tuned for throughput: long-lived processes serving many clients each, and imap-login in
# high-performance mode (https://doc.dovecot.org/2.3/admin_manual/login_processes/).
service imap-login {
  service_count = 0
  client_limit = 20000
  process_min_avail = 2
}
service pop3-login {
  service_count = 0
  client_limit = 20000
  process_min_avail = 2
}
service imap {
  service_count = 0
  client_limit = 1000
  process_limit = 100
}
service pop3 {
  service_count = 0
  client_limit = 1000
}
EOF
  fi
}



start_server() {  # $1 variant
  port_free "${IMAP_PORT[$1]}" && port_free "${IMAPS_PORT[$1]}" || exit 1
  case "$1" in
    roost)
      roost_config "$WORK/roost.yaml" "${IMAP_PORT[roost]}" "${IMAPS_PORT[roost]}" "$WORK/roost-data"
      "${DETACHED[@]}" "$WORK/app/bin/roost" serve --config "$WORK/roost.yaml" > "$WORK/roost.log" 2>&1 &
      PID[roost]=$!
      wait_port "${IMAP_PORT[roost]}" "${PID[roost]}" ;;
    roost-nofts|roost-at-delivery)  # its own copy of the mail, so both Roosts start from the same mailboxes
      roost_config "$WORK/$1.yaml" "${IMAP_PORT[$1]}" "${IMAPS_PORT[$1]}" "$WORK/$1-data" "${FTS[$1]}"
      sed -i "s|maildir:$WORK/roost-mail/|maildir:$WORK/$1-mail/|" "$WORK/$1.yaml"
      "${DETACHED[@]}" "$WORK/app/bin/roost" serve --config "$WORK/$1.yaml" > "$WORK/$1.log" 2>&1 &
      PID[$1]=$!
      wait_port "${IMAP_PORT[$1]}" "${PID[$1]}" ;;
    dovecot-stock|dovecot-tuned)
      local v="${1#dovecot-}"
      local conf="$WORK/dovecot-$v.conf"
      dovecot_config "$v" "${IMAP_PORT[$1]}" "${IMAPS_PORT[$1]}" "$conf"
      "${DETACHED[@]}" dovecot -F -c "$conf" > "$WORK/dovecot-$v.out" 2>&1 &
      PID[$1]=$!
      wait_port "${IMAP_PORT[$1]}" "${PID[$1]}" ;;
  esac
  log "started $1 (pid ${PID[$1]})"
}

stop_server() {  # $1 variant
  local pid="${PID[$1]:-}"
  [ -n "$pid" ] || return 0
  stop_pid "$pid"
  unset "PID[$1]"
  log "stopped $1"
}

# The private copy of Roost every measured Roost runs from; its AOT cache lives beside its jar.
copy_roost() {
  mkdir -p "$WORK/app/bin" "$WORK/app/target"
  cp -p bin/roost "$WORK/app/bin/"
  cp -rp target/roost.jar target/lib "$WORK/app/target/"
}

# A first `serve` of the copy records the AOT cache (bin/roost); the measured starts then use it.
train_aot() {
  local java_major
  java_major="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
  if [ "${ROOST_AOT:-on}" = off ] || [ "$java_major" -lt 25 ] || [[ " $VARIANTS " != *" roost"* ]]; then
    log "no AOT cache (ROOST_AOT=${ROOST_AOT:-on}, Java $java_major)"; return
  fi
  mkdir -p "$WORK/train-mail"
  for i in $(seq 1 10); do cp -a "$WORK/roost-mail/bench$i" "$WORK/train-mail/"; done
  roost_config "$WORK/roost-train.yaml" "${IMAP_PORT[roost]}" "${IMAPS_PORT[roost]}" "$WORK/roost-train-data"
  sed -i "s|maildir:$WORK/roost-mail/|maildir:$WORK/train-mail/|" "$WORK/roost-train.yaml"
  "${DETACHED[@]}" "$WORK/app/bin/roost" serve --config "$WORK/roost-train.yaml" > "$WORK/roost-train.log" 2>&1 &
  PID[roost]=$!
  wait_port "${IMAP_PORT[roost]}" "${PID[roost]}"
  log "training run (records the AOT cache): mixed, 10 clients, ${TRAIN:-10s}"
  loadgen mixed $(common_args roost) --clients 10 --users 10 --duration "${TRAIN:-10s}" --messages "$MESSAGES" > /dev/null
  stop_server roost
  local waited=0
  while [ ! -f "$WORK/app/target/roost.aot" ] && [ -f "$WORK/app/target/roost.aot.options" ] && [ "$waited" -lt 300 ]; do
    sleep 1; waited=$(( waited + 1 ))
  done
  if [ -f "$WORK/app/target/roost.aot" ]; then log "AOT cache assembled ${waited}s after the training run"
  else log "no AOT cache after ${waited}s: the measured Roosts run without"; fi
  rm -rf "$WORK/train-mail" "$WORK/roost-train-data"
}

cleanup() {
  for v in "${!PID[@]}"; do stop_server "$v"; done
  # tens of thousands of mail files take minutes to delete on a busy disk: not while holding the bench lock
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; elif [ -n "${WORK:-}" ]; then "${DETACHED[@]}" rm -rf "$WORK" & fi
}
trap cleanup EXIT INT TERM

common_args() {  # $1 variant
  local args=(--port "${IMAP_PORT[$1]}" --tls-port "${IMAPS_PORT[$1]}" --label "$1" --password bench
              --server-pid "${PID[$1]}")
  [[ "$1" == roost* ]] && args+=(--server-jvm)
  echo "${args[@]}"
}

# The server's process and its descendants (Dovecot's imap and imap-login processes), one per line.
process_tree() {  # $1 pid
  echo "$1"
  local child
  for child in $(pgrep -P "$1"); do process_tree "$child"; done
}

# Runs the command; with STRACE=1, strace -c counts the syscalls of variant $1's process tree meanwhile.
maybe_strace() {  # $1 variant, $2 output file, then the command
  local variant="$1" file="$2"
  shift 2
  if [ "${STRACE:-0}" != 1 ]; then "$@"; return; fi
  local attach=()
  for p in $(process_tree "${PID[$variant]}"); do attach+=(-p "$p"); done
  strace -c -f -o "$file" "${attach[@]}" 2>/dev/null &
  local tracer=$!
  sleep 1  # strace attaches before the load begins
  "$@"
  kill -INT "$tracer"
  wait "$tracer" || true
}

# CPU seconds x 100 (clock ticks) the process tree of variant $1 has used.
tree_ticks() {
  local total=0 p
  for p in $(process_tree "${PID[$1]}"); do
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

# Waits (at most QUIET_MAX seconds) until the server of variant $1 works less than 5% of a core: what the
# warm-up left it to do in the background (Roost's full-text index of the mailboxes touched) is done
# before the measurements, as Dovecot's index files are.
wait_quiet() {  # $1 variant
  local before after waited=0
  before="$(tree_ticks "$1")"
  while [ "$waited" -lt "${QUIET_MAX:-300}" ]; do
    sleep 2
    waited=$(( waited + 2 ))
    after="$(tree_ticks "$1")"
    [ $(( after - before )) -lt 10 ] && break
    before="$after"
  done
  log "$1 quiet after ${waited}s"
}

# Runs the command; for a Roost variant, appends "LABEL jit gc other" (CPU ticks during the command) to $OUT/threads.txt.
with_thread_groups() {  # $1 variant, $2 label, then the command
  local variant="$1" label="$2" before after
  shift 2
  [[ "$variant" == roost* ]] || { "$@"; return; }
  before="$(thread_group_ticks "${PID[$variant]}")"
  "$@"
  after="$(thread_group_ticks "${PID[$variant]}")"
  paste -d' ' <(tr ' ' '\n' <<< "$after") <(tr ' ' '\n' <<< "$before") | awk -v l="$label" \
    '{ d[NR] = $1 - $2 } END { printf "%s jit %d gc %d other %d\n", l, d[1], d[2], d[3] }' >> "$OUT/threads.txt"
}

record_load() { echo "$(date -u +%H:%M:%S) $1 $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/loadavg.txt"; }

run_mixed() {
  local most
  most="$(tr ',' '\n' <<< "$CLIENTS" | sort -n | tail -n1)"
  for v in $VARIANTS; do  # warm-up of every mailbox, not recorded: JIT for Roost, index files for Dovecot
    loadgen mixed $(common_args "$v") --clients "$most" --duration "${WARMUP:-10s}" --users "$USERS" \
      --messages "$MESSAGES" > /dev/null
    wait_quiet "$v"
  done
  for r in $(seq 1 "$ROUNDS"); do
    for n in ${CLIENTS//,/ }; do
      for v in $VARIANTS; do
        record_load "mixed-$n-$v-r$r"
        with_thread_groups "$v" "mixed-$n-$v-r$r" maybe_strace "$v" "$OUT/strace-mixed-$n-$v-r$r.txt" \
          loadgen mixed $(common_args "$v") --clients "$n" --duration "$DURATION" --users "$USERS" \
          --messages "$MESSAGES" --out "$OUT/mixed-$n-$v-r$r.json"
      done
    done
  done
}

# APPENDs only, every other operation of the mix weighed 0; --messages far above the mailboxes' size keeps
# the clients from turning APPENDs into EXPUNGEs as their mailboxes grow.
APPEND_ONLY="append=1,fetchNew=0,noop=0,fetchBody=0,store=0,search=0,idle=0,copy=0,move=0,expunge=0,fetchFlags=0"
APPEND_ONLY+=",examine=0,relogin=0"
run_append() {
  local most
  most="$(tr ',' '\n' <<< "$CLIENTS" | sort -n | tail -n1)"
  if [[ " ${SCENARIOS[*]} " != *" mixed "* ]]; then
    for v in $VARIANTS; do  # the warm-up run_mixed would have done
      loadgen mixed $(common_args "$v") --clients "$most" --duration "${WARMUP:-10s}" --users "$USERS" \
        --messages "$MESSAGES" > /dev/null
      wait_quiet "$v"
    done
  fi
  for r in $(seq 1 "$ROUNDS"); do
    for n in ${CLIENTS//,/ }; do
      for v in $VARIANTS; do
        record_load "append-$n-$v-r$r"
        with_thread_groups "$v" "append-$n-$v-r$r" maybe_strace "$v" "$OUT/strace-append-$n-$v-r$r.txt" \
          loadgen mixed $(common_args "$v") --clients "$n" --duration "$DURATION" --users "$USERS" \
          --messages 1000000 --mix "$APPEND_ONLY" --out "$OUT/append-$n-$v-r$r.json"
        wait_quiet "$v"  # what the APPENDs left to index is not charged to the next variant's run
      done
    done
  done
}

run_idle() {
  local instances
  instances="$(cat /proc/sys/fs/inotify/max_user_instances 2>/dev/null || echo 0)"
  if [ "$instances" -lt 1024 ]; then
    log "note: fs.inotify.max_user_instances=$instances: Dovecot's IDLE falls back to polling (mailbox_idle_check_interval, 30 s)"
    log "      once its imap processes exceed it; 'sysctl fs.inotify.max_user_instances=65536' lifts that (not done here)"
  fi
  for r in $(seq 1 "$ROUNDS"); do
    for mode in ${IDLE_MODES//,/ }; do
      local tls=()
      [ "$mode" = tls ] && tls=(--tls)
      for n in ${IDLE_CONNECTIONS//,/ }; do
        for v in $VARIANTS; do
          if [ "$v" = dovecot-stock ] && [ "$n" -gt "$IDLE_STOCK_MAX" ]; then
            log "idle $n: skipping stock Dovecot (one process per connection; IDLE_STOCK_MAX=$IDLE_STOCK_MAX)"
            continue
          fi
          stop_server "$v"; start_server "$v"  # a fresh server: memory before/after is then about the idlers only
          record_load "idle-$mode-$n-$v-r$r"
          loadgen idle $(common_args "$v") "${tls[@]}" --connections "$n" --idle-user idle \
            --out "$OUT/idle-$mode-$n-$v-r$r.json"
        done
      done
    done
  done
}

run_throughput() {
  for r in $(seq 1 "$ROUNDS"); do
    for v in $VARIANTS; do
      record_load "throughput-$v-r$r"
      loadgen throughput $(common_args "$v") --clients "$THROUGHPUT_CLIENTS" --users "$USERS" \
        --duration 10s --out "$OUT/throughput-$v-r$r.json"
    done
  done
}

run_startup() {
  local rport=44143 dport=45143
  port_free "$rport" && port_free "$dport" || return 1
  roost_config "$WORK/roost-startup.yaml" "$rport" 44993 "$WORK/roost-startup-data"
  dovecot_config stock "$dport" 45993 "$WORK/dovecot-startup.conf"
  for r in $(seq 1 "$ROUNDS"); do
    record_load "startup-roost-r$r"
    loadgen startup --label roost --port "$rport" --runs "$STARTUP_RUNS" \
      --command "$WORK/app/bin/roost serve --config $WORK/roost-startup.yaml" --out "$OUT/startup-roost-r$r.json"
    record_load "startup-dovecot-r$r"
    loadgen startup --label dovecot --port "$dport" --runs "$STARTUP_RUNS" \
      --command "dovecot -F -c $WORK/dovecot-startup.conf" --out "$OUT/startup-dovecot-r$r.json"
  done
}

run_large_mailbox() {
  local generator
  generator="$(ls bench/large-mailbox/generate* bench/index/generate* 2>/dev/null | head -n1 || true)"
  if [ -n "$generator" ]; then
    log "note: the index issue's generator $generator exists; this run still uses 'populate' ($BIG_MESSAGES messages)"
  else
    log "large-mailbox: no index generator under bench/ yet; using the load generator's populate ($BIG_MESSAGES messages)"
  fi
  if [ "$BIG_MESSAGES" -le 0 ]; then log "large-mailbox skipped: BIG_MESSAGES=0"; return; fi
  for r in $(seq 1 "$ROUNDS"); do
    for v in $VARIANTS; do
      record_load "large-$v-r$r"
      loadgen large-mailbox $(common_args "$v") --big-user big --runs 3 --timeout-ms 600000 \
        --idle-connections "$LARGE_IDLERS" --idle-user idle --out "$OUT/large-mailbox-$v-r$r.json"
    done
  done
}

main() {
  ensure_dovecot
  ensure_builds
  prepare_work
  {
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "cpu: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
    echo "memory: $(free -g | awk '/Mem:/{print $2}') GiB"
    echo "java: $("$JAVA" -version 2>&1 | head -n1)"
    echo "dovecot: $(dovecot --version)"
  } > "$OUT/machine.txt"
  cat "$OUT/machine.txt" >&2
  copy_roost
  train_aot
  for v in $VARIANTS; do start_server "$v"; done
  for s in "${SCENARIOS[@]}"; do
    case "$s" in
      mixed) run_mixed ;;
      append) run_append ;;
      idle) run_idle ;;
      throughput) run_throughput ;;
      startup) run_startup ;;
      large-mailbox) run_large_mailbox ;;
      *) log "unknown scenario $s" ;;
    esac
  done
  for v in $VARIANTS; do stop_server "$v"; done
  python3 "$here/bench/summarize.py" "$OUT" | tee "$OUT/summary.md"
}

main
