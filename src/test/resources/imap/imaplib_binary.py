"""imaplib against Roost's BINARY (RFC 3516): a literal8 APPEND sent as raw bytes through imaplib's own
connection and tags, then FETCH BINARY.PEEK/BINARY.SIZE as imaplib parses them (its literal pattern takes
~{n} too). Prints CAPS, APPEND, SIZE, BINARY (sha256 of what imaplib got) and EXPECTED (of the data appended)."""
import hashlib
import imaplib
import random
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rng = random.Random(3516)
data = bytes(rng.randrange(256) for _ in range(99999)) + b"\0"
message = (b"From: a@example.com\r\nSubject: binary\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
           b"--XX\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n"
           + data + b"\r\n--XX--\r\n")
imap = imaplib.IMAP4(host, port)
imap.login(user, password)
print("CAPS", "BINARY" in imap.capability()[1][0].decode().split())
tag = imap._new_tag()
imap.send(tag + b" APPEND INBOX ~{%d+}\r\n" % len(message) + message + b"\r\n")
print("APPEND", imap._command_complete("APPEND", tag)[0])
imap.select("INBOX")
typ, fetched = imap.fetch("1", "(BINARY.SIZE[2])")
print("SIZE", fetched[0].decode())
typ, fetched = imap.fetch("1", "(BINARY.PEEK[2])")
print("BINARY", fetched[0][0].decode(), hashlib.sha256(fetched[0][1]).hexdigest())
print("EXPECTED", hashlib.sha256(data).hexdigest())
imap.logout()
