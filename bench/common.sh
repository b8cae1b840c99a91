# Functions the Roost-vs-Dovecot scripts share; source it after defining log().

# Runs a command without the descriptors the script inherited (flock's hold on /tmp/bench.lock among them), as one
# simple command, so that $! is the command itself (bin/roost and dovecot -F exec), which stop_pid stops.
DETACHED=(python3 -c 'import os, sys; os.closerange(3, 65536); os.execvp(sys.argv[1], sys.argv[1:])')

pick_java() {  # newest JDK >= 21, like bin/roost
  local best="" best_major=0 c major
  for c in "${JAVA_HOME:-/nonexistent}/bin/java" /usr/lib/jvm/*/bin/java "$(command -v java 2>/dev/null || true)"; do
    [ -x "$c" ] || continue
    major="$("$c" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | sed -n 1p)"
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$c"; best_major="$major"; fi
  done
  [ -n "$best" ] || { echo "no Java 21+ found" >&2; exit 2; }
  echo "$best"
}

# Installs Dovecot and builds Roost when missing, checks that $ROOST_PORT and $DOVECOT_PORT are free, makes
# $WORK (removed at exit unless KEEP=1, after the servers in PIDS are stopped) and $ROOST: a private copy of the
# build, so that a rebuild in the worktree meanwhile cannot change the server being measured.
prepare_side_by_side() {  # $1 work directory prefix under /tmp
  if ! command -v dovecot >/dev/null || ! [ -x /usr/lib/dovecot/imap ]; then
    log "installing dovecot-imapd"
    DEBIAN_FRONTEND=noninteractive apt-get install -y dovecot-imapd >/dev/null
  fi
  [ -f target/roost.jar ] || { log "building Roost"; mvn -B -q -DskipTests package; }
  port_free "$ROOST_PORT"
  port_free "$DOVECOT_PORT"
  WORK="$(mktemp -d "/tmp/$1.XXXXXX")"
  chmod 755 "$WORK"
  trap stop_side_by_side EXIT
  mkdir -p "$WORK/app/bin" "$WORK/app/target"
  cp bin/roost "$WORK/app/bin/"
  cp -r target/roost.jar target/lib "$WORK/app/target/"
  ROOST="$WORK/app/bin/roost"
}

stop_side_by_side() {
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [ "${KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}

wait_port() {  # $1 port, $2 pid to watch
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || { log "process $2 died before listening on $1"; return 1; }
    sleep 0.1
  done
  log "port $1 did not open"; return 1
}

port_free() {  # refuses to measure someone else's server that happens to hold our port
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    log "port $1 is already in use by another program; stop it or change the ports in $0"; return 1
  fi
}

stop_pid() {  # $1 pid: TERM, up to 30 s, then KILL
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# ROOST_BENCH_FSYNC [true]: Roost's mail.fsync. DOVECOT_BENCH_FSYNC [optimized]: Dovecot's mail_fsync (its default
# fsyncs new mail files only, not flag changes or its index: `true` beside `always` compares like with like).
roost_conf() {  # $1 directory (config, data), $2 IMAP port, $3 mail.location, $4 passwd-file: IMAP only
  mkdir -p "$1/data"
  cat > "$1/roost.yaml" <<YAML
data: $1/data
listeners:
  imap: {address: 127.0.0.1, port: $2, enabled: true}
  imaps: {address: 127.0.0.1, port: 0, enabled: false}
  pop3: {address: 127.0.0.1, port: 0, enabled: false}
  pop3s: {address: 127.0.0.1, port: 0, enabled: false}
admin: {enabled: false}
auth: {passwdFile: $4}
mail: {location: "$3", fsync: ${ROOST_BENCH_FSYNC:-true}}
YAML
}

dovecot_conf() {  # $1 state dir, $2 port, $3 mail_location, $4 passwd-file: a private Dovecot as user nobody on loopback
  mkdir -p "$1/run" "$1/state" "$1/home"
  chown 65534:65534 "$1/home"
  # Its imap process gets the memory a million-message index needs (the default vsz_limit cannot open it).
  cat > "$1/dovecot.conf" <<CONF
base_dir = $1/run
state_dir = $1/state
log_path = $1/dovecot.log
instance_name = roost-bench-$2
ssl = no
protocols = imap
listen = 127.0.0.1
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = $3
mail_fsync = ${DOVECOT_BENCH_FSYNC:-optimized}
passdb {
  driver = passwd-file
  args = scheme=PLAIN $4
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$1/home/%u
}
service imap {
  vsz_limit = 4G
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $2
  }
  inet_listener imaps {
    port = 0
  }
}
CONF
}

tree_rss_kb() {  # $1 pid, [$2 command name]: RSS of the process and its descendants (only those so named), in kB
  ps -e -o pid=,ppid=,rss=,comm= | awk -v root="$1" -v name="${2:-}" '
    { parent[$1] = $2; rss[$1] = $3; comm[$1] = $4 }
    END { for (p in parent) { q = p; while (q != root && (q in parent) && q > 1) q = parent[q]
            if (q == root && (name == "" || comm[p] == name)) sum += rss[p] }
          print sum + 0 }'
}

sample_peak_rss() {  # $1 output file, $2 pid, [$3 command name]: the peak of tree_rss_kb every 0.2 s, in the background
  ( peak=0
    while kill -0 "$2" 2>/dev/null; do
      now=$(tree_rss_kb "$2" "${3:-}")
      if [ "$now" -gt "$peak" ]; then peak=$now; echo "$peak" > "$1"; fi
      sleep 0.2
    done ) &
}

tree_cpu_ms() {  # $1 pid: CPU time (user + system) of the process, its live descendants and the children it reaped, in ms
  ps -e -o pid=,ppid= | awk -v root="$1" -v hz="$(getconf CLK_TCK)" '
    { parent[$1] = $2 }
    END { for (p in parent) { q = p; while (q != root && (q in parent) && q > 1) q = parent[q]
            if (q != root) continue
            if ((getline line < ("/proc/" p "/stat")) <= 0) continue
            sub(/^.*\) /, "", line); split(line, f, " ")
            sum += f[12] + f[13] + f[14] + f[15] }
          printf "%d\n", sum * 1000 / hz }'
}

# Appends to Dovecot config $1 the inbox namespace, the other users' namespace `Shared.%%u.` at location $2 (Dovecot's
# %% escapes: e.g. maildir:/mail/%%u), and the acl plugins over dovecot-acl files; $3: more lines for `plugin {}`.
dovecot_shared_namespace() {  # $1 dovecot.conf, $2 shared namespace location, [$3 plugin settings]
  cat >> "$1" <<CONF
namespace inbox {
  inbox = yes
  separator = .
  prefix =
}
namespace shared {
  type = shared
  separator = .
  prefix = Shared.%%u.
  location = $2
  subscriptions = no
  list = children
}
mail_plugins = acl
protocol imap {
  mail_plugins = \$mail_plugins imap_acl
}
plugin {
  acl = vfile
  ${3:-}
}
CONF
}

# Starts the private copy $ROOST (see prepare_side_by_side) on $WORK/roost.yaml as PIDS[0], its output appended
# to $WORK/roost.log, without the bench lock's descriptor, and waits for port $1.
start_work_roost() {  # $1 port
  "$ROOST" serve --config "$WORK/roost.yaml" >> "$WORK/roost.log" 2>&1 9>&- &
  PIDS=("$!")
  wait_port "$1" "${PIDS[0]}"
}

# After a first start of $ROOST that recorded the AOT cache (bin/roost writes roost.aot.options only then: not
# with ROOST_AOT=off, nor before JDK 25), waits up to 5 minutes for its assembly.
await_aot_cache() {
  local target="$WORK/app/target"
  for _ in $(seq 1 300); do [ -f "$target/roost.aot" ] || [ ! -f "$target/roost.aot.options" ] && break; sleep 1; done
  [ -f "$target/roost.aot" ] || [ ! -f "$target/roost.aot.options" ] || log "no AOT cache after 5 minutes: going on without it"
}

# CPU ticks of a JVM's threads by group: "jit gc other" (the JIT's share of a measurement shows how warm it was).
thread_group_ticks() {  # $1 pid
  awk '{ line = $0; name = line; sub(/^[^(]*\(/, "", name); sub(/\).*$/, "", name)
         sub(/^.*\) /, "", line); split(line, f, " "); t = f[12] + f[13]
         if (name ~ /CompilerThre/) jit += t; else if (name ~ /GC Thread|VM Thread|G1|Serial/) gc += t; else other += t }
       END { printf "%d %d %d\n", jit, gc, other }' /proc/"$1"/task/*/stat 2>/dev/null || echo "0 0 0"
}
