"""imaplib's search() against Roost: prints one line per search, "<key>: <numbers>"."""
import imaplib
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
imap = imaplib.IMAP4(host, port)
imap.login(user, password)
imap.select("INBOX", readonly=True)
for criteria in sys.argv[5:]:
    status, data = imap.search(None, criteria)
    print("%s: %s" % (criteria, data[0].decode() if status == "OK" else status))
imap.logout()
