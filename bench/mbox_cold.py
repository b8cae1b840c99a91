#!/usr/bin/env python3
"""Times the first commands after a restart, one at a time, with what the server did for each (issue 20).

    mbox_cold.py PORT USER PASSWORD SERVER_PID [--strace N FILE] [--compile-log FILE] COMMAND...

SERVER_PID: Roost's JVM, or Dovecot's master (its imap process, started at the login, is then looked up).
Per command: the elapsed time to the tagged answer, the server's CPU over it (per-thread schedstat, in
nanoseconds: the JVM's threads, and of them the JIT compiler threads; Dovecot's imap process), and with --compile-log
(-Xlog:jit+compilation output) how many compilations the JVM logged while it ran (0.3 s after the answer
included, for compiles it queued). --strace traces the server during the Nth command (from 1; strace -f -C
-T -tt -y: every call with its time, then a summary), attached before it is sent.
"""
import os
import socket
import subprocess
import sys
import time


def cpu_ns(pid):
    """CPU of the process's threads in ns: (all, the JIT compiler threads)."""
    total = jit = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                ns = int(f.read().split()[0])
            with open(f"/proc/{pid}/task/{task}/comm") as f:
                compiler = "CompilerThre" in f.read()
        except OSError:
            continue  # a thread that ended
        total += ns
        jit += ns if compiler else 0
    return total, jit


def lines(path):
    if not path:
        return 0
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def dovecot_imap(master):
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid=,comm="], capture_output=True, text=True).stdout
    for row in out.splitlines():
        pid, ppid, comm = row.split(None, 2)
        if ppid == str(master) and comm.strip() == "imap":
            return int(pid)
    return None


class Client:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.reader = self.sock.makefile("rb", buffering=1 << 20)
        self.tag = 0
        self.readline()

    def readline(self):
        line = self.reader.readline()
        if not line:
            raise EOFError("server closed")
        return line.rstrip(b"\r\n")

    def run(self, command):
        self.tag += 1
        tag = b"t%d " % self.tag
        self.sock.sendall(tag + command.encode() + b"\r\n")
        while True:
            line = self.readline()
            if line.startswith(tag):
                if not line[len(tag):].startswith(b"OK"):
                    raise RuntimeError(line.decode(errors="replace"))
                return


def main():
    args = sys.argv[1:]
    port, user, password, pid = int(args[0]), args[1], args[2], int(args[3])
    args = args[4:]
    traced, trace, complog = 0, None, None
    while args and args[0].startswith("--"):
        if args[0] == "--strace":
            traced, trace = int(args[1]), args[2]
            args = args[3:]
        elif args[0] == "--compile-log":
            complog = args[1]
            args = args[2:]
    client = Client(port)
    client.run(f"LOGIN {user} {password}")
    imap = dovecot_imap(pid) or pid
    for i, command in enumerate(args):
        tracer = None
        if trace and i + 1 == traced:
            tracer = subprocess.Popen(["strace", "-f", "-C", "-T", "-tt", "-y", "-o", trace, "-p", str(imap)],
                                      stderr=subprocess.DEVNULL)
            time.sleep(1.5)  # attached to every thread
        compiles, cpu, start = lines(complog), cpu_ns(imap), time.perf_counter()
        client.run(command)
        elapsed = (time.perf_counter() - start) * 1000
        if tracer:
            tracer.terminate()
            tracer.wait()
        time.sleep(0.3)
        after = cpu_ns(imap)
        cpu, jit = (after[0] - cpu[0]) / 1e6, (after[1] - cpu[1]) / 1e6
        extra = f"  {lines(complog) - compiles:5d} compiles" if complog else ""
        print(f"{command[:36]:<36} {elapsed:9.1f} ms  cpu {cpu:7.1f} ms (JIT {jit:6.1f}){extra}", flush=True)
    client.run("LOGOUT")


if __name__ == "__main__":
    main()
