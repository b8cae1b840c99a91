"""Python's smtplib.LMTP against Roost: LHLO features, a multi-recipient transaction with a reply per
recipient after DATA (RFC 2033 §4.2; smtplib reads the first, getreply() the others), pipelined commands
(RFC 2920), BDAT chunks (RFC 3030; smtplib has no BDAT, so they go out through send()), and a UNIX socket.

usage: smtplib_lmtp.py PORT UNIX_SOCKET_PATH   -- prints one "ok NAME" line per check, "FAIL ..." otherwise
"""
import smtplib
import sys

port, unix_path = int(sys.argv[1]), sys.argv[2]
failures = 0


def check(name, condition, detail=""):
    global failures
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else " " + repr(detail)), flush=True)
    failures += 0 if condition else 1


def features():
    with smtplib.LMTP("127.0.0.1", port) as lmtp:
        code, _ = lmtp.ehlo("client.example")  # smtplib.LMTP sends LHLO for ehlo()
        check("LHLO accepted", code == 250, code)
        for feature in ("pipelining", "enhancedstatuscodes", "8bitmime", "smtputf8", "chunking", "size"):
            check("advertises " + feature, lmtp.has_extn(feature), lmtp.esmtp_features)


def per_recipient_replies():
    with smtplib.LMTP("127.0.0.1", port) as lmtp:
        lmtp.ehlo("client.example")
        lmtp.mail("sender@example.org", ["BODY=8BITMIME"])
        accepted = [r for r in ("alice@example.org", "nobody@example.org", "bob@example.org")
                    if lmtp.rcpt(r)[0] == 250]
        check("unknown recipient refused at RCPT", accepted == ["alice@example.org", "bob@example.org"], accepted)
        first = lmtp.data("Subject: smtplib\r\nMessage-ID: <smtplib-1@example.org>\r\n\r\nhello\r\n")
        rest = [lmtp.getreply() for _ in accepted[1:]]
        check("one reply per accepted recipient, in order",
              first[0] == 250 and b"<alice@example.org>" in first[1]
              and rest[0][0] == 250 and b"<bob@example.org>" in rest[0][1], (first, rest))
        check("the connection is in step afterwards", lmtp.noop()[0] == 250)


def pipelined():
    with smtplib.LMTP("127.0.0.1", port) as lmtp:
        lmtp.ehlo("client.example")
        lmtp.send("MAIL FROM:<p@example.org>\r\nRCPT TO:<bob@example.org>\r\nRCPT TO:<nobody@example.org>\r\n"
                  "DATA\r\n")
        codes = [lmtp.getreply()[0] for _ in range(4)]
        check("pipelined replies in order", codes == [250, 250, 550, 354], codes)
        lmtp.send("Subject: pipelined\r\nMessage-ID: <smtplib-2@example.org>\r\n\r\nx\r\n.\r\nNOOP\r\n")
        codes = [lmtp.getreply()[0] for _ in range(2)]
        check("data reply then the pipelined NOOP", codes == [250, 250], codes)


def chunked():
    with smtplib.LMTP("127.0.0.1", port) as lmtp:
        lmtp.ehlo("client.example")
        lmtp.mail("c@example.org")
        lmtp.rcpt("alice@example.org")
        lmtp.rcpt("bob@example.org")
        first = b"Subject: chunked\r\nMessage-ID: <smtplib-3@example.org>\r\n"
        last = b"\r\nsent in two chunks\r\n"
        lmtp.send(b"BDAT %d\r\n" % len(first) + first)
        check("BDAT chunk acknowledged", lmtp.getreply()[0] == 250)
        lmtp.send(b"BDAT %d LAST\r\n" % len(last) + last)
        codes = [lmtp.getreply()[0] for _ in range(2)]
        check("BDAT LAST replies per recipient", codes == [250, 250], codes)


def unix_socket():
    with smtplib.LMTP(unix_path) as lmtp:  # smtplib.LMTP takes a path for a UNIX socket
        lmtp.ehlo("client.example")
        refused = lmtp.sendmail("u@example.org", ["bob@example.org"],
                                "Subject: unix\r\nMessage-ID: <smtplib-4@example.org>\r\n\r\nover a UNIX socket\r\n")
        check("delivered over the UNIX socket", refused == {}, refused)


for step in (features, per_recipient_replies, pipelined, chunked, unix_socket):
    try:
        step()
    except Exception as e:  # a broken step is a failure, and the others still run
        check(step.__name__, False, e)
sys.exit(1 if failures else 0)
