#!/bin/sh
# Regenerates src/test/resources/maildir/dovecot-fixture/ with Debian's real Dovecot
# (dovecot-imapd; `apt-get install -y dovecot-imapd`). Not run by `mvn verify`: the fixture
# is committed.
#
# It starts a private Dovecot on 127.0.0.1:$PORT with its own config in a temp dir, lets
# fill-dovecot-fixture.py APPEND messages with flags and keywords, create folders (some with
# non-ASCII names), subscribe, and records what Dovecot reported in
# dovecot-fixture-expected.txt. Then it copies the Maildir minus Dovecot's index files.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PORT=${PORT:-31433}
WORK=$(mktemp -d /tmp/roost-dovecot.XXXXXX)
. "$HERE/private-dovecot.sh"
private_dovecot_setup
private_dovecot_start
trap private_dovecot_stop EXIT
python3 "$HERE/fill-dovecot-fixture.py" "$PORT" > "$WORK/expected.txt"
private_dovecot_stop
trap - EXIT
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
