#!/usr/bin/env bash
# LMTP delivery, Roost against Dovecot's LMTP (Debian's dovecot-lmtpd), same machine, same run, each into
# its own Maildirs of the same kind, fsync on: Roost with mail.fsync true (the message file, the cur/
# directory, dovecot-uidlist and its index log are on disk before the 250); Dovecot twice, with its default
# mail_fsync = optimized ("dovecot": the mail file is fsynced, directories and index files are not) and with
# mail_fsync = always ("dovecot-always"). "roost" is Roost as installed: fts.enabled true (the default), so
# every delivered message is also indexed for SEARCH, which this Dovecot (no fts plugin) does not do;
# "roost-nofts" runs with fts.enabled false, the same work as the Dovecots; "roost-at-delivery" with
# fts.deferredMessagesPerUser 0, indexing each message at once (before it was left for a search).
#
#   bench/run-lmtp-vs-dovecot.sh
#
# Load: Postfix's smtp-source speaking LMTP (-L), one connection per session kept open (-d), for every
# combination of SESSIONS parallel sessions, RECIPIENTS recipients per message and SIZES bytes of payload,
# Roost and Dovecot in turn (A B A B ... for ROUNDS rounds). Each run delivers to users of its own, whose
# mailboxes start empty (a mailbox that grows from run to run slows Dovecot more than Roost, which would make
# the figures depend on the order of the runs), and the delivered files are counted afterwards. Figures per
# run: deliveries per second (a delivery is one recipient's copy, the time the MTA took to hand them all over)
# and server CPU per delivery (user+system time of the server's whole process tree, children reaped
# included, from the start of the run until the server has gone quiet: work left behind, such as Roost's
# full-text indexing, counts).
# Results: $OUT/results.tsv and $OUT/summary.md.
#
# Environment (defaults in brackets): SESSIONS [1,10,50]  RECIPIENTS [1,10]  SIZES [4096,102400]
#   DELIVERIES [6000] deliveries per run (messages = DELIVERIES / recipients)  ROUNDS [2]
#   VARIANTS ["roost roost-nofts dovecot dovecot-always"]  OUT [bench/out/lmtp-DATE]  KEEP [0]: keep the work directory
#   SETTLE [120]: seconds a run's CPU is followed after the MTA is done, until the server goes quiet
#   ROOST_JAVA_OPTS: passed to bin/roost
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

SESSIONS="${SESSIONS:-1,10,50}"
RECIPIENTS="${RECIPIENTS:-1,10}"
SIZES="${SIZES:-4096,102400}"
DELIVERIES="${DELIVERIES:-6000}"
ROUNDS="${ROUNDS:-2}"
OUT="${OUT:-$here/bench/out/lmtp-$(date -u +%Y%m%dT%H%M%SZ)}"
KEEP="${KEEP:-0}"
SETTLE="${SETTLE:-120}"
VARIANTS="${VARIANTS:-roost roost-nofts dovecot dovecot-always}"
declare -A PORT=([roost]=46024 [roost-nofts]=45024 [roost-at-delivery]=49024 [dovecot]=47024 [dovecot-always]=48024)
declare -A PID=()

