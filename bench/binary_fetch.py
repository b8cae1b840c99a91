"""FETCH BINARY.PEEK[2] (and BODY.PEEK[2], undecoded) of one message, timed from the command to the
tagged OK with every literal byte read: prints one JSON line per server and item with the median and best
MB/s of decoded (BINARY) or sent (BODY) bytes.  Usage: binary_fetch.py NAME PORT USER PASSWORD ROUNDS"""
import json
import re
import socket
import statistics
import sys
import time

name, port, user, password, rounds = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
sock = socket.create_connection(("127.0.0.1", port))
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
f = sock.makefile("rb", buffering=1 << 20)
f.readline()
counter = 0


def command(text):
    """Sends a command; returns (seconds, literal bytes) once its tagged line is read."""
    global counter
    counter += 1
    tag = b"t%d" % counter
    start = time.perf_counter()
    sock.sendall(tag + b" " + text.encode() + b"\r\n")
    literal = 0
    while True:
        line = f.readline()
        m = re.search(rb"\{(\d+)\}\r\n$", line)
        if m:
            size = int(m.group(1))
            left = size
            while left:
                chunk = f.read(min(left, 1 << 20))
                if not chunk:
                    raise SystemExit("connection closed")
                left -= len(chunk)
            literal += size
            continue
        if line.startswith(tag + b" "):
            if not line.startswith(tag + b" OK"):
                raise SystemExit("%s: %r" % (name, line))
            return time.perf_counter() - start, literal


command("LOGIN %s %s" % (user, password))
command("SELECT INBOX")
for item in ("BINARY.PEEK[2]", "BODY.PEEK[2]"):
    first, size = command("FETCH 1 (%s)" % item)
    times = [command("FETCH 1 (%s)" % item)[0] for _ in range(rounds)]
    print(json.dumps({"server": name, "item": item, "bytes": size, "first_ms": round(first * 1000, 1),
                      "median_ms": round(statistics.median(times) * 1000, 1),
                      "median_MBps": round(size / statistics.median(times) / 1e6),
                      "best_MBps": round(size / min(times) / 1e6)}))
command("LOGOUT")
