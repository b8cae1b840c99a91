"""Times SEARCH commands on one IMAP server: python3 bench/fts_search.py HOST PORT USER PASS RUNS QUERIES_FILE LABEL.
QUERIES_FILE has "KEY<TAB>needle" lines. Prints one tab-separated line per query: label, command, messages
found, the first run's milliseconds, the median of the others."""
import imaplib
import statistics
import sys
import time

host, port, user, password, runs, queries, label = sys.argv[1:8]
imap = imaplib.IMAP4(host, int(port))
imap.login(user, password)
imap.select("INBOX", readonly=True)
for line in open(queries, encoding="ascii"):
    key, needle = line.rstrip("\n").split("\t")
    command = '%s "%s"' % (key, needle)
    times = []
    found = 0
    for _ in range(int(runs)):
        start = time.perf_counter()
        status, data = imap.search(None, command)
        times.append((time.perf_counter() - start) * 1000)
        found = len(data[0].split()) if status == "OK" else -1
    print("%s\t%s\t%d\t%.1f\t%.1f" % (label, "SEARCH " + command, found, times[0], statistics.median(times[1:] or times)))
    sys.stdout.flush()
imap.logout()