log() { printf '[lmtp-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

ensure_tools() {
  local missing=""
  command -v smtp-source >/dev/null || missing="$missing postfix"
  [ -x /usr/lib/dovecot/lmtp ] || missing="$missing dovecot-lmtpd"
  if [ -n "$missing" ]; then
    log "installing$missing"
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  fi
  [ -f target/roost.jar ] || { log "building Roost"; mvn -B -q -DskipTests package; }
}

prepare() {
  WORK="$(mktemp -d /tmp/roost-lmtp-bench.XXXXXX)"
  chmod 755 "$WORK"
  mkdir -p "$OUT"
  # smtp-source names the recipients NAME@, 2NAME@ ... 10NAME@: users for the warm-up and for every run
  local runs=$(( $(tr ',' '\n' <<< "$SESSIONS" | wc -l) * $(tr ',' '\n' <<< "$RECIPIENTS" | wc -l)
                 * $(tr ',' '\n' <<< "$SIZES" | wc -l) * ROUNDS ))
  for name in warm $(seq -f 'run%g' 1 "$runs"); do
    echo "$name:{PLAIN}bench::::::"
    for i in $(seq 2 10); do echo "$i$name:{PLAIN}bench::::::"; done
  done > "$WORK/passwd"
  chmod 644 "$WORK/passwd"
  roost_config roost ""
  roost_config roost-nofts "fts: {enabled: false}"
  roost_config roost-at-delivery "fts: {deferredMessagesPerUser: 0}"
  dovecot_config dovecot optimized
  dovecot_config dovecot-always always
}

roost_config() {  # $1 variant, $2 extra configuration (none: as shipped)
  mkdir -p "$WORK/$1-mail"
  cat > "$WORK/$1.yaml" <<EOF
data: $WORK/$1-data
listeners:
  imap: {enabled: false}
  imaps: {enabled: false}
  lmtp: {address: 127.0.0.1, port: ${PORT[$1]}, enabled: true}
admin: {enabled: false}
auth: {passwdFile: $WORK/passwd}
mail: {location: "maildir:$WORK/$1-mail/%u", fsync: true}
limits: {maxConnections: 60000, maxConnectionsPerIp: 60000}
$2
EOF
}

dovecot_config() {  # $1 variant, $2 mail_fsync
  local dir="$WORK/$1"
  mkdir -p "$dir/run" "$dir/state" "$WORK/$1-mail"
  chown 65534:65534 "$WORK/$1-mail"
  cat > "$WORK/$1.conf" <<EOF
# Private Dovecot LMTP for the Roost benchmark: loopback only, own base and state directories.
base_dir = $dir/run
state_dir = $dir/state
instance_name = roost-lmtp-bench-$1
listen = 127.0.0.1
protocols = lmtp
log_path = $dir/dovecot.log
default_internal_user = dovecot
default_login_user = dovenull
ssl = no
mail_location = maildir:$WORK/$1-mail/%u
mail_fsync = $2
first_valid_uid = 1
auth_username_format = %Ln
passdb {
  driver = passwd-file
  args = scheme=PLAIN $WORK/passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$WORK/$1-mail/%u
}
default_process_limit = 1000
default_client_limit = 10000
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${PORT[$1]}
  }
  unix_listener lmtp {
    path = $dir/run/lmtp
  }
}
EOF
}

# Runs a server without the descriptors this script inherited (flock's hold on /tmp/bench.lock among them), so a
# server left running by a killed run cannot keep every other benchmark waiting for the lock.
WITHOUT_INHERITED_FDS=(python3 -c 'import os, sys; os.closerange(3, 65536); os.execvp(sys.argv[1], sys.argv[1:])')

start() {  # $1 variant
  case "$1" in
    roost*)
      ROOST_AOT=off setsid "${WITHOUT_INHERITED_FDS[@]}" bin/roost serve --config "$WORK/$1.yaml" > "$WORK/$1.log" 2>&1 &
      PID[$1]=$! ;;
    dovecot*)
      "${WITHOUT_INHERITED_FDS[@]}" dovecot -F -c "$WORK/$1.conf" > "$WORK/$1.out" 2>&1 &
      PID[$1]=$! ;;
  esac
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/${PORT[$1]}") 2>/dev/null && return 0
    kill -0 "${PID[$1]}" 2>/dev/null || { log "$1 died"; exit 1; }
    sleep 0.1
  done
  log "$1 did not listen"; exit 1
}

stop() {  # $1 variant
  local pid="${PID[$1]:-}"
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "PID[$1]"
}

cleanup() {
  for v in "${!PID[@]}"; do stop "$v"; done
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; elif [ -n "${WORK:-}" ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

# CPU seconds (user+system) of a process and all its descendants, plus the children it already reaped.
tree_cpu() {
  python3 - "$1" <<'EOF'
import os, sys
root = int(sys.argv[1]); tick = os.sysconf("SC_CLK_TCK")
stats = {}
for p in os.listdir("/proc"):
    if p.isdigit():
        try:
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            stats[int(p)] = (int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14]))
        except OSError:
            pass
tree, grew = {root}, True
while grew:
    grew = False
    for pid, (ppid, _, _) in stats.items():
        if ppid in tree and pid not in tree:
            tree.add(pid); grew = True
total = sum(stats[p][1] for p in tree if p in stats) + stats.get(root, (0, 0, 0))[2]
print(total / tick)
EOF
}

# The CPU of the tree once it has gone quiet (under 10 ms of CPU in 500 ms, at most SETTLE seconds): work a
# delivery left behind (Roost's full-text indexer catching up) is counted with the run that caused it, not
# with the next server's run.
settled_cpu() {
  local before after
  before="$(tree_cpu "$1")"
  for _ in $(seq 1 $(( SETTLE * 2 ))); do
    sleep 0.5
    after="$(tree_cpu "$1")"
    python3 -c "import sys; sys.exit(0 if $after - $before < 0.01 else 1)" && break
    before="$after"
  done
  echo "$after"
}

