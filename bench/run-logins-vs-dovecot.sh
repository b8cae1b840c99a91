#!/usr/bin/env bash
# Logins per second from SQL and LDAP users: Roost vs Dovecot over the same private PostgreSQL and OpenLDAP.
#
#   bench/run-logins-vs-dovecot.sh
#
# Starts a private PostgreSQL (a Postfixadmin `mailbox` table with USERS users user1..N@example.org) and a
# private slapd (USERS posixAccounts luser1..N), then, one server at a time, Roost and Dovecot (stock and tuned,
# as bench/run-vs-dovecot.sh configures them) with the chain passdb sql -> passdb ldap and their auth caches on.
# Against each, after a warm-up pass over WARMUP other users of each database (not recorded: a JIT compiles, pools
# fill): a cold pass (every SQL user once: their lookups meet empty caches), a warm pass (every SQL user again),
# then the same two passes over the LDAP users (which the SQL database does not know, so each also costs a
# negative SQL lookup, in both servers). Each login is a whole session: connect, LOGIN, LOGOUT.
# Passwords are {SSHA512}: one SHA-512 per check, so the figures measure the user-database path rather than a
# deliberately slow hash (HASH=SHA512-CRYPT measures that instead).
#
# Each round runs every variant in turn (A B C A B C ...); the summary shows the median of the rounds.
#
# Environment (defaults in brackets): USERS [10000]  WARMUP [2000]  CLIENTS [16]  HASH [SSHA512]  ROUNDS [1]
#   VARIANTS ["roost dovecot-stock dovecot-tuned"]  OUT [bench/out/logins-DATE]  KEEP [0]: keep the temp dir
#   ROOST_JAVA_OPTS: JVM options for Roost (passed through bin/roost)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

USERS="${USERS:-10000}"
ROUNDS="${ROUNDS:-1}"
WARMUP="${WARMUP:-2000}"
CLIENTS="${CLIENTS:-16}"
HASH="${HASH:-SSHA512}"
VARIANTS="${VARIANTS:-roost dovecot-stock dovecot-tuned}"
OUT="${OUT:-$here/bench/out/logins-$(date -u +%Y%m%dT%H%M%SZ)}"
KEEP="${KEEP:-0}"
PG_PORT=47432
LDAP_PORT=47389
declare -A IMAP_PORT=([roost]=47143 [dovecot-stock]=47243 [dovecot-tuned]=47343)
declare -A PID=()
SQL_PASSWORD="bench-sql-$$"
LDAP_PASSWORD="bench-ldap-$$"

