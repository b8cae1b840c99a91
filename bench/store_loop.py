"""STOREs one at a time over one IMAP session, as a mail client flags and unflags: prints the median and p90.

usage: store_loop.py PORT USER PASSWORD [COUNT] [SEED]
Alternating `STORE n +FLAGS.SILENT (\\Flagged)` / `-FLAGS.SILENT` on messages picked with a fixed seed,
each timed to its tagged answer (python imaplib: what a script or a simple client does).
"""
import imaplib
import random
import statistics
import sys
import time

port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
count = int(sys.argv[4]) if len(sys.argv) > 4 else 300
rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 20)
client = imaplib.IMAP4('127.0.0.1', port)
client.login(user, password)
exists = int(client.select('INBOX')[1][0])
times = []
for i in range(count):
    n = rng.randrange(1, exists + 1)
    started = time.perf_counter()
    status, _ = client.store(str(n), '+FLAGS.SILENT' if i % 2 == 0 else '-FLAGS.SILENT', '(\\Flagged)')
    times.append((time.perf_counter() - started) * 1000)
    if status != 'OK':
        sys.exit('STORE %d failed: %s' % (n, status))
client.logout()
times.sort()
print('%-52s %10.2f ms' % ('STORE one message, median of %d' % count, statistics.median(times)))
print('%-52s %10.2f ms' % ('STORE one message, p90', times[int(len(times) * 0.9)]))
