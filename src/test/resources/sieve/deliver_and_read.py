#!/usr/bin/env python3
"""Delivers messages over LMTP with smtplib, then reads every mailbox back over IMAP with imaplib.

usage: deliver_and_read.py LMTP_PORT IMAP_PORT USER PASSWORD MESSAGES.json
MESSAGES.json: [{"sender": ..., "recipient": ..., "file": ...}, ...]
Prints one line per LMTP reply ("LMTP <code>") and then, sorted, one line per stored message:
"MAILBOX|SUBJECT|FLAGS" with the flags sorted and \\Recent left out.
"""
import email
import imaplib
import json
import re
import smtplib
import sys

lmtp_port, imap_port, user, password, listing = sys.argv[1:6]
with open(listing) as f:
    messages = json.load(f)

for m in messages:
    with open(m["file"], "rb") as f:
        data = f.read()
    lmtp = smtplib.LMTP("127.0.0.1", int(lmtp_port))
    try:
        lmtp.sendmail(m["sender"], [m["recipient"]], data)
        print("LMTP 250")
    except smtplib.SMTPRecipientsRefused as e:
        print("LMTP %d" % list(e.recipients.values())[0][0])
    finally:
        lmtp.quit()

imap = imaplib.IMAP4("127.0.0.1", int(imap_port))
imap.login(user, password)
typ, boxes = imap.list()
names = []
for line in boxes:
    match = re.match(rb'\((.*?)\) "(.)" (.*)$', line)
    name = match.group(3).decode()
    if name.startswith('"'):
        name = name[1:-1]
    if b"\\Noselect" not in match.group(1):
        names.append(name)
found = []
for name in names:
    typ, data = imap.select('"%s"' % name, readonly=True)
    if int(data[0]) == 0:
        continue
    typ, fetched = imap.fetch("1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    for item in fetched:
        if not isinstance(item, tuple):
            continue
        flags = re.search(rb"FLAGS \((.*?)\)", item[0]).group(1).decode().split()
        flags = sorted(f for f in flags if f != "\\Recent")
        subject = email.message_from_bytes(item[1])["Subject"]
        found.append("%s|%s|%s" % (name, subject, " ".join(flags)))
imap.logout()
for line in sorted(found):
    print(line)
