"""Logs in to Roost from given source addresses with Python's own imaplib or poplib, and prints what it saw.

usage: login_from.py (imap|pop3) (sequential|parallel) HOST PORT USER PASSWORD TIMEOUT SOURCE [SOURCE...]

Each SOURCE is a local address to connect from (127.x.y.z: loopback answers on all of 127/8 on Linux), so
one process looks like many client hosts. "parallel" connects all of them first and sends every login at
the same instant; "sequential" logs in from one after the other. TIMEOUT (seconds) bounds every socket read,
only so that a hang fails the test instead of stalling it. For each source the script prints

    <source> LOGIN OK|NO|TIMEOUT <server text>
    <source> AFTER OK|NO|TIMEOUT <server text>   (a NOOP or STAT after a successful login)
"""
import imaplib
import poplib
import socket
import sys
import threading


class Sourced:
    """Mixed into a client class: connects from the local address SOURCE."""

    def __init__(self, source, host, port, timeout):
        self.source = source
        super().__init__(host, port, timeout=timeout)

    def _create_socket(self, timeout):
        return socket.create_connection((self.host, self.port), timeout, source_address=(self.source, 0))


class SourcedImap(Sourced, imaplib.IMAP4):
    pass


class SourcedPop3(Sourced, poplib.POP3):
    pass


def text(value):
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else b""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value)


def outcome(action):
    """Runs action and returns (status, text): OK, NO (a refusal or a dropped connection) or TIMEOUT."""
    try:
        return "OK", text(action())
    except socket.timeout as e:
        return "TIMEOUT", str(e)
    except (imaplib.IMAP4.error, imaplib.IMAP4.abort, poplib.error_proto, OSError, EOFError) as e:
        return "NO", text(e.args[0] if e.args else e)


class Imap:
    @staticmethod
    def connect(source, host, port, timeout):
        return SourcedImap(source, host, port, timeout)

    @staticmethod
    def login(client, user, password):
        return client.login(user, password)[1]

    @staticmethod
    def after(client):
        return client.noop()[1]

    @staticmethod
    def close(client):
        client.shutdown()


class Pop3:
    @staticmethod
    def connect(source, host, port, timeout):
        return SourcedPop3(source, host, port, timeout)

    @staticmethod
    def login(client, user, password):
        client.user(user)
        return client.pass_(password)

    @staticmethod
    def after(client):
        return client.stat()

    @staticmethod
    def close(client):
        client.close()


def attempt(protocol, client, source, user, password, lines, lock):
    status, said = outcome(lambda: protocol.login(client, user, password))
    report = [f"{source} LOGIN {status} {said}"]
    if status == "OK":
        status, said = outcome(lambda: protocol.after(client))
        report.append(f"{source} AFTER {status} {said}")
    with lock:
        lines.extend(report)
    try:
        protocol.close(client)
    except OSError:
        pass


def main(kind, mode, host, port, user, password, timeout, *sources):
    protocol = {"imap": Imap, "pop3": Pop3}[kind]
    port, timeout = int(port), float(timeout)
    lines, lock = [], threading.Lock()
    if mode == "sequential":
        for source in sources:
            attempt(protocol, protocol.connect(source, host, port, timeout), source, user, password, lines, lock)
    else:
        clients = [(source, protocol.connect(source, host, port, timeout)) for source in sources]
        start = threading.Barrier(len(clients))

        def run(source, client):
            start.wait()
            attempt(protocol, client, source, user, password, lines, lock)

        threads = [threading.Thread(target=run, args=pair) for pair in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
