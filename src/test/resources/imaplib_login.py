"""Logs in to Roost with Python's own imaplib (an independent IMAP client) and prints what it saw.

usage: imaplib_login.py (imaps|starttls|plain) HOST PORT USER PASSWORD
Exit 0 when greeting, CAPABILITY, LOGIN, NOOP and LOGOUT all succeeded; the output lines are
checked by the JUnit test that runs this script.
"""
import imaplib
import ssl
import sys


def tls_context():
    # The test server uses a self-signed certificate on loopback.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def main(mode, host, port, user, password):
    port = int(port)
    if mode == "imaps":
        client = imaplib.IMAP4_SSL(host, port, ssl_context=tls_context())
    else:
        client = imaplib.IMAP4(host, port)
        if mode == "starttls":
            typ, _ = client.starttls(ssl_context=tls_context())
            print("STARTTLS", typ)
    print("GREETING", client.welcome.decode("ascii", "replace"))
    typ, data = client.capability()
    print("CAPABILITY", typ, data[0].decode("ascii"))
    try:
        typ, data = client.login(user, password)
    except (imaplib.IMAP4.error, imaplib.IMAP4.abort) as e:
        print("LOGIN FAILED", e)
        client.logout()
        return 3
    print("LOGIN", typ, data[0].decode("ascii"))
    typ, _ = client.noop()
    print("NOOP", typ)
    typ, data = client.logout()
    print("LOGOUT", typ, data[0].decode("ascii"))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
