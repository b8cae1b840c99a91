#!/usr/bin/env python3
"""Fills a private Dovecot (see generate-dovecot-fixture.sh) over IMAP and prints what
Dovecot reports, one tab-separated record per line, for DovecotFixtureTest to compare
(with --report-only it fills nothing and only reports, for check-roost-maildir-with-dovecot.sh):

  mailbox <name, modified UTF-7> <UIDVALIDITY> <UIDNEXT>
  message <mailbox> <UID> <flags, space-separated> <INTERNALDATE epoch seconds> <RFC822.SIZE>
  list    <name> <attributes>
  lsub    <name>
"""
import imaplib
import re
import sys
import time

port = int(sys.argv[1])
report_only = len(sys.argv) > 2 and sys.argv[2] == "--report-only"
imap = imaplib.IMAP4("127.0.0.1", port)
imap.login("fixture", "secret")


def msg(subject, body_lines):
    head = [f"From: Alice <alice@example.org>", "To: Bob <bob@example.org>",
            f"Subject: {subject}", "Date: Mon, 7 Feb 1994 21:52:25 -0800",
            "Message-ID: <%s@example.org>" % subject.replace(" ", "-")]
    return ("\r\n".join(head + [""] + body_lines) + "\r\n").encode()


def append(box, flags, date, subject, lines):
    typ, data = imap.append(box, flags, imaplib.Time2Internaldate(date), msg(subject, lines))
    assert typ == "OK", data


def fill():
    # Folder names: plain, nested, non-ASCII (modified UTF-7 as sent on the wire).
    for name in ["Sent", "Archive", "Archive.2024", "Entw&APw-rfe", "&ZeVnLIqe-",
                 "Deep.Er.Child", "Trash"]:
        typ, data = imap.create('"%s"' % name)
        assert typ == "OK", (name, data)

    base = 1700000000
    append("INBOX", "", base, "plain", ["hello"])
    append("INBOX", r"(\Seen)", base + 60, "seen", ["seen body", "two lines"])
    append("INBOX", r"(\Seen \Answered \Flagged)", base + 120, "many flags", ["x"])
    append("INBOX", r"(\Draft $Forwarded Project-X)", base + 180, "keywords", ["kw"])
    append("INBOX", r"(\Seen $Junk)", base + 240, "junk", ["spam"])
    append("INBOX", "", base + 300, "to be expunged", ["bye"])
    append("Sent", r"(\Seen)", base + 360, "sent one", ["s1"])
    append("Sent", r"(\Seen \Answered)", base + 420, "sent two", ["s2"])
    append('"Entw&APw-rfe"', r"(\Draft)", base + 480, "draft", ["d"])
    append('"&ZeVnLIqe-"', r"(\Flagged NonJunk)", base + 540, "japanese", ["j"])
    append('"Archive.2024"', r"(\Seen)", base + 600, "archived", ["a"])

    # A flag change after delivery (renames the file), and an expunge (a UID gap).
    imap.select("INBOX")
    imap.uid("STORE", "1", "+FLAGS", r"(\Flagged Project-X)")
    typ, data = imap.uid("SEARCH", None, "SUBJECT", '"to be expunged"')
    imap.uid("STORE", data[0].decode(), "+FLAGS", r"(\Deleted)")
    imap.expunge()
    imap.close()

    # RFC 3501 6.3.4: DELETE of a mailbox with inferiors; Dovecot (Maildir++) removes the
    # folder and its mail, the name stays visible as \Noselect while the child exists.
    for name in ["Parent", "Parent.Kid"]:
        imap.create(name)
    append("Parent", "", base + 660, "in parent", ["p"])
    typ, data = imap.delete("Parent")
    assert typ == "OK", data

    for name in ["INBOX", "Sent", "Entw&APw-rfe", "Archive.2024", "Deep.Er.Child"]:
        imap.subscribe('"%s"' % name)


if not report_only:
    fill()

typ, boxes = imap.list('""', "*")
names = []
for line in boxes:
    m = re.match(rb'\(([^)]*)\) "(.)" (.*)', line)
    attrs, name = m.group(1).decode(), m.group(3).decode().strip('"')
    names.append(name)
    print(f"list\t{name}\t{attrs}")
typ, subs = imap.lsub('""', "*")
for line in subs:
    m = re.match(rb'\(([^)]*)\) "(.)" (.*)', line)
    print(f"lsub\t{m.group(3).decode().strip(chr(34))}")

for name in names:
    typ, data = imap.status('"%s"' % name, "(UIDVALIDITY UIDNEXT)")
    if typ != "OK":
        continue
    st = data[0].decode()
    uv = re.search(r"UIDVALIDITY (\d+)", st).group(1)
    un = re.search(r"UIDNEXT (\d+)", st).group(1)
    print(f"mailbox\t{name}\t{uv}\t{un}")
    imap.select('"%s"' % name, readonly=True)
    typ, data = imap.uid("FETCH", "1:*", "(UID FLAGS INTERNALDATE RFC822.SIZE)")
    for item in data:
        if item is None:
            continue
        item = item.decode()
        uid = re.search(r"UID (\d+)", item).group(1)
        flags = re.search(r"FLAGS \(([^)]*)\)", item).group(1).replace(r"\Recent", "").split()
        date = time.mktime(imaplib.Internaldate2tuple(item.encode()))
        size = re.search(r"RFC822.SIZE (\d+)", item).group(1)
        print(f"message\t{name}\t{uid}\t{' '.join(flags)}\t{int(date)}\t{size}")
    imap.close()
imap.logout()
