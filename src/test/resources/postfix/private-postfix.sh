#!/usr/bin/env bash
# A private Postfix instance for the delivery tests: its own config, queue and data directories under DIR,
# SMTP on 127.0.0.1:PORT only, nothing of the system's Postfix used or touched.
#
#   private-postfix.sh start DIR PORT VIRTUAL_TRANSPORT MAILBOX_COMMAND
#   private-postfix.sh stop DIR
#
# Mail to @example.org goes to VIRTUAL_TRANSPORT (e.g. lmtp:inet:127.0.0.1:1024 or lmtp:unix:/path/lmtp);
# mail to @localhost.test goes to local(8) and its mailbox_command (run as the recipient, "nobody").
set -euo pipefail
command="$1"; dir="$2"
case "$command" in
  stop)
    postfix -c "$dir/etc" stop >/dev/null 2>&1 || true
    exit 0 ;;
  start) ;;
  *) echo "usage: $0 start DIR PORT VIRTUAL_TRANSPORT MAILBOX_COMMAND | stop DIR" >&2; exit 2 ;;
esac
port="$3"; transport="$4"; mailbox_command="$5"
mkdir -p "$dir/etc" "$dir/queue" "$dir/data"
chmod 755 "$dir" "$dir/etc"
chown postfix "$dir/data"
cat > "$dir/etc/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.roost.test
mydomain = roost.test
myorigin = roost.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination = localhost.test
local_recipient_maps =
alias_maps =
alias_database =
mailbox_command = $mailbox_command
virtual_mailbox_domains = example.org
virtual_transport = $transport
smtpd_reject_unlisted_recipient = no
smtpd_relay_restrictions = permit_mynetworks, reject
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
smtputf8_enable = yes
biff = no
CONF
# The stock services without chroot (the queue directory holds no chroot files), SMTP on the private port.
sed -e 's/^\(\S\+\s\+\S\+\s\+\S\+\s\+\S\+\s\+\)y\(\s\)/\1n\2/' -e "s/^smtp\(\s\+inet\)/127.0.0.1:$port\1/" \
  /etc/postfix/master.cf > "$dir/etc/master.cf"
# postfix(1) reports errors only to syslog and to a terminal: "script" gives it one, so they reach the test.
run() { script -qec "$*" /dev/null; }
run postfix -c "$dir/etc" check
run postfix -c "$dir/etc" start
