"""ACL (RFC 4314) through Python's imaplib: its getacl, setacl, deleteacl and myrights, and LISTRIGHTS, which it
lacks, sent as its users send it."""
import imaplib
import sys

imaplib.Commands["LISTRIGHTS"] = ("AUTH", "SELECTED")

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
imap = imaplib.IMAP4(host, port)
imap.login(user, password)
typ, data = imap.capability()
print("CAPABILITY", {b"ACL", b"RIGHTS=texk"} <= set(data[0].split()))
imap.create("Team")
print("MYRIGHTS", imap.myrights("Team"))
print("SETACL", imap.setacl("Team", "fred", "lrs")[0])
print("SETACL negative", imap.setacl("Team", "-fred", "s")[0])
print("GETACL", imap.getacl("Team"))
typ, data = imap._simple_command("LISTRIGHTS", "Team", "fred")
print("LISTRIGHTS", typ, imap._untagged_response(typ, data, "LISTRIGHTS")[1])
print("DELETEACL", imap.deleteacl("Team", "fred")[0])
print("GETACL after", imap.getacl("Team"))
try:
    imap.setacl("Team", "fred", "lrQ")
except imaplib.IMAP4.error as e:
    print("BAD", e)
imap.logout()
