#!/usr/bin/env python3
"""The response forms of ENABLE, CONDSTORE, QRESYNC and ESEARCH (issue 14) from Debian's Dovecot and
from Roost, side by side: the same scripted session against each, over a fresh mailbox of a few
messages, printed as two transcripts (MODSEQ values differ between servers; the forms should not).

Usage: sudo scripts/compare-dovecot/sync_forms.py [--work DIR]   (needs target/roost.jar and Dovecot)"""
import argparse, os, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import Client, ROOT, USER, PASSWORD, start_dovecot, start_roost, wait_for  # noqa: E402

SESSION = [
    "ENABLE CONDSTORE X-UNKNOWN", "ENABLE QRESYNC CONDSTORE", "SELECT INBOX",
    "FETCH 1:* (UID FLAGS MODSEQ)", "STORE 2 +FLAGS.SILENT (\\Seen)", "STORE 3 +FLAGS (\\Flagged)",
    "STORE 1:3 (UNCHANGEDSINCE 1) +FLAGS.SILENT ($Work)", "UID STORE 2 (UNCHANGEDSINCE 0) +FLAGS.SILENT (x)",
    "FETCH 1:* (FLAGS) (CHANGEDSINCE 1)", "SEARCH MODSEQ 2", "SEARCH RETURN (MIN MAX COUNT) MODSEQ 2",
    "UID SEARCH RETURN () ALL", "SEARCH RETURN (COUNT) DELETED", "FETCH 1 (BODY[HEADER.FIELDS (SUBJECT)])",
    "STORE 4,5 +FLAGS.SILENT (\\Deleted)", "EXPUNGE", "UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)",
    "SELECT INBOX (QRESYNC (%(validity)s 1))", "SELECT INBOX (QRESYNC (%(validity)s 1 1:10 (1:2 1:2)))",
    "STATUS INBOX (HIGHESTMODSEQ MESSAGES)", "FETCH 1 FLAGS (VANISHED)", "SELECT INBOX (QRESYNC (1 0))", "SELECT INBOX (QRESYNC (%(validity)s 0 1:3))",
]


def transcript(port):
    c = Client(port)
    c.run("LOGIN %s %s" % (USER, PASSWORD))
    for i in range(1, 7):
        message = "Subject: %d\r\n\r\nbody\r\n" % i
        c.run("APPEND INBOX {%d+}\r\n%s" % (len(message), message))
    status = c.run("STATUS INBOX (UIDVALIDITY)")[0].decode()
    validity = status.split("UIDVALIDITY ")[1].split(")")[0]
    out = []
    for command in SESSION:
        command = command % {"validity": validity}
        out.append(">> " + command)
        out.extend("   " + r.decode("latin-1").rstrip("\r\n") for r in c.run(command))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", help="work directory (kept); default: a fresh temp dir")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="roost-sync-forms-")
    os.makedirs(work, exist_ok=True)
    os.chmod(work, 0o755)
    maildir = os.path.join(work, "maildir")
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(maildir, sub))
    with open(os.path.join(work, "passwd"), "w") as f:
        f.write("%s:{PLAIN}%s::::::\n" % (USER, PASSWORD))
    d_port, d_stop = start_dovecot(work, maildir)
    r_port, r_stop = start_roost(work, maildir, ROOT)
    try:
        wait_for(d_port)
        wait_for(r_port)
        for name, port in (("Dovecot", d_port), ("Roost", r_port)):
            print("==== " + name)
            print("\n".join(transcript(port)))
    finally:
        d_stop()
        r_stop()


if __name__ == "__main__":
    main()
