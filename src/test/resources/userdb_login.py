"""Logs in to Roost with Python's imaplib or poplib and prints one line: OK, or NO with the server's answer.

usage: userdb_login.py MODE HOST PORT USER SECRET
MODE: login (IMAP LOGIN), plain (IMAP AUTHENTICATE PLAIN), oauthbearer / xoauth2 (IMAP AUTHENTICATE with the
token as SECRET, as Thunderbird and the Gmail/Outlook examples send it), pop3 (USER/PASS), pop3-xoauth2.
"""
import base64
import imaplib
import poplib
import sys


def oauthbearer(user, token):
    return "n,a=%s,\x01auth=Bearer %s\x01\x01" % (user.replace("=", "=3D").replace(",", "=2C"), token)


def xoauth2(user, token):
    return "user=%s\x01auth=Bearer %s\x01\x01" % (user, token)


def imap(mode, host, port, user, secret):
    client = imaplib.IMAP4(host, port)
    try:
        if mode == "login":
            client.login(user, secret)
        else:
            first = {"plain": lambda: "\0%s\0%s" % (user, secret),
                     "oauthbearer": lambda: oauthbearer(user, secret),
                     "xoauth2": lambda: xoauth2(user, secret)}[mode]()
            sent = []

            def respond(challenge):
                # The first call answers the empty continuation; after an error challenge, OAUTHBEARER
                # acknowledges with ^A and XOAUTH2 with an empty response (RFC 7628 section 3.2.3).
                if not sent:
                    sent.append(1)
                    return first
                print("CHALLENGE", challenge.decode("utf-8", "replace"))
                return "\x01" if mode == "oauthbearer" else ""

            client.authenticate(mode.upper(), respond)
        typ, _ = client.noop()
        print("OK", typ)
        client.logout()
    except imaplib.IMAP4.error as e:
        print("NO", e)


def pop3(mode, host, port, user, secret):
    client = poplib.POP3(host, port)
    try:
        if mode == "pop3":
            client.user(user)
            client.pass_(secret)
        else:
            # RFC 5034 section 4: a response longer than the 255-octet command line follows the empty challenge.
            encoded = base64.b64encode(xoauth2(user, secret).encode()).decode()
            challenge = client._shortcmd("AUTH XOAUTH2")
            if not challenge.startswith(b"+"):
                raise poplib.error_proto(challenge)
            answer = client._shortcmd(encoded)
            if not answer.startswith(b"+OK"):
                raise poplib.error_proto(answer)
        client.stat()
        print("OK")
        client.quit()
    except poplib.error_proto as e:
        print("NO", e)


def main(mode, host, port, user, secret):
    if mode.startswith("pop3"):
        pop3(mode, host, int(port), user, secret)
    else:
        imap(mode, host, int(port), user, secret)


if __name__ == "__main__":
    main(*sys.argv[1:])
