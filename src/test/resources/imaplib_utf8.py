"""UTF8=ACCEPT (RFC 6855) through Python's imaplib: enable() switches imaplib to UTF-8 (its _mode_utf8), after which
mailbox names go as UTF-8 quoted strings and come back in UTF-8; a second connection that does not enable it sees
the same mailbox in modified UTF-7."""
import imaplib
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

modern = imaplib.IMAP4(host, port)
modern.login(user, password)
capabilities = modern.capability()[1][0].split()
print("CAPABILITY", b"UTF8=ACCEPT" in capabilities)
# imaplib checks ENABLE against the greeting's capabilities: Roost lists it there too
print("ENABLE", modern.enable("UTF8=ACCEPT"), modern.utf8_enabled)
print("CREATE", modern.create('"Entwürfe"')[0])
print("LIST", modern.list('""', '"Entw*"'))
typ, data = modern.select('"Entwürfe"')
print("SELECT", typ, data)
modern.logout()

legacy = imaplib.IMAP4(host, port)
legacy.login(user, password)
print("LEGACY LIST", legacy.list('""', "Entw*"))
print("LEGACY SELECT", legacy.select("Entw&APw-rfe")[0])
legacy.logout()
