#!/usr/bin/env python3
"""Reads a Maildir that other programs wrote through Roost, with imaplib and poplib, for
ForeignMaildirOverImapTest.

usage: foreign_sizes.py MODE PORT USER PASSWORD [THRESHOLD]
  select   SELECT INBOX only; prints "exists N"
  sizes    UID FETCH 1:* (RFC822.SIZE), STATUS (MESSAGES SIZE), UID SEARCH LARGER/SMALLER THRESHOLD
  bodies   UID FETCH 1:* (BODY.PEEK[]), then (RFC822.SIZE); prints each size beside the length of the body sent
  dates    UID FETCH 1:* (INTERNALDATE) alone and beside a header field (FETCH's two paths), as epoch seconds;
           UID SEARCH SINCE/BEFORE/ON DAY (DAY given as THRESHOLD, e.g. 7-Jun-2005)
  within   UID SEARCH OLDER/YOUNGER SECONDS (RFC 5032; SECONDS given as THRESHOLD) as the first commands
  sort     UID SORT (ARRIVAL), (DATE) and (SIZE) as the first commands (the messages have no Date: field)
  pop3     STAT, LIST, and the octets of each RETR (port is the POP3 port)
Prints one line per fact; the Java test compares them with the sizes it computed from the files."""
import datetime
import imaplib
import poplib
import re
import sys

mode, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]


def responses(data):
    """(uid, response text, literal or None) of each message in a FETCH response."""
    for item in data:
        head = item[0] if isinstance(item, tuple) else item
        if head == b")":
            continue
        text = head.decode()
        yield int(re.search(r"UID (\d+)", text).group(1)), text, item[1] if isinstance(item, tuple) else None


def fetched(data):
    """(uid, RFC822.SIZE, body or None) of each message in a FETCH response."""
    for uid, text, body in responses(data):
        yield uid, int(re.search(r"RFC822\.SIZE (\d+)", text).group(1)), body


def internal_dates(data):
    """(uid, INTERNALDATE as epoch seconds) of each message in a FETCH response."""
    for uid, text, _ in responses(data):
        date = re.search(r'INTERNALDATE "([^"]+)"', text).group(1)
        yield uid, int(datetime.datetime.strptime(date, "%d-%b-%Y %H:%M:%S %z").timestamp())


if mode == "pop3":
    p = poplib.POP3("127.0.0.1", port, timeout=60)
    p.user(user)
    p.pass_(password)
    print("stat %d %d" % p.stat())
    _, listing, _ = p.list()
    for line in listing:
        number, size = line.decode().split()
        _, _, octets = p.retr(int(number))
        print("list", number, size, octets)
    p.quit()
    sys.exit(0)

m = imaplib.IMAP4("127.0.0.1", port, timeout=60)
m.login(user, password)
typ, data = m.select("INBOX")
print("exists", data[0].decode())
if mode == "sizes":
    typ, data = m.uid("FETCH", "1:*", "(RFC822.SIZE)")
    for uid, size, _ in fetched(data):
        print("size", uid, size)
    typ, data = m.status("INBOX", "(MESSAGES SIZE)")
    print("status", data[0].decode())
    for key in ("LARGER", "SMALLER"):
        typ, data = m.uid("SEARCH", key, sys.argv[5])
        print("search", key, data[0].decode())
elif mode == "dates":
    typ, data = m.uid("FETCH", "1:*", "(INTERNALDATE)")
    for uid, date in internal_dates(data):
        print("date", uid, date)
    typ, data = m.uid("FETCH", "1:*", "(INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    for uid, date in internal_dates(data):
        print("date", uid, date)
    for key in ("SINCE", "BEFORE", "ON"):
        typ, data = m.uid("SEARCH", key, sys.argv[5])
        print("search", key, data[0].decode())
elif mode == "bodies":
    typ, data = m.uid("FETCH", "1:*", "(BODY.PEEK[])")
    lengths = {int(re.search(rb"UID (\d+)", item[0]).group(1)): len(item[1]) for item in data if isinstance(item, tuple)}
    typ, data = m.uid("FETCH", "1:*", "(RFC822.SIZE)")
    for uid, size, _ in fetched(data):
        print("body", uid, size, lengths[uid])
elif mode == "sort":
    for key in ("ARRIVAL", "DATE", "SIZE"):
        typ, data = m.uid("SORT", "(%s)" % key, "UTF-8", "ALL")
        print("sort", key, data[0].decode())
elif mode == "within":
    for key in ("OLDER", "YOUNGER"):
        typ, data = m.uid("SEARCH", key, sys.argv[5])
        print("search", key, data[0].decode())
m.logout()
