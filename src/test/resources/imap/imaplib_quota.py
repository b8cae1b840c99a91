#!/usr/bin/env python3
"""RFC 9208 QUOTA through Python's imaplib, run by QuotaCommandTest.

Usage: imaplib_quota.py PORT USER PASSWORD  (the user has limits of 10M and 100 messages, and no mail yet)
Prints one "ok <check>" line per passed check; any failure raises (exit status 1)."""
import imaplib, sys

port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]


def check(name, condition, detail=""):
    if not condition:
        raise AssertionError("%s failed: %r" % (name, detail))
    print("ok", name, flush=True)


m = imaplib.IMAP4("127.0.0.1", port, timeout=20)
m.login(user, password)
typ, data = m.capability()
caps = data[0].split()
check("capability", {b"QUOTA", b"QUOTA=RES-STORAGE", b"QUOTA=RES-MESSAGE"} <= set(caps), caps)

message = b"Subject: quota\r\n\r\n" + b"z" * 3000 + b"\r\n"
for _ in range(2):
    typ, _ = m.append("INBOX", None, None, message)
    assert typ == "OK"

typ, data = m.getquotaroot("INBOX")
check("getquotaroot", typ == "OK" and data == [[b'INBOX "User quota"'],
                                                [b'"User quota" (STORAGE 6 10240 MESSAGE 2 100)']], data)
typ, data = m.getquota('"User quota"')
check("getquota", typ == "OK" and data == [b'"User quota" (STORAGE 6 10240 MESSAGE 2 100)'], data)

m.select("INBOX")
m.store("1", "+FLAGS", "\\Deleted")
typ, data = m.status("INBOX", "(DELETED DELETED-STORAGE)")
check("status deleted", typ == "OK" and data[0].startswith(b"INBOX (DELETED 1 DELETED-STORAGE "), data)
m.expunge()
typ, data = m.getquota('"User quota"')
check("quota after expunge", data == [b'"User quota" (STORAGE 3 10240 MESSAGE 1 100)'], data)
m.logout()
