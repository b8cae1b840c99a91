"""UIDONLY (RFC 9586) through Python's imaplib: ENABLE, then the numbered commands refused with
BAD [UIDREQUIRED] and the UID forms answered with UIDFETCH and VANISHED, which imaplib files under
their own names. Prints one line per step, as imaplib parsed it."""
import imaplib
import sys

port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
imap = imaplib.IMAP4("127.0.0.1", port)
imap.login(user, password)
imap._get_capabilities()  # imaplib keeps those of the greeting otherwise
print("CAPABILITY", "UIDONLY" in imap.capabilities)
for subject in (b"one", b"two", b"three"):
    imap.append("INBOX", None, None, b"Subject: " + subject + b"\r\n\r\nbody\r\n")
typ, data = imap.enable("UIDONLY")
print("ENABLE", typ, imap.untagged_responses.pop("ENABLED", None))
imap.select("INBOX")
print("UNSEEN code", imap.untagged_responses.get("UNSEEN"))


def refused(command, *args):
    try:
        getattr(imap, command)(*args)
        print(command, "accepted")
    except imaplib.IMAP4.error as e:
        print(command, "refused", e)


refused("fetch", "1", "(FLAGS)")
refused("store", "1:*", "+FLAGS", "(\\Seen)")
refused("search", None, "ALL")
refused("copy", "2", "INBOX")

typ, data = imap.uid("FETCH", "1:*", "(FLAGS)")
print("UID FETCH", typ, imap.untagged_responses.pop("UIDFETCH", None))
typ, data = imap.uid("STORE", "2", "+FLAGS", "(\\Deleted)")
print("UID STORE", typ, imap.untagged_responses.pop("UIDFETCH", None))
typ, data = imap.uid("SEARCH", "DELETED")
print("UID SEARCH", typ, data)
refused("_simple_command", "UID", "SEARCH", "2")
typ, data = imap.expunge()
print("EXPUNGE", typ, imap.untagged_responses.pop("VANISHED", None))
imap.logout()
