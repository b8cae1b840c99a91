#!/usr/bin/env python3
"""LIST-STATUS timing for bench/run-list-status-vs-dovecot.sh.

  list_status.py generate ROOT FOLDERS MESSAGES   writes a Maildir++ with FOLDERS folders of MESSAGES messages
  list_status.py measure HOST PORT USER PASSWORD RUNS LABEL ITEMS [PATTERN]
                                                  times `LIST "" "*" RETURN (STATUS (ITEMS))` (ITEMS "-": a plain
                                                  LIST; PATTERN instead of "*"), prints TSV:
                                                  label, items, LIST lines, STATUS lines, first ms, median ms,
                                                  10th and 90th percentile ms (of runs 2..RUNS)
"""
import os
import socket
import statistics
import sys
import time


def generate(root, folders, messages):
    for folder in [""] + [".f%04d" % i for i in range(folders)]:
        base = os.path.join(root, folder)
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(base, sub), exist_ok=True)
        if folder:
            open(os.path.join(base, "maildirfolder"), "w").close()
        for m in range(messages if folder else 0):
            body = "From: a@example.com\r\nSubject: message %d of %s\r\n\r\n%s\r\n" % (m, folder, "x" * (100 + m))
            flags = "S" if m % 3 else ""
            name = "%d.M%dP1.bench,S=%d:2,%s" % (1700000000 + m, m, len(body), flags)
            with open(os.path.join(base, "cur", name), "w", newline="") as f:
                f.write(body)


class Client:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))
        self.buf = b""
        self.tag = 0
        self.line()  # greeting

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise EOFError("server closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def run(self, command):
        self.tag += 1
        tag = b"t%d" % self.tag
        self.sock.sendall(tag + b" " + command.encode() + b"\r\n")
        lines = []
        while True:
            line = self.line()
            if line.startswith(tag + b" "):
                if not line.startswith(tag + b" OK"):
                    raise RuntimeError(line.decode(errors="replace"))
                return lines
            lines.append(line)


def measure(host, port, user, password, runs, label, items, pattern="*"):
    client = Client(host, int(port))
    client.run('LOGIN "%s" "%s"' % (user, password))
    command = 'LIST "" "%s"' % pattern
    if items != "-":
        command += " RETURN (STATUS (%s))" % items
    times, lines = [], []
    for _ in range(int(runs)):
        start = time.perf_counter()
        lines = client.run(command)
        times.append((time.perf_counter() - start) * 1000)
    client.run("LOGOUT")
    lists = sum(1 for line in lines if line.startswith(b"* LIST"))
    statuses = sum(1 for line in lines if line.startswith(b"* STATUS"))
    rest = sorted(times[1:] or times)
    print("%s\t%s\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f" % (label, items, lists, statuses, times[0],
                                                    statistics.median(rest), rest[len(rest) // 10],
                                                    rest[(len(rest) * 9) // 10]))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        measure(*sys.argv[2:10])
