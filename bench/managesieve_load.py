"""ManageSieve load for bench/run-managesieve-vs-dovecot.sh: SESSIONS whole sessions over CLIENTS threads, each
connect, AUTHENTICATE PLAIN (initial response), PUTSCRIPT of a 1 KiB script, SETACTIVE, LISTSCRIPTS, GETSCRIPT,
LOGOUT, as user<i> (i = 1..USERS in turn). Prints one line: sessions/s, and p50/p99 of a session in ms.

Usage: managesieve_load.py PORT SESSIONS CLIENTS USERS"""
import base64, re, socket, sys, threading, time

port, sessions, clients, users = (int(a) for a in sys.argv[1:5])
SCRIPT = (b'require ["fileinto", "envelope"];\r\n'
          + b''.join(b'if header :contains "List-Id" "<list%d.example.org>" { fileinto "Lists/%d"; stop; }\r\n'
                     % (i, i) for i in range(14)))


def response(f):
    lines = []
    while True:
        line = f.readline()
        if not line:
            raise EOFError("server closed")
        match = re.search(rb"\{(\d+)\}\r\n$", line)
        if match:
            f.read(int(match.group(1)))
            f.readline()
            continue
        lines.append(line)
        if re.match(rb"(OK|NO|BYE)", line):
            if not line.startswith(b"OK"):
                raise RuntimeError(line)
            return lines


def session(n):
    user = b"user%d" % (n % users + 1)
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    f = s.makefile("rb")
    response(f)
    plain = base64.b64encode(b"\0" + user + b"\0secret")
    for command in (b'AUTHENTICATE "PLAIN" "' + plain + b'"\r\n',
                    b'PUTSCRIPT "bench" {%d+}\r\n' % len(SCRIPT) + SCRIPT + b"\r\n",
                    b'SETACTIVE "bench"\r\n', b"LISTSCRIPTS\r\n", b'GETSCRIPT "bench"\r\n', b"LOGOUT\r\n"):
        s.sendall(command)
        response(f)
    s.close()


durations, errors, lock = [], [], threading.Lock()
counter = iter(range(sessions))


def worker():
    while True:
        with lock:
            n = next(counter, None)
        if n is None:
            return
        start = time.perf_counter()
        try:
            session(n)
        except Exception as e:  # counted, the run goes on
            with lock:
                errors.append(repr(e))
            continue
        with lock:
            durations.append(time.perf_counter() - start)


began = time.perf_counter()
threads = [threading.Thread(target=worker) for _ in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - began
durations.sort()
p = lambda q: durations[min(len(durations) - 1, int(q * len(durations)))] * 1000 if durations else float("nan")
print("%.1f\t%.2f\t%.2f\t%d\t%d" % (len(durations) / elapsed, p(0.5), p(0.99), len(durations), len(errors)))
if errors:
    print("errors: " + "; ".join(sorted(set(errors))[:5]), file=sys.stderr)
