"""METADATA (RFC 5464) through Python's imaplib, which has no METADATA methods: the commands go through
_simple_command as a client library's users send them, and the answers are read as imaplib parses them
(METADATA untagged data, a long value as a literal, the tagged response code)."""
import imaplib
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
imaplib.Commands["GETMETADATA"] = ("AUTH", "SELECTED")
imaplib.Commands["SETMETADATA"] = ("AUTH", "SELECTED")

imap = imaplib.IMAP4(host, port)
imap.login(user, password)
typ, data = imap.capability()
print("CAPABILITY", {b"METADATA", b"METADATA-SERVER"} <= set(data[0].split()))
imap.create("Projects")
typ, data = imap._simple_command("SETMETADATA", "Projects", '(/private/comment "' + "x" * 1500 + '")')
print("SETMETADATA long", typ)
typ, data = imap._simple_command("SETMETADATA", "Projects", '(/shared/comment "team notes")')
print("SETMETADATA", typ)
typ, data = imap._simple_command("GETMETADATA", "Projects", "(/private/comment /shared/comment /private/none)")
print("GETMETADATA", typ, imap._untagged_response(typ, data, "METADATA")[1])
imap.rename("Projects", "Archive")
typ, data = imap._simple_command("GETMETADATA", "(DEPTH infinity)", "Archive", "/shared")
print("AFTER RENAME", typ, imap._untagged_response(typ, data, "METADATA")[1])
typ, data = imap._simple_command("GETMETADATA", "(MAXSIZE 5)", "Archive", "(/private/comment /shared/comment)")
# both values are longer than 5 octets: no METADATA data, only the response code, which imaplib files
# under its name
print("MAXSIZE", typ, imap.untagged_responses.pop("METADATA", None))
try:
    imap._simple_command("SETMETADATA", "Archive", '(/private/a//b "x")')
except imap.error as e:
    print("BAD", e)
typ, data = imap._simple_command("GETMETADATA", '""', "(/shared/admin /shared/comment)")
print("SERVER", typ, imap._untagged_response(typ, data, "METADATA")[1])
imap.logout()
