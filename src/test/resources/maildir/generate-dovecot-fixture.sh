#!/bin/sh
# Regenerates src/test/resources/maildir/dovecot-fixture/ with Debian's real Dovecot
# (dovecot-imapd).  Not run by `mvn verify`: the fixture is committed.
#
# It starts a private Dovecot on 127.0.0.1:$PORT with its own config in a temp dir,
# lets fill-dovecot-fixture.py APPEND messages with flags and keywords, create folders
# (some with non-ASCII names), subscribe, and records what Dovecot reported in
# dovecot-fixture-expected.txt.  Then it copies the Maildir minus Dovecot's index files.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PORT=${PORT:-31433}
WORK=$(mktemp -d /tmp/roost-dovecot.XXXXXX)
chmod 755 "$WORK"
mkdir -p "$WORK/base" "$WORK/mail" "$WORK/state"
chown dovenull:dovenull "$WORK/mail"
echo 'fixture:{PLAIN}secret' > "$WORK/passwd"
cat > "$WORK/dovecot.conf" <<CONF
base_dir = $WORK/base
state_dir = $WORK/state
instance_name = roost-fixture-$PORT
protocols = imap
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
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
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
python3 "$HERE/fill-dovecot-fixture.py" "$PORT" > "$WORK/expected.txt"
dovecot -c "$WORK/dovecot.conf" stop
trap - EXIT
sleep 1
OUT="$HERE/dovecot-fixture"
rm -rf "$OUT"
cp -a "$WORK/mail/fixture" "$OUT"
find "$OUT" -name 'dovecot.index*' -delete
find "$OUT" -name 'dovecot.list.index*' -delete
find "$OUT" -name 'dovecot-uidlist.lock' -delete
chown -R "$(id -u):$(id -g)" "$OUT"
# Git keeps no mtimes, but a Maildir's INTERNALDATE is the file's mtime: record them.
(cd "$OUT" && find . -type f -path '*/cur/*' -printf '%P\t%T@\n' | sed 's/\.[0-9]*$//' | sort) \
  > "$HERE/dovecot-fixture-mtimes.txt"
cp "$WORK/expected.txt" "$HERE/dovecot-fixture-expected.txt"
echo "fixture written to $OUT; Dovecot's log: $WORK/dovecot.log"
