"""imaplib against Roost's OBJECTID, SAVEDATE and PREVIEW: creates a folder, appends a message and its reply,
moves the reply, then prints what the library received, one line per step: CAPS, CREATE, STATUS, FETCH, SEARCH,
MOVED, SAVED, PREVIEW."""
import imaplib
import re
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
imap = imaplib.IMAP4(host, port)
imap.login(user, password)
capabilities = imap.capability()[1][0].decode().split()
print("CAPS", " ".join(sorted(c for c in capabilities if c in ("OBJECTID", "SAVEDATE", "PREVIEW"))))
created = imap.create("Archive")
folder_id = re.search(r"\[MAILBOXID \((F[0-9a-f]{32})\)\]", created[1][0].decode()).group(1)
print("CREATE", created[0])
status = imap.status("Archive", "(MAILBOXID)")[1][0].decode()
print("STATUS", status == 'Archive (MAILBOXID (%s))' % folder_id)
imap.append("INBOX", None, None, b"Subject: a\r\nMessage-ID: <a@x>\r\n\r\na\r\n")
imap.append("INBOX", None, None, b"Subject: b\r\nMessage-ID: <b@x>\r\nIn-Reply-To: <a@x>\r\n\r\nb\r\n")
imap.select("INBOX")
fetched = [line.decode() for line in imap.fetch("1:2", "(EMAILID THREADID)")[1]]
ids = [re.search(r"EMAILID \((M\w+)\) THREADID \((T\w+)\)", line).groups() for line in fetched]
print("FETCH", ids[0][0] != ids[1][0], ids[0][1] == ids[1][1])
print("SEARCH", imap.search(None, "THREADID", ids[0][1])[1][0].decode())
imap.uid("MOVE", "2", "Archive")
imap.select("Archive")
moved = imap.fetch("1", "(EMAILID)")[1][0].decode()
print("MOVED", moved == "1 (EMAILID (%s))" % ids[1][0])
print("SAVED", imap.search(None, "SAVEDATESUPPORTED")[1][0].decode(),
      re.match(r'1 \(SAVEDATE "\d\d-\w\w\w-\d{4} \d\d:\d\d:\d\d [+-]\d{4}"\)$',
               imap.fetch("1", "(SAVEDATE)")[1][0].decode()) is not None)
print("PREVIEW", imap.fetch("1", "(PREVIEW)")[1][0].decode())
imap.logout()
