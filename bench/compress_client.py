#!/usr/bin/env python3
"""The client side of bench/run-compress-vs-dovecot.sh.

  compress_client.py fetch PORT USER PASSWORD deflate|plain
      One session: LOGIN, [COMPRESS DEFLATE], SELECT INBOX, then FETCH 1:* (BODY.PEEK[HEADER]) timed from the
      command's first byte sent to its tagged OK read (the inflating done by zlib in C, the answer only scanned
      for its end). Prints: seconds, bytes on the wire, bytes inflated.
  compress_client.py idle PORT USER PASSWORD deflate|plain COUNT
      COUNT sessions: LOGIN, [COMPRESS DEFLATE], SELECT INBOX, NOOP; prints READY, holds them until stdin closes."""
import socket, sys, time, zlib


class Session:
    def __init__(self, port, compress):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.compress = compress
        self.deflate = self.inflate = None
        self.wire = 0
        self.inflated = 0
        self.read_until(b"\r\n")

    def send(self, line):
        data = line.encode() + b"\r\n"
        if self.deflate:
            data = self.deflate.compress(data) + self.deflate.flush(zlib.Z_SYNC_FLUSH)
        self.sock.sendall(data)

    def receive(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise SystemExit("connection closed")
        self.wire += len(chunk)
        if self.inflate:
            chunk = self.inflate.decompress(chunk)
        self.inflated += len(chunk)
        return chunk

    def read_until(self, end):
        """Reads until `end` is seen (the start counts as a line start); keeps only a tail, so a long answer
        costs no Python memory. Returns what follows `end` in the bytes read."""
        tail = b"\r\n"
        while end not in tail:
            tail = tail[-len(end):] + self.receive()
        return tail[tail.index(end) + len(end):]

    def command(self, tag, line):
        self.send(tag + " " + line)
        status = self.read_until(b"\r\n" + tag.encode() + b" ")
        while len(status) < 2:
            status += self.receive()
        if not status.startswith(b"OK"):
            raise SystemExit("%s failed: %r" % (line, status[:200]))

    def start(self, user, password, mode):
        self.command("a", "LOGIN %s %s" % (user, password))
        if mode == "deflate":
            self.command("b", "COMPRESS DEFLATE")
            self.deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
            self.inflate = zlib.decompressobj(-15)
        self.command("c", "SELECT INBOX")


def main():
    what, port, user, password, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    if what == "fetch":
        s = Session(port, mode == "deflate")
        s.start(user, password, mode)
        wire, inflated = s.wire, s.inflated
        began = time.perf_counter()
        s.command("f", "FETCH 1:* (BODY.PEEK[HEADER])")
        took = time.perf_counter() - began
        print("%.4f %d %d" % (took, s.wire - wire, s.inflated - inflated), flush=True)
        s.command("z", "LOGOUT")
    else:
        sessions = []
        for _ in range(int(sys.argv[6])):
            s = Session(port, mode == "deflate")
            s.start(user, password, mode)
            s.command("d", "NOOP")
            sessions.append(s)
        print("READY", flush=True)
        sys.stdin.read()
        for s in sessions:
            s.sock.close()


main()
