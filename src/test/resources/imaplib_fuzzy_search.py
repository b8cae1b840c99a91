"""SEARCH=FUZZY (RFC 6203) through Python's imaplib: its search() with FUZZY, RETURN (RELEVANCY ALL), whose
ESEARCH answer imaplib keeps untouched, and its sort() by RELEVANCY (section 6)."""
import imaplib
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
imap = imaplib.IMAP4(host, port)
imap.login(user, password)
typ, data = imap.capability()
print("CAPABILITY", b"SEARCH=FUZZY" in data[0].split())
imap.select("INBOX")
print("SEARCH", imap.search(None, "FUZZY", "BODY", '"Helo"'))
typ, data = imap._simple_command("SEARCH", "RETURN", "(RELEVANCY ALL)", "FUZZY", "TEXT", '"Helo"')
answer = imap._untagged_response(typ, data, "ESEARCH")[1][0]
print("ESEARCH", typ, answer.split(b") ", 1)[1])  # after imaplib's own (TAG "...")
print("SORT", imap.sort("(REVERSE RELEVANCY)", "UTF-8", "FUZZY", "BODY", '"Helo"'))
imap.logout()
