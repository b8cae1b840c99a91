"""imaplib's sort() and thread() against Roost: appends a small thread, then prints what the
library parsed, one line per call: CAPS, SORT, UIDSORT, THREAD, UIDTHREAD, BADCHARSET."""
import imaplib
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
messages = [
    ("01-Jan-2024 10:00:00 +0000", "Subject: plan\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
     "From: b@x\r\nMessage-ID: <p@x>\r\n\r\nx\r\n"),
    ("02-Jan-2024 10:00:00 +0000", "Subject: Re: plan\r\nDate: Tue, 2 Jan 2024 10:00:00 +0000\r\n"
     "From: a@x\r\nMessage-ID: <r@x>\r\nIn-Reply-To: <p@x>\r\n\r\nx\r\n"),
    ("03-Jan-2024 10:00:00 +0000", "Subject: another\r\nDate: Sun, 31 Dec 2023 10:00:00 +0000\r\n"
     "From: c@x\r\nMessage-ID: <o@x>\r\n\r\nx\r\n"),
]
imap = imaplib.IMAP4(host, port)
imap.login(user, password)
capabilities = imap.capability()[1][0].decode().split()
print("CAPS", " ".join(sorted(c for c in capabilities if c.startswith(("SORT", "ESORT", "THREAD")))))
for date, text in messages:
    imap.append("INBOX", None, imaplib.Time2Internaldate(imaplib.Internaldate2tuple(
        ('INTERNALDATE "%s"' % date).encode())), text.encode())
imap.select("INBOX")
print("SORT", imap.sort("(REVERSE DATE)", "UTF-8", "ALL")[1][0].decode())
print("UIDSORT", imap.uid("SORT", "(FROM)", "UTF-8", "ALL")[1][0].decode())
print("THREAD", imap.thread("REFERENCES", "UTF-8", "ALL")[1][0].decode())
print("UIDTHREAD", imap.uid("THREAD", "ORDEREDSUBJECT", "UTF-8", "ALL")[1][0].decode())
print("BADCHARSET", imap.sort("(DATE)", "KOI8-R", "ALL")[0])
imap.logout()
