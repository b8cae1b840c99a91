# Functions the Roost-vs-Dovecot scripts share; source it after defining log().

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
