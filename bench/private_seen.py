#!/usr/bin/env python3
"""Private \\Seen on another user's mailbox (#19, Dovecot's INDEXPVT): what a reader's commands cost there.

  private_seen.py measure HOST PORT USER PASSWORD MAILBOX RUNS LABEL

Marks every message seen (one STORE), then RUNS times: FETCH 1:* (FLAGS), SEARCH UNSEEN, STATUS (UNSEEN) from a
second connection, and a STORE taking one message's \\Seen away (a different one each time). Prints one TSV line: label,
messages, unseen as STATUS counts it, the big STORE's ms, and per command the first and the median of the other runs.
The servers' answers are checked against each other by the caller (the unseen counts).
"""
import statistics
import sys
import time

from list_status import Client


def timed(client, command):
    start = time.perf_counter()
    lines = client.run(command)
    return (time.perf_counter() - start) * 1000, lines


def measure(host, port, user, password, mailbox, runs, label):
    reader, other = Client(host, int(port)), Client(host, int(port))
    for c in (reader, other):
        c.run('LOGIN "%s" "%s"' % (user, password))
    selected = reader.run("SELECT %s" % mailbox)
    messages = next(int(l.split()[1]) for l in selected if l.endswith(b" EXISTS"))
    store_ms, _ = timed(reader, "STORE 1:* +FLAGS.SILENT (\\Seen)")
    columns = {"fetch": [], "search": [], "status": [], "store1": []}
    unseen = None
    for run in range(int(runs)):
        ms, _ = timed(reader, "FETCH 1:* (FLAGS)")
        columns["fetch"].append(ms)
        ms, _ = timed(reader, "SEARCH UNSEEN")
        columns["search"].append(ms)
        ms, lines = timed(other, "STATUS %s (UNSEEN)" % mailbox)
        columns["status"].append(ms)
        unseen = int(lines[-1].rsplit(b"UNSEEN ", 1)[1].rstrip(b")"))
        ms, _ = timed(reader, "STORE %d -FLAGS.SILENT (\\Seen)" % (1 + run * 7 % messages))
        columns["store1"].append(ms)
    for c in (reader, other):
        c.run("LOGOUT")
    out = [label, str(messages), str(unseen), "%.1f" % store_ms]
    for name in ("fetch", "search", "status", "store1"):
        times = columns[name]
        out += ["%.1f" % times[0], "%.1f" % statistics.median(times[1:] or times)]
    print("\t".join(out))


if __name__ == "__main__":
    measure(*sys.argv[2:9])
