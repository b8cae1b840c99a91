#!/usr/bin/env python3
"""One run of bench/run-fts-first-search.sh: deliver --messages by LMTP to --user, then time its first and second
SEARCH BODY of an absent word, counting the server's CPU (process tree of --pid) for each step until it is quiet.
Prints one tab-separated line: --label, deliver CPU ms per message, first SEARCH ms, its CPU ms, CPU ms after it
until quiet (the indexer catching up), second SEARCH ms."""
import argparse
import imaplib
import os
import subprocess
import time

TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu(root):
    """CPU seconds (user+system) of root and its descendants, plus the children it reaped."""
    stats = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
                stats[int(p)] = (int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14]))
            except OSError:
                pass
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, (ppid, _, _) in stats.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return (sum(stats[p][1] for p in tree if p in stats) + stats.get(root, (0, 0, 0))[2]) / TICK


def settled_cpu(pid, limit=120):
    """The tree's CPU once it has gone quiet: under 10 ms of CPU in 500 ms, at most `limit` seconds."""
    before = tree_cpu(pid)
    for _ in range(limit * 2):
        time.sleep(0.5)
        after = tree_cpu(pid)
        if after - before < 0.01:
            return after
        before = after
    return before


def timed_search(imap):
    start = time.monotonic()
    typ, _ = imap.uid("SEARCH", "BODY", "zqxjvwk")
    assert typ == "OK", typ
    return 1000 * (time.monotonic() - start)


def main():
    a = argparse.ArgumentParser()
    for name in ("--pid", "--imap", "--lmtp", "--messages", "--size"):
        a.add_argument(name, type=int, required=True)
    a.add_argument("--user", required=True)
    a.add_argument("--label", required=True)
    args = a.parse_args()
    cpu0 = settled_cpu(args.pid)
    subprocess.run(["smtp-source", "-L", "-d", "-s", "1", "-m", str(args.messages), "-l", str(args.size), "-r", "1",
                    "-f", "sender@example.org", "-t", f"{args.user}@example.org", "-M", "client.example",
                    f"127.0.0.1:{args.lmtp}"], check=True, stdout=subprocess.DEVNULL)
    cpu1 = settled_cpu(args.pid)
    imap = imaplib.IMAP4("127.0.0.1", args.imap)
    imap.login(args.user, "bench")
    typ, data = imap.select("INBOX")
    assert typ == "OK" and int(data[0]) == args.messages, data
    cpu2 = settled_cpu(args.pid)
    first = timed_search(imap)
    cpu3 = tree_cpu(args.pid)
    cpu4 = settled_cpu(args.pid)
    second = timed_search(imap)
    imap.logout()
    print(f"{args.label}\t{1000 * (cpu1 - cpu0) / args.messages:.3f}\t{first:.1f}\t{1000 * (cpu3 - cpu2):.0f}"
          f"\t{1000 * (cpu4 - cpu3):.0f}\t{second:.1f}", flush=True)


if __name__ == "__main__":
    main()
