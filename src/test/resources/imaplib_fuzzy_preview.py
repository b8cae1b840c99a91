"""PREVIEW=FUZZY and SNIPPET=FUZZY through Python's imaplib: the capabilities as it lists them, and FETCH of the draft
items as imaplib hands their answers to a program (a quoted preview, and one sent as a literal)."""
import imaplib
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
imap = imaplib.IMAP4(host, port)
imap.login(user, password)
capabilities = imap.capability()[1][0].split()
print("CAPABILITY", b"PREVIEW=FUZZY" in capabilities, b"SNIPPET=FUZZY" in capabilities)
imap.select("INBOX")
for items in ("(SNIPPET (FUZZY))", "(PREVIEW (FUZZY))", "(PREVIEW)", "(SNIPPET (LAZY) UID)"):
    typ, data = imap.fetch("1:2", items)
    print(items, typ, data)
imap.logout()
