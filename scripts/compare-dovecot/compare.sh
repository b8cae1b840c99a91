#!/usr/bin/env bash
# Side-by-side comparison of Roost and Debian's Dovecot over the same generated Maildir.
# See README.md. Needs root (installs dovecot-imapd if missing, runs Dovecot as a private instance).
set -euo pipefail
exec python3 "$(dirname "$0")/compare.py" "$@"
