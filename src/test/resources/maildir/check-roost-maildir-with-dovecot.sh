#!/bin/sh
# The reverse of the fixture test: Roost writes a Maildir (RoostMaildirForDovecotTest, run with
# -Droost.export.maildir), then Debian's real Dovecot serves it and fill-dovecot-fixture.py
# --report-only prints what Dovecot sees. The two reports must be identical: same folders,
# subscriptions, UIDVALIDITY, UIDNEXT, UIDs, flags, keywords, INTERNALDATE and RFC822.SIZE.
# Run by hand from the repository root (needs root for the private Dovecot); not part of
# `mvn verify`. Exit status 0 when Dovecot agrees.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../../.." && pwd)
PORT=${PORT:-31434}
WORK=$(mktemp -d /tmp/roost-dovecot-check.XXXXXX)
. "$HERE/private-dovecot.sh"
private_dovecot_setup
(cd "$REPO" && mvn -B -q verify -Dtest=RoostMaildirForDovecotTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Droost.export.maildir="$WORK/mail/fixture" -Droost.export.report="$WORK/roost.txt")
chown -R dovenull:dovenull "$WORK/mail"
private_dovecot_start
trap private_dovecot_stop EXIT
python3 "$HERE/fill-dovecot-fixture.py" "$PORT" --report-only > "$WORK/dovecot.txt"
# Flag and attribute order is not part of the contract: sort the words of those fields.
normalize() {
  python3 -c '
import sys
for line in sys.stdin:
    f = line.rstrip("\n").split("\t")
    if f[0] == "message":
        f[3] = " ".join(sorted(f[3].split()))
    if f[0] == "list":
        f[2] = " ".join(sorted(f[2].split()))
    print("\t".join(f))
' | sort
}
normalize < "$WORK/roost.txt" > "$WORK/roost.sorted"
normalize < "$WORK/dovecot.txt" > "$WORK/dovecot.sorted"
if diff -u "$WORK/roost.sorted" "$WORK/dovecot.sorted"; then
  echo "Dovecot reads Roost's Maildir exactly as Roost does ($(wc -l < "$WORK/roost.sorted") records)"
else
  echo "MISMATCH (left: Roost, right: Dovecot); files in $WORK" >&2
  exit 1
fi
