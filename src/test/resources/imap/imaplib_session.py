#!/usr/bin/env python3
"""The RFC 3501 scenarios through Python's imaplib, run by PythonImaplibTest.

Usage: imaplib_session.py PORT USER PASSWORD CORPUS_DIR
Prints one "ok <check>" line per passed check; any failure raises (exit status 1)."""
import email.utils, glob, imaplib, os, re, socket, sys, time

port, user, password, corpus = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]


def check(name, condition, detail=""):
    if not condition:
        raise AssertionError("%s failed: %r" % (name, detail))
    print("ok", name, flush=True)


def connect():
    m = imaplib.IMAP4("127.0.0.1", port, timeout=20)
    m.login(user, password)
    return m


a = connect()
typ, caps = a.capability()
check("capability", b"IMAP4rev1" in caps[0] and b"UIDPLUS" in caps[0], caps)

# folders, including a modified UTF-7 name (RFC 3501 §5.1.3) and hierarchy under a parent that exists only
# because a child does (mbox files cannot hold both messages and mailboxes, so no parent holds messages here)
typ, listing = a.list('""', '""')
d = re.search(rb'\) "(.)" ', listing[0]).group(1).decode()
for name in ("Work", "Projects%sReports" % d, "Entw&APw-rfe"):
    typ, _ = a.create(name)
    check("create " + name, typ == "OK")
typ, listing = a.list('""', "*")
names = sorted(re.search(rb'"' + re.escape(d.encode()) + rb'" (.*)$', l).group(1).strip(b'"').decode() for l in listing)
check("list", names == ["Entw&APw-rfe", "INBOX", "Projects", "Projects%sReports" % d, "Work"], names)
typ, listing = a.list('""', "%")
check("list %", len(listing) == 4, listing)
typ, _ = a.rename("Projects%sReports" % d, "Projects%sOld" % d)
typ, listing = a.list("Projects" + d, "%")
check("rename + list with reference", typ == "OK"
      and listing == [('(\\HasNoChildren) "%s" Projects%sOld' % (d, d)).encode()], listing)
a.subscribe("Work")
typ, listing = a.lsub('""', "*")
check("lsub", listing == [('() "%s" Work' % d).encode()], listing)
typ, _ = a.delete("Entw&APw-rfe")
check("delete", typ == "OK")

# APPEND with flags and date, then a byte-exact round trip of the corpus
date = imaplib.Time2Internaldate(time.mktime((2020, 2, 29, 12, 0, 0, 0, 0, -1)))
typ, data = a.append("INBOX", r"(\Flagged $Label1)", date, b"Subject: dated\r\n\r\nhello\r\n")
check("append flags+date", typ == "OK" and b"APPENDUID" in data[0], data)
files = sorted(glob.glob(os.path.join(corpus, "*.eml")))
originals = [open(f, "rb").read() for f in files]
for raw in originals:
    typ, _ = a.append("Work", None, None, raw)
    assert typ == "OK"
typ, data = a.status("Work", "(MESSAGES UNSEEN UIDNEXT)")
check("status", data[0] == b"Work (MESSAGES %d UNSEEN %d UIDNEXT %d)" % (len(files), len(files), len(files) + 1), data)

typ, data = a.select("Work")
check("select", data == [str(len(files)).encode()], data)
for i, raw in enumerate(originals, 1):
    typ, data = a.fetch(str(i), "(BODY.PEEK[])")
    want = re.sub(rb"(?<!\r)\n", b"\r\n", raw).replace(b"\0", b"\x80")
    assert data[0][1] == want, (files[i - 1], data[0][1][:200], want[:200])
check("fetch BODY[] round trip of %d corpus messages" % len(files), True)

typ, data = a.fetch("1", "(BODY[TEXT]<0.10>)")
check("implicit \\Seen reported with FLAGS", b"\\Seen" in data[0][0] or b"\\Seen" in data[1], data)

# flags
typ, data = a.store("2:3", "+FLAGS", r"(\Answered Project-X)")
check("store +flags", typ == "OK" and len(data) == 2 and b"Project-X" in data[0], data)
typ, data = a.store("3", "-FLAGS.SILENT", r"(Project-X)")
check("store -flags.silent", typ == "OK" and data == [None], data)
typ, data = a.fetch("2:3", "(FLAGS)")
check("fetch flags", b"\\Answered" in data[0] and b"Project-X" in data[0] and b"Project-X" not in data[1], data)

# search
typ, data = a.search(None, "ANSWERED")
check("search ANSWERED", data == [b"2 3"], data)
typ, data = a.search(None, "OR", "KEYWORD", "Project-X", "SEEN")
check("search OR", data == [b"1 2"], data)
typ, data = a.search(None, "NOT", "(ANSWERED SEEN)")
check("search NOT (...)", data[0].split()[:3] == [b"1", b"2", b"3"] or data[0].split()[0] == b"1", data)
typ, data = a.uid("SEARCH", "UID", "5:*")
check("uid search", data[0].split()[0] == b"5", data)
typ, data = a.search("UTF-8", "SUBJECT", "encoded")
check("search charset", typ == "OK", data)
typ, data = a.search("KOI8-R", "ALL")
check("badcharset", typ == "NO" and b"[BADCHARSET" in data[0], data)

# copy and UID copy with COPYUID
typ, data = a.copy("1:2", "INBOX")
check("copy COPYUID", typ == "OK" and b"COPYUID" in data[0], data)
typ, data = a.uid("COPY", "3", "INBOX")
check("uid copy", typ == "OK", data)

# expunge with two sessions open on the same mailbox
b = connect()
b.select("Work")
a.store("1", "+FLAGS.SILENT", r"(\Deleted)")
typ, data = a.expunge()
check("expunge", data == [b"1"], data)
typ, data = b.noop()
expunges = b.untagged_responses.get("EXPUNGE", [])
check("other session sees EXPUNGE at NOOP", expunges == [b"1"], b.untagged_responses)
typ, data = b.fetch("1", "(UID)")
check("renumbered", data == [b"1 (UID 2)"], data)

# the appended dated message in INBOX
a.select("INBOX")
typ, data = a.fetch("1", "(FLAGS INTERNALDATE)")
check("flags+date kept", b"\\Flagged" in data[0] and b"$Label1" in data[0] and b"29-Feb-2020" in data[0], data)
typ, data = a.fetch("2:3", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
check("copied messages", typ == "OK" and len(data) == 4, data)

# a raw IDLE (imaplib has no IDLE before 3.14): another session's APPEND is pushed
s = socket.create_connection(("127.0.0.1", port), timeout=20)
f = s.makefile("rb")
f.readline()
s.sendall(b"l LOGIN %s %s\r\ns SELECT INBOX\r\ni IDLE\r\n" % (user.encode(), password.encode()))
while not f.readline().startswith(b"+"):
    pass
b.append("INBOX", None, None, b"Subject: pushed\r\n\r\nx\r\n")
line = f.readline()
check("IDLE pushes EXISTS", line == b"* 5 EXISTS\r\n", line)
s.sendall(b"DONE\r\n")
while True:
    line = f.readline()
    if line.startswith(b"i "):
        break
check("IDLE done", line.startswith(b"i OK"), line)
s.close()

a.logout()
b.logout()
print("done")