run_one() {  # $1 variant $2 sessions $3 recipients $4 size $5 round $6 user name of the run
  local messages=$(( DELIVERIES / $3 ))
  local cpu0 cpu1 t0 t1 delivered
  cpu0="$(tree_cpu "${PID[$1]}")"; t0="$(date +%s.%N)"
  smtp-source -L -d -s "$2" -m "$messages" -l "$4" -r "$3" -f sender@example.org -t "$6@example.org" \
    -M client.example "127.0.0.1:${PORT[$1]}" >/dev/null
  t1="$(date +%s.%N)"; cpu1="$(settled_cpu "${PID[$1]}")"
  delivered="$(find "$WORK/$1-mail" -path "*/$6/*" -o -path "*/[0-9]*$6/*" 2>/dev/null | grep -c '/\(new\|cur\)/.')"
  [ "$delivered" = $(( messages * $3 )) ] || log "WARNING: $1 run $6 left $delivered files for $(( messages * $3 )) deliveries"
  python3 - "$1" "$2" "$3" "$4" "$5" "$messages" "$t0" "$t1" "$cpu0" "$cpu1" >> "$OUT/results.tsv" <<'EOF'
import sys
v, s, r, size, rnd, m, t0, t1, c0, c1 = sys.argv[1:]
deliveries = int(m) * int(r); elapsed = float(t1) - float(t0); cpu = float(c1) - float(c0)
print(f"{v}\t{s}\t{r}\t{size}\t{rnd}\t{deliveries}\t{elapsed:.3f}\t{deliveries / elapsed:.1f}\t{cpu:.2f}\t{1000 * cpu / deliveries:.3f}")
EOF
  tail -n1 "$OUT/results.tsv" >&2
}

summarize() {
  python3 - "$OUT/results.tsv" <<'EOF' | tee "$OUT/summary.md"
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if not l.startswith("variant")]
groups = {}
for v, s, r, size, rnd, d, el, rate, cpu, cpd in rows:
    groups.setdefault((int(s), int(r), int(size)), {}).setdefault(v, []).append((float(rate), float(cpd)))
others = [v for v in ("dovecot", "dovecot-always") if any(v in g for g in groups.values())]
def median(xs, k):
    return statistics.median(x[k] for x in xs)
for mine in [v for v in ("roost", "roost-at-delivery", "roost-nofts") if any(v in g for g in groups.values())]:
    head = f"| sessions | rcpts | size | {mine} deliveries/s | {mine} CPU ms/delivery |"
    line = "|---:|---:|---:|---:|---:|"
    for o in others:
        head += f" {o} deliveries/s | ratio | {o} CPU ms/delivery | ratio |"
        line += "---:|---:|---:|---:|"
    print(f"\n{mine}:\n")
    print(head)
    print(line)
    for key in sorted(groups):
        g = groups[key]
        if mine not in g:
            continue
        rr, rc = median(g[mine], 0), median(g[mine], 1)
        out = f"| {key[0]} | {key[1]} | {key[2] // 1024} kB | {rr:.0f} | {rc:.3f} |"
        for o in others:
            if o in g:
                dr, dc = median(g[o], 0), median(g[o], 1)
                out += f" {dr:.0f} | {rr / dr:.2f} | {dc:.3f} | {rc / dc:.2f} |"
        print(out)
EOF
}

main() {
  ensure_tools
  prepare
  {
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "cpu: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
    echo "dovecot: $(dovecot --version)"
    echo "java: $(bin/roost --version 2>/dev/null || true)"
  } > "$OUT/machine.txt"
  printf 'variant\tsessions\trcpts\tsize\tround\tdeliveries\tseconds\tdeliveries_per_s\tcpu_s\tcpu_ms_per_delivery\n' > "$OUT/results.tsv"
  for v in $VARIANTS; do start "$v"; done
  log "warming up (not recorded)"
  for v in $VARIANTS; do
    smtp-source -L -d -s 10 -m 2000 -l 4096 -r 10 -f sender@example.org -t warm@example.org -M client.example \
      "127.0.0.1:${PORT[$v]}" >/dev/null
    settled_cpu "${PID[$v]}" >/dev/null
  done
  local run=0
  for round in $(seq 1 "$ROUNDS"); do
    for s in ${SESSIONS//,/ }; do
      for r in ${RECIPIENTS//,/ }; do
        for size in ${SIZES//,/ }; do
          run=$(( run + 1 ))
          for v in $VARIANTS; do
            run_one "$v" "$s" "$r" "$size" "$round" "run$run"
          done
        done
      done
    done
  done
  summarize
}

main
