"""Python's imaplib against issue 11's long commands; prints one line per outcome for the Java test.

usage: imaplib_long_commands.py list|search PORT USER PASSWORD
  list:   the 43-byte LIST pattern of issue 11 (answered at once), then one with too many wildcards
  search: prints SEARCHING, then runs a SEARCH that would take minutes; the test kicks the session
"""
import imaplib
import sys

mode, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
imap = imaplib.IMAP4("127.0.0.1", port)
imap.login(user, password)
if mode == "list":
    typ, data = imap.list('""', "*%" * 10 + "x")
    print("LIST", typ, [d.decode() for d in data if d is not None], flush=True)
    try:
        imap.list('""', "*%" * 40 + "x")
        print("LIST-TOO-MANY accepted", flush=True)
    except imaplib.IMAP4.error as e:
        print("LIST-TOO-MANY", e, flush=True)
    imap.logout()
else:
    imap.select("INBOX")
    print("SEARCHING", flush=True)
    try:
        imap.search(None, *(["BODY", "lorem"] * 5000))
        print("SEARCH finished", flush=True)
    except imaplib.IMAP4.abort as e:
        print("ABORT", e, flush=True)
