"""APPENDs messages with the internal dates given, then prints what Python's imaplib reads back:
FETCH INTERNALDATE, SEARCH BEFORE/ON/SINCE, and the error of an impossible date.
Usage: imaplib_dates.py HOST PORT USER PASSWORD DATE..."""
import datetime
import imaplib
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
message = b"Subject: dated\r\n\r\nx\r\n"
imap = imaplib.IMAP4(host, port)
imap.login(user, password)
for date in sys.argv[5:]:
    typ, data = imap.append("INBOX", None, '"%s"' % date, message)
    print("APPEND", typ)
# imaplib's own formatting of an aware datetime
typ, data = imap.append("INBOX", None, datetime.datetime(1969, 7, 20, 20, 17, 40, tzinfo=datetime.timezone.utc), message)
print("APPEND", typ)
try:
    imap.append("INBOX", None, '"31-Feb-2020 00:00:00 +0000"', message)
    print("APPEND-IMPOSSIBLE accepted")
except imaplib.IMAP4.error as e:
    print("APPEND-IMPOSSIBLE", str(e))
imap.select("INBOX")
typ, data = imap.fetch("1:*", "(INTERNALDATE)")
for line in data:
    print("FETCH", line.decode("ascii"))
for criteria in ("ON 1-Jan-0001", "BEFORE 1-Jan-1970", "SINCE 1-Jan-2107", "ON 20-Jul-1969", "ON 31-Dec-9999"):
    typ, data = imap.search(None, criteria)
    print("SEARCH", criteria, "->", data[0].decode("ascii"))
imap.logout()
