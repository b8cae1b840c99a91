"""STOREs one at a time over one IMAP session, as a mail client flags and unflags: median, p90, server CPU.

usage: store_loop.py PORT USER PASSWORD COUNT PID [CHILD]
Alternating `STORE n +FLAGS.SILENT (\\Flagged)` / `-FLAGS.SILENT` on messages picked with a fixed seed, each
timed to its tagged answer (python imaplib: what a script or a simple client does), after as many untimed
ones to warm the server up. The server's CPU time over the timed ones (and 2.5 s after them: Roost writes
its map 2 s after a change) is read from /proc: of process PID, or of its newest child called CHILD
(Dovecot's imap process for this session).
"""
import imaplib
import os
import random
import statistics
import sys
import time

port, user, password, count, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
child = sys.argv[6] if len(sys.argv) > 6 else None
rng = random.Random(20)
ticks_per_second = os.sysconf('SC_CLK_TCK')


def stat(p):
    with open('/proc/%d/stat' % p) as f:
        text = f.read()
    return text[:text.rindex(')')].split('(', 1)[1], text[text.rindex(')') + 2:].split()


def newest_child(parent, name):
    found = []
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                comm, fields = stat(int(entry))
            except OSError:
                continue
            if comm == name and int(fields[1]) == parent:
                found.append((int(fields[19]), int(entry)))
    return max(found)[1]


def cpu_seconds(p):
    fields = stat(p)[1]
    return (int(fields[11]) + int(fields[12])) / ticks_per_second


client = imaplib.IMAP4('127.0.0.1', port)
client.login(user, password)
exists = int(client.select('INBOX')[1][0])
server = newest_child(pid, child) if child else pid


def store(i):
    n = rng.randrange(1, exists + 1)
    status, _ = client.store(str(n), '+FLAGS.SILENT' if i % 2 == 0 else '-FLAGS.SILENT', '(\\Flagged)')
    if status != 'OK':
        sys.exit('STORE %d failed: %s' % (n, status))


for i in range(count):
    store(i)
time.sleep(2.5)
cpu = cpu_seconds(server)
times = []
for i in range(count):
    started = time.perf_counter()
    store(i)
    times.append((time.perf_counter() - started) * 1000)
time.sleep(2.5)
cpu = cpu_seconds(server) - cpu
client.logout()
times.sort()
print('%-52s %10.2f ms' % ('STORE one message, median of %d' % count, statistics.median(times)))
print('%-52s %10.2f ms' % ('STORE one message, p90', times[int(len(times) * 0.9)]))
print('%-52s %10.2f ms' % ('server CPU per STORE', cpu * 1000 / count))
