#!/usr/bin/env python3
"""LIST-EXTENDED, LIST-STATUS, SPECIAL-USE and STATUS=SIZE through Python's imaplib, run by ListingClientsTest.

Usage: imaplib_listing.py PORT USER PASSWORD  (a fresh user)
Prints one "ok <check>" line per passed check; any failure raises (exit status 1)."""
import imaplib, sys

port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]


def check(name, condition, detail=""):
    if not condition:
        raise AssertionError("%s failed: %r" % (name, detail))
    print("ok", name, flush=True)


m = imaplib.IMAP4("127.0.0.1", port, timeout=20)
m.login(user, password)
caps = set(m.capability()[1][0].decode().split())
check("capability", {"LIST-EXTENDED", "LIST-STATUS", "SPECIAL-USE", "CREATE-SPECIAL-USE", "STATUS=SIZE"} <= caps, caps)

typ, data = m.create("MySent (USE (\\Sent))")
check("create with a use", typ == "OK", data)
typ, data = m.create("Everything (USE (\\All))")
check("create with an unsupported use", typ == "NO" and data == [b"[USEATTR] \\All not supported"], data)

message = b"Subject: listing\r\n\r\nhello\r\n"
m.append("MySent", "(\\Seen)", None, message)
m.append("MySent", None, None, message)

typ, data = m.list('""', '"*" RETURN (SPECIAL-USE)')
check("list return special-use", typ == "OK" and data == [b'() "." INBOX', b'(\\Sent) "." MySent'], data)

typ, data = m.list('(SPECIAL-USE) ""', '"*"')
check("list selection special-use", typ == "OK" and data == [b'(\\Sent) "." MySent'], data)

typ, data = m.list('""', '"*" RETURN (STATUS (MESSAGES UNSEEN SIZE))')
statuses = m.response("STATUS")[1]
check("list-status", typ == "OK" and data == [b'() "." INBOX', b'() "." MySent']
      and statuses == [b"INBOX (MESSAGES 0 UNSEEN 0 SIZE 0)", b"MySent (MESSAGES 2 UNSEEN 1 SIZE %d)" % (2 * len(message))],
      (data, statuses))

typ, data = m.status("MySent", "(SIZE DELETED)")
check("status size deleted", typ == "OK" and data == [b"MySent (SIZE %d DELETED 0)" % (2 * len(message))], data)

m.subscribe("Gone")
typ, data = m.list('(SUBSCRIBED) ""', '"*"')
check("list subscribed", typ == "OK" and data == [b'(\\Subscribed \\NonExistent) "." Gone'], data)
m.logout()
