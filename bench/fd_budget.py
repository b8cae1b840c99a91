#!/usr/bin/env python3
"""The clients of bench/run-list-status-fds.sh, with imaplib.

  fd_budget.py list HOST PORT USER PASSWORD       one `LIST "" "*" RETURN (STATUS (MESSAGES UNSEEN))`; prints TSV:
                                                  milliseconds, LIST lines, STATUS lines, the tagged answer
  fd_budget.py other HOST PORT USER PASSWORD      another user's LOGIN, SELECT INBOX, APPEND; prints TSV: each
                                                  step's answer (OK, or the NO/BAD/error text), and the milliseconds
                                                  of the three
  fd_budget.py exhaust HOST PORT USER PASSWORD    a session SELECTs INBOX, then connections are opened until the
                                                  server greets none (its descriptors are gone); prints the session's
                                                  FETCH BODY[] answer then, whether the waiting connection is greeted
                                                  once the others close, and the FETCH answer after
"""
import imaplib
import socket
import sys
import time

TIMEOUT = 120
imaplib._MAXLINE = 1 << 24  # a LIST answer line is short, but a NO may quote much


def connect(host, port, user, password):
    client = imaplib.IMAP4(host, int(port), timeout=TIMEOUT)
    client.login(user, password)
    return client


def list_status(host, port, user, password):
    client = connect(host, port, user, password)
    start = time.perf_counter()
    typ, data = client._simple_command("LIST", '""', '"*"', "RETURN", "(STATUS (MESSAGES UNSEEN))")
    elapsed = (time.perf_counter() - start) * 1000
    lists = len(client.untagged_responses.pop("LIST", []))
    statuses = len(client.untagged_responses.pop("STATUS", []))
    answer = typ if typ == "OK" else "%s %s" % (typ, data)
    client.logout()
    print("%.0f\t%d\t%d\t%s" % (elapsed, lists, statuses, answer))


def step(action):
    try:
        typ, data = action()
        return typ if typ == "OK" else "%s %s" % (typ, b" ".join(d for d in data if isinstance(d, bytes)).decode())
    except (imaplib.IMAP4.error, OSError, EOFError) as e:
        return "failed: %s" % e


def other(host, port, user, password):
    start = time.perf_counter()
    client = None

    def login():
        nonlocal client
        client = imaplib.IMAP4(host, int(port), timeout=TIMEOUT)
        return client.login(user, password)

    answers = [step(login)]
    if client is not None and answers[0] == "OK":
        answers.append(step(lambda: client.select("INBOX")))
        message = b"From: a@example.com\r\nSubject: still served\r\n\r\nhello\r\n"
        answers.append(step(lambda: client.append("INBOX", None, None, message)))
        step(client.logout)
    elapsed = (time.perf_counter() - start) * 1000
    print("\t".join(answers + ["-"] * (3 - len(answers)) + ["%.0f" % elapsed]))


def fetch_answer(client):
    try:
        typ, data = client.fetch("1", "(BODY[])")
        return typ if typ == "OK" else "%s %s" % (typ, data)
    except imaplib.IMAP4.error as e:
        return "NO/BAD: %s" % e


def greeted(sock, seconds):
    sock.settimeout(seconds)
    try:
        return sock.recv(200).startswith(b"* OK")
    except socket.timeout:
        return False


def exhaust(host, port, user, password):
    session = connect(host, port, user, password)
    session.append("INBOX", None, None, b"From: a@example.com\r\nSubject: read while out of files\r\n\r\nhi\r\n")
    session.select("INBOX")
    hogs, waiting = [], None
    for _ in range(100000):
        sock = socket.create_connection((host, int(port)))
        if not greeted(sock, 2):
            waiting = sock
            break
        hogs.append(sock)
    during = fetch_answer(session)
    for sock in hogs:
        sock.close()
    recovered = waiting is not None and greeted(waiting, 30)
    after = fetch_answer(session)
    session.logout()
    print("connections greeted before the server ran out: %d\tFETCH then: %s\twaiting connection greeted after "
          "the others closed: %s\tFETCH after: %s" % (len(hogs), during, recovered, after))


if __name__ == "__main__":
    socket.setdefaulttimeout(TIMEOUT)
    {"list": list_status, "other": other, "exhaust": exhaust}[sys.argv[1]](*sys.argv[2:6])