log() { printf '[logins %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
JAVA="$(pick_java)"
loadgen() { "$JAVA" -Xss512k -cp bench/target/roost-bench.jar org.roost.bench.LoadGenerator "$@"; }

ensure_packages() {
  local missing=()
  [ -x /usr/lib/dovecot/imap ] || missing+=(dovecot-imapd)
  [ -e /usr/lib/dovecot/modules/auth/libauthdb_ldap.so ] || missing+=(dovecot-ldap)
  [ -e /usr/lib/dovecot/modules/libdriver_pgsql.so ] || missing+=(dovecot-pgsql)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  [ -x /usr/sbin/slapd ] || missing+=(slapd ldap-utils)
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null
  fi
}

ensure_builds() {
  if [ ! -f target/roost.jar ]; then
    log "building Roost (mvn -B -q -DskipTests package)"
    mvn -B -q -DskipTests package
  fi
  if [ ! -f bench/target/roost-bench.jar ] || [ bench/src/main/java/org/roost/bench/LoginScenario.java -nt bench/target/roost-bench.jar ]; then
    log "building the benchmark jar (mvn install of Roost, then bench/)"
    mvn -B -q -DskipTests install
    mvn -B -q -f bench/pom.xml package
  fi
}



# Users and hashes: one file each for PostgreSQL (COPY) and slapd (LDIF).
make_users() {
  python3 - "$((USERS + WARMUP))" "$HASH" "$WORK" <<'PY'
import base64, hashlib, os, sys
users, scheme, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def stored(password):
    if scheme == "SSHA512":
        salt = os.urandom(8)
        return "{SSHA512}" + base64.b64encode(hashlib.sha512(password.encode() + salt).digest() + salt).decode()
    if scheme == "SHA512-CRYPT":
        import crypt
        return "{SHA512-CRYPT}" + crypt.crypt(password, crypt.mksalt(crypt.METHOD_SHA512))
    raise SystemExit("HASH must be SSHA512 or SHA512-CRYPT")
with open(work + "/mailbox.tsv", "w") as sql, open(work + "/users.ldif", "w") as ldif:
    for i in range(1, users + 1):
        sql.write("user%d@example.org\t%s\tuser%d\texample.org/user%d/\tuser%d\texample.org\n"
                  % (i, stored("pw%d" % i), i, i, i))
        ldif.write("dn: uid=luser%d,ou=people,dc=example,dc=org\nobjectClass: inetOrgPerson\n"
                   "objectClass: posixAccount\nuid: luser%d\ncn: luser%d\nsn: luser%d\nuidNumber: %d\n"
                   "gidNumber: %d\nhomeDirectory: /home/luser%d\nuserPassword: %s\n\n"
                   % (i, i, i, i, 10000 + i, 10000 + i, i, stored("pw%d" % i)))
PY
}

start_postgres() {
  local bin; bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
  mkdir -p "$WORK/pg"; chown postgres:postgres "$WORK/pg"
  echo "$SQL_PASSWORD" > "$WORK/pg/pwfile"; chown postgres "$WORK/pg/pwfile"
  runuser -u postgres -- "$bin/initdb" -D "$WORK/pg/data" -U postgres --pwfile="$WORK/pg/pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --locale=C --no-sync >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w \
    -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  PG_CTL="$bin/pg_ctl"
  runuser -u postgres -- psql -q -h "$WORK/pg" -p "$PG_PORT" -U postgres <<EOF
CREATE ROLE roost LOGIN PASSWORD '$SQL_PASSWORD';
CREATE DATABASE postfix;
\c postfix
CREATE TABLE mailbox (username varchar(255) PRIMARY KEY, password varchar(255) NOT NULL,
  name varchar(255) NOT NULL DEFAULT '', maildir varchar(255) NOT NULL, quota bigint NOT NULL DEFAULT 0,
  local_part varchar(255) NOT NULL, domain varchar(255) NOT NULL, active boolean NOT NULL DEFAULT true);
\copy mailbox (username, password, name, maildir, local_part, domain) FROM '$WORK/mailbox.tsv'
GRANT SELECT ON mailbox TO roost;
ANALYZE mailbox;
EOF
  log "PostgreSQL on $PG_PORT with $(runuser -u postgres -- psql -tA -h "$WORK/pg" -p "$PG_PORT" -U postgres postfix -c 'SELECT count(*) FROM mailbox') users"
}

start_slapd() {
  mkdir -p "$WORK/ldap/db"
  cat > "$WORK/ldap/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $WORK/ldap/slapd.pid
database mdb
maxsize 1073741824
suffix "dc=example,dc=org"
rootdn "cn=admin,dc=example,dc=org"
rootpw $LDAP_PASSWORD
directory $WORK/ldap/db
index uid eq
index objectClass eq
access to attrs=userPassword by dn.exact="cn=roost,dc=example,dc=org" read by anonymous auth by * none
access to * by * read
EOF
  { printf 'dn: dc=example,dc=org\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\n'
    printf 'dn: ou=people,dc=example,dc=org\nobjectClass: organizationalUnit\nou: people\n\n'
    printf 'dn: cn=roost,dc=example,dc=org\nobjectClass: person\nobjectClass: simpleSecurityObject\ncn: roost\nsn: roost\nuserPassword: %s\n\n' "$LDAP_PASSWORD"
    cat "$WORK/users.ldif"; } > "$WORK/ldap/all.ldif"
  slapadd -q -f "$WORK/ldap/slapd.conf" -l "$WORK/ldap/all.ldif"
  slapd -d 0 -f "$WORK/ldap/slapd.conf" -h "ldap://127.0.0.1:$LDAP_PORT/" > "$WORK/ldap/slapd.log" 2>&1 &
  PID[slapd]=$!
  wait_port "$LDAP_PORT" "${PID[slapd]}"
  log "slapd on $LDAP_PORT with $((USERS + WARMUP)) users"
}

roost_config() {  # $1 file
  echo "$SQL_PASSWORD" > "$WORK/roost-sql-password"
  echo "$LDAP_PASSWORD" > "$WORK/roost-ldap-password"
  cat > "$1" <<EOF
data: $WORK/roost-data
listeners:
  imap: {address: 127.0.0.1, port: ${IMAP_PORT[roost]}}
  imaps: {address: 127.0.0.1, port: 0}
admin: {enabled: false}
auth:
  databases: [sql, ldap]
  secureNetworks: [127.0.0.0/8]
  sql:
    url: jdbc:postgresql://127.0.0.1:$PG_PORT/postfix
    user: roost
    passwordFile: $WORK/roost-sql-password
  ldap:
    uris: [ldap://127.0.0.1:$LDAP_PORT]
    baseDn: ou=people,dc=example,dc=org
    bindDn: cn=roost,dc=example,dc=org
    bindPasswordFile: $WORK/roost-ldap-password
  cache: {size: 100000, ttl: 1h, negativeTtl: 1h}
mail: {location: "maildir:$WORK/roost-mail/%d/%n"}
limits: {maxConnections: 60000, maxConnectionsPerIp: 60000}
EOF
}

dovecot_config() {  # $1 variant (stock|tuned), $2 file
  local dir="$WORK/dovecot-$1"
  mkdir -p "$dir/run" "$dir/state" "$WORK/dovecot-home"
  chown 65534:65534 "$WORK/dovecot-home"
  cat > "$dir/sql.conf" <<EOF
driver = pgsql
connect = host=127.0.0.1 port=$PG_PORT dbname=postfix user=roost password=$SQL_PASSWORD
default_pass_scheme = CRYPT
password_query = SELECT username AS user, password FROM mailbox WHERE username = '%u' AND active = '1'
EOF
  cat > "$dir/ldap.conf" <<EOF
uris = ldap://127.0.0.1:$LDAP_PORT
dn = cn=roost,dc=example,dc=org
dnpass = $LDAP_PASSWORD
base = ou=people,dc=example,dc=org
pass_filter = (&(objectClass=posixAccount)(uid=%u))
pass_attrs = uid=user,userPassword=password
default_pass_scheme = CRYPT
EOF
  chmod 600 "$dir/sql.conf" "$dir/ldap.conf"
  cat > "$2" <<EOF
# Private Dovecot for the login benchmark ($1): loopback only, own base/state dirs.
base_dir = $dir/run
state_dir = $dir/state
instance_name = roostlogins-$1
listen = 127.0.0.1
protocols = imap
log_path = $dir/dovecot.log
default_internal_user = dovecot
default_login_user = dovenull
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_cache_size = 64M
auth_cache_ttl = 1 hour
auth_cache_negative_ttl = 1 hour
auth_failure_delay = 0
mail_location = maildir:$WORK/dovecot-home/%u/Maildir
first_valid_uid = 1
passdb {
  driver = sql
  args = $dir/sql.conf
}
passdb {
  driver = ldap
  args = $dir/ldap.conf
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$WORK/dovecot-home/%u allow_all_users=yes
}
protocol imap {
  mail_max_userip_connections = 100000
}
default_process_limit = 15000
default_client_limit = 100000
default_vsz_limit = 1G
service imap-login {
  inet_listener imap {
    port = ${IMAP_PORT[dovecot-$1]}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  client_limit = 100000
}
EOF
  if [ "$1" = tuned ]; then
    cat >> "$2" <<'EOF'
service imap-login {
  service_count = 0
  client_limit = 20000
  process_min_avail = 2
}
service imap {
  service_count = 0
  client_limit = 1000
  process_limit = 100
}
EOF
  fi
}

start_server() {  # $1 variant
  port_free "${IMAP_PORT[$1]}"
  case "$1" in
    roost)
      roost_config "$WORK/roost.yaml"
      bin/roost serve --config "$WORK/roost.yaml" > "$WORK/roost.log" 2>&1 &
      PID[roost]=$! ;;
    dovecot-stock|dovecot-tuned)
      local v="${1#dovecot-}"
      dovecot_config "$v" "$WORK/dovecot-$v.conf"
      dovecot -F -c "$WORK/dovecot-$v.conf" > "$WORK/dovecot-$v.out" 2>&1 &
      PID[$1]=$! ;;
  esac
  wait_port "${IMAP_PORT[$1]}" "${PID[$1]}"
  log "started $1 (pid ${PID[$1]})"
}

stop_server() {  # $1 variant or slapd
  local pid="${PID[$1]:-}"
  [ -n "$pid" ] || return 0
  stop_pid "$pid"
  unset "PID[$1]"
}

cleanup() {
  for v in "${!PID[@]}"; do stop_server "$v"; done
  if [ -n "${PG_CTL:-}" ]; then runuser -u postgres -- "$PG_CTL" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; elif [ -n "${WORK:-}" ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

run_variant() {  # $1 variant, $2 round
  start_server "$1"
  local args=(--port "${IMAP_PORT[$1]}" --label "$1" --clients "$CLIENTS" --password 'pw%d' --server-pid "${PID[$1]}")
  for user in 'user%d@example.org' 'luser%d'; do
    loadgen logins "${args[@]}" --user "$user" --first "$((USERS + 1))" --users "$WARMUP" --passes warm-up >/dev/null
  done
  loadgen logins "${args[@]}" --users "$USERS" --user 'user%d@example.org' --out "$OUT/sql-$1-r$2.json"
  loadgen logins "${args[@]}" --users "$USERS" --user 'luser%d' --out "$OUT/ldap-$1-r$2.json"
  stop_server "$1"
}

main() {
  ensure_packages
  ensure_builds
  WORK="$(mktemp -d /tmp/roost-logins.XXXXXX)"
  chmod 755 "$WORK"
  mkdir -p "$OUT"
  log "work directory $WORK, results in $OUT"
  {
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "cpu: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
    echo "java: $("$JAVA" -version 2>&1 | head -n1)"
    echo "dovecot: $(dovecot --version)"
    echo "users: $USERS SQL + $USERS LDAP measured (+ $WARMUP of each for the warm-up), hash $HASH, $CLIENTS clients"
  } > "$OUT/machine.txt"
  cat "$OUT/machine.txt" >&2
  make_users
  start_postgres
  start_slapd
  for r in $(seq 1 "$ROUNDS"); do
    for v in $VARIANTS; do run_variant "$v" "$r"; done
  done
  python3 - "$OUT" <<'PY' | tee "$OUT/summary.md"
import json, pathlib, statistics, sys
out = pathlib.Path(sys.argv[1])
runs = {}
for f in sorted(out.glob("*-r*.json")):
    db, rest = f.stem.split("-", 1)
    variant = rest.rsplit("-r", 1)[0]
    for r in json.loads(f.read_text())["results"]:
        runs.setdefault((db, r["pass"]), {}).setdefault(variant, []).append(r)
variants = [v for v in ["roost", "dovecot-stock", "dovecot-tuned"] if any(v in by for by in runs.values())]
def median(rs, key):
    return statistics.median(r[key] for r in rs)
print("median of rounds; logins/s (p99 ms, server CPU ms per login)")
print("| database | pass | " + " | ".join(variants) + " | Roost/Dovecot tuned | Roost/Dovecot stock |")
print("|---|---|" + "---|" * (len(variants) + 2))
for (db, p), by in sorted(runs.items(), key=lambda kv: (kv[0][0] != "sql", kv[0][1] != "cold")):
    cells = ["%.0f (%.1f, %.2f)" % (median(by[v], "loginsPerSecond"), median(by[v], "p99Millis"),
             median(by[v], "serverCpuMsPerOp")) + ("" if sum(r["errors"] for r in by[v]) == 0 else " ERRORS")
             if v in by else "-" for v in variants]
    ratio = lambda other: ("%.2f" % (median(by["roost"], "loginsPerSecond") / median(by[other], "loginsPerSecond"))
                           if "roost" in by and other in by else "-")
    print("| %s | %s | %s | %s | %s |" % (db, p, " | ".join(cells), ratio("dovecot-tuned"), ratio("dovecot-stock")))
PY
}

main
