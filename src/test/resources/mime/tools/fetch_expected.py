#!/usr/bin/env python3
"""Asks Debian's Dovecot 2.3 (preauthenticated imap binary on a pipe, private temp config)
for ENVELOPE/BODY/BODYSTRUCTURE/RFC822.SIZE and some BODY[section]s of every corpus message
and writes the raw response values to ../expected/<name>.txt.

File format, repeated: b"=== " + item + b" " + str(len(value)) + b"\n" + value + b"\n"
where value is the exact wire bytes Dovecot sent for that item (after the item name).
Usage: make_corpus.py first, then run as root: fetch_expected.py [DIR]
DIR defaults to .. (the corpus); for ../mutants (make_mutants.py) fewer items are asked."""
import os, re, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..")
CORPUS = os.path.join(BASE, "corpus")
EXPECTED = os.path.join(BASE, "expected")

ITEMS = ["RFC822.SIZE", "ENVELOPE", "BODY", "BODYSTRUCTURE",
         "BODY.PEEK[]", "BODY.PEEK[HEADER]", "BODY.PEEK[TEXT]",
         "BODY.PEEK[1]", "BODY.PEEK[1.MIME]", "BODY.PEEK[2]", "BODY.PEEK[2.MIME]",
         "BODY.PEEK[2.HEADER]", "BODY.PEEK[2.TEXT]", "BODY.PEEK[1.1]", "BODY.PEEK[2.1]",
         "BODY.PEEK[2.2]", "BODY.PEEK[2.1.MIME]", "BODY.PEEK[3]", "BODY.PEEK[3.HEADER]",
         "BODY.PEEK[HEADER.FIELDS (From Subject)]", "BODY.PEEK[HEADER.FIELDS.NOT (Subject From)]",
         "BODY.PEEK[2.HEADER.FIELDS (Subject)]", "BODY.PEEK[1.HEADER]", "BODY.PEEK[1.TEXT]"]

if len(sys.argv) > 1:
    ITEMS = ["RFC822.SIZE", "ENVELOPE", "BODY", "BODYSTRUCTURE", "BODY.PEEK[1]", "BODY.PEEK[2.MIME]",
             "BODY.PEEK[1.1]", "BODY.PEEK[2.HEADER]", "BODY.PEEK[HEADER.FIELDS (From Subject)]",
             "BODY.PEEK[HEADER.FIELDS.NOT (From Subject)]", "BODY.PEEK[TEXT]", "BODY.PEEK[2]",
             "BODY.PEEK[2.1]", "BODY.PEEK[1.MIME]", "BODY.PEEK[2.HEADER.FIELDS (Subject)]"]

CONF = """base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
ssl = no
mail_location = maildir:{d}/Maildir
protocols = imap
listen = 127.0.0.1
mail_uid = 65534
mail_gid = 65534
first_valid_uid = 0
first_valid_gid = 0
"""

def read_response(out, tag):
    """Returns the list of untagged responses (raw bytes) up to the tagged one."""
    responses, cur = [], b""
    while True:
        line = out.readline()
        if not line:
            raise EOFError(cur)
        cur += line
        m = re.search(rb"\{(\d+)\}\r\n$", line)
        if m:
            cur += out.read(int(m.group(1)))
            continue
        if cur.startswith(tag + b" "):
            if not cur.startswith(tag + b" OK"):
                raise RuntimeError(cur)
            return responses
        responses.append(cur)
        cur = b""

def value_of(item, response):
    body = response[response.index(b"FETCH (") + 7:-3]  # strip trailing ")\r\n"
    if "[" in item:
        return body[body.index(b"] ") + 2:]
    return body[body.index(b" ") + 1:]

def fetch_all(message):
    d = tempfile.mkdtemp(prefix="dvt")
    try:
        for sub in ("run", "state", "Maildir/cur", "Maildir/new", "Maildir/tmp"):
            os.makedirs(os.path.join(d, sub))
        shutil.copyfile(message, os.path.join(d, "Maildir/cur/1.host:2,S"))
        with open(os.path.join(d, "dovecot.conf"), "w") as f:
            f.write(CONF.format(d=d))
        subprocess.run(["chown", "-R", "65534:65534", d], check=True)
        os.chmod(d, 0o755)
        p = subprocess.Popen(["/usr/lib/dovecot/imap", "-c", os.path.join(d, "dovecot.conf")],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             env={"USER": "nobody", "HOME": d, "PATH": "/usr/bin:/bin"})
        p.stdout.readline()
        p.stdin.write(b"s SELECT INBOX\r\n"); p.stdin.flush()
        read_response(p.stdout, b"s")
        result = []
        for i, item in enumerate(ITEMS):
            tag = b"f%d" % i
            p.stdin.write(tag + b" FETCH 1 (" + item.encode() + b")\r\n"); p.stdin.flush()
            fetches = [r for r in read_response(p.stdout, tag) if b" FETCH (" in r]
            result.append((item, value_of(item, fetches[0])))
        p.stdin.write(b"l LOGOUT\r\n"); p.stdin.close(); p.wait()
        return result
    finally:
        shutil.rmtree(d)

def main():
    os.makedirs(EXPECTED, exist_ok=True)
    for name in sorted(os.listdir(CORPUS)):
        out = b""
        for item, value in fetch_all(os.path.join(CORPUS, name)):
            out += b"=== " + item.encode() + b" " + str(len(value)).encode() + b"\n" + value + b"\n"
        with open(os.path.join(EXPECTED, name[:-4] + ".txt"), "wb") as f:
            f.write(out)
        print(name, file=sys.stderr)

main()
