#!/usr/bin/env python3
"""Holds a lock on an mbox the way another mail program would, until its standard input closes.

Usage: hold_lock.py fcntl|flock|dotlock FILE
Prints "held <pid>" once the lock is taken (dotlock: FILE.lock created with the pid, as liblockfile does)."""
import fcntl, os, sys

method, path = sys.argv[1], sys.argv[2]
if method == "dotlock":
    fd = os.open(path + ".lock", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    os.write(fd, b"%d\n" % os.getpid())
    os.close(fd)
else:
    f = open(path, "r+b")
    if method == "fcntl":
        fcntl.lockf(f, fcntl.LOCK_EX)
    else:
        fcntl.flock(f, fcntl.LOCK_EX)
print("held", os.getpid(), flush=True)
sys.stdin.read()
if method == "dotlock":
    os.unlink(path + ".lock")
