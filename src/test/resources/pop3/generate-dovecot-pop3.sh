#!/bin/sh
# Records what Debian's Dovecot POP3 (dovecot-pop3d, default pop3_uidl_format %08Xu%08Xv)
# answers to STAT, LIST and UIDL for the INBOX of ../maildir/dovecot-fixture.
# Not run by `mvn verify`: the result, dovecot-fixture-pop3.txt, is committed.
# It serves a temporary copy of the fixture from a private Dovecot on 127.0.0.1:$PORT.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PORT=${PORT:-31110}
WORK=$(mktemp -d /tmp/roost-dovecot-pop3.XXXXXX)
chmod 755 "$WORK"
mkdir -p "$WORK/base" "$WORK/mail" "$WORK/state"
cp -a "$HERE/../maildir/dovecot-fixture" "$WORK/mail/fixture"
chown -R dovenull:dovenull "$WORK/mail"
echo 'fixture:{PLAIN}secret' > "$WORK/passwd"
cat > "$WORK/dovecot.conf" <<CONF
base_dir = $WORK/base
state_dir = $WORK/state
instance_name = roost-pop3-fixture-$PORT
protocols = pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
log_path = $WORK/dovecot.log
first_valid_uid = 100
mail_location = maildir:$WORK/mail/%u
mail_plugins =
passdb {
  driver = passwd-file
  args = scheme=PLAIN $WORK/passwd
}
userdb {
  driver = static
  args = uid=dovenull gid=dovenull home=$WORK/mail/%u
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener pop3s {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
namespace inbox {
  inbox = yes
  separator = .
}
CONF
dovecot -c "$WORK/dovecot.conf"
trap 'dovecot -c "$WORK/dovecot.conf" stop || true' EXIT
sleep 1
python3 - "$PORT" > "$HERE/dovecot-fixture-pop3.txt" <<'PY'
import poplib, sys
p = poplib.POP3("127.0.0.1", int(sys.argv[1]))
p.user("fixture")
p.pass_("secret")
print("stat\t%d\t%d" % p.stat())
for line in p.list()[1]:
    print("list\t" + line.decode().replace(" ", "\t"))
for line in p.uidl()[1]:
    print("uidl\t" + line.decode().replace(" ", "\t"))
p.quit()
PY
echo "written $HERE/dovecot-fixture-pop3.txt; Dovecot's log: $WORK/dovecot.log"
