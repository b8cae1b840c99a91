"""NOTIFY (RFC 5465) with Python's own clients: imaplib watches INBOX (selected) and "misc"; smtplib's
LMTP client delivers, poplib deletes, a second imaplib session appends to misc. Prints each line the
watching session is sent unasked, as imaplib reads it, then what its next NOOP's parsed responses hold."""
import imaplib
import poplib
import smtplib
import sys

host, imap_port, lmtp_port, pop3_port, user, password = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    int(sys.argv[4]), sys.argv[5], sys.argv[6]
imaplib.Commands["NOTIFY"] = ("AUTH", "SELECTED")

watcher = imaplib.IMAP4(host, imap_port)
watcher.login(user, password)
other = imaplib.IMAP4(host, imap_port)
other.login(user, password)
other.create("misc")
watcher.select("INBOX")
typ, data = watcher._simple_command("NOTIFY", "SET", "(SELECTED (MessageNew (UID) MessageExpunge))",
                                    "(MAILBOXES misc (MessageNew MessageExpunge))")
print("NOTIFY", typ)


def pushed(n):
    for _ in range(n):
        print("PUSHED", watcher.readline().decode().rstrip("\r\n"))
    sys.stdout.flush()


with smtplib.LMTP(host, lmtp_port) as lmtp:
    lmtp.sendmail("sender@example.org", [user + "@example.org"], b"Subject: by LMTP\r\n\r\nhello\r\n")
pushed(3)  # EXISTS, RECENT, FETCH (UID)

pop = poplib.POP3(host, pop3_port)
pop.user(user)
pop.pass_(password)
pop.dele(1)
pop.quit()
pushed(1)  # EXPUNGE

other.append("misc", None, None, b"Subject: elsewhere\r\n\r\nhi\r\n")
pushed(1)  # STATUS misc

other.append("misc", None, None, b"Subject: again\r\n\r\nhi\r\n")
typ, data = watcher.noop()
print("NOOP", typ, watcher.untagged_responses.get("STATUS"))
watcher.logout()
other.logout()
