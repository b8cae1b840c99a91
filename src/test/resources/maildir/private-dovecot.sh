# Sourced by the fixture scripts: a private Dovecot on 127.0.0.1:$PORT with its own config,
# state and mail under $WORK (user "fixture", password "secret", mail in $WORK/mail/fixture).
# Only for generating and checking test fixtures by hand; never run by `mvn verify`.

private_dovecot_setup() {
  mkdir -p "$WORK/base" "$WORK/mail" "$WORK/state"
  chmod 755 "$WORK"
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
}

private_dovecot_start() {
  dovecot -c "$WORK/dovecot.conf"
  sleep 1
}

private_dovecot_stop() {
  dovecot -c "$WORK/dovecot.conf" stop || true
  sleep 1
}
