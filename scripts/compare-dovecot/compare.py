#!/usr/bin/env python3
"""Runs the same IMAP session against Debian's Dovecot and against Roost, each over its own
copy of one generated Maildir, and diffs the normalized answers.

Usage: compare.py [--count N] [--seed S] [--keep DIR] [--roost-jar PATH]
Writes WORK/dovecot.txt, WORK/roost.txt (normalized transcripts) and WORK/diff.txt, prints
the number of commands whose answers differ. Exit status 0 when identical, 1 otherwise."""
import argparse, datetime, difflib, os, re, shutil, socket, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
USER, PASSWORD = "tester", "secret"

DOVECOT_CONF = """base_dir = {d}/dovecot-run
state_dir = {d}/dovecot-state
log_path = {d}/dovecot.log
instance_name = roost-compare-{port}
ssl = no
protocols = imap
listen = 127.0.0.1
disable_plaintext_auth = no
auth_mechanisms = plain
first_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:{d}/dovecot-mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {d}/passwd
}}
userdb {{
  driver = static
  args = uid=65534 gid=65534 home={d}/dovecot-home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
"""

ROOST_CONF = """data: {d}/roost-data
listeners:
  imap: {{address: 127.0.0.1, port: {port}}}
  imaps: {{address: 127.0.0.1, port: 0, enabled: false}}
  pop3: {{address: 127.0.0.1, port: 0, enabled: false}}
  pop3s: {{address: 127.0.0.1, port: 0, enabled: false}}
admin: {{enabled: false}}
auth: {{passwdFile: {d}/passwd}}
mail: {{location: "maildir:{d}/roost-mail/%u", fsync: false}}
"""

SEARCHES = [
    "ALL", "SEEN", "UNSEEN", "FLAGGED", "UNFLAGGED", "DELETED", "UNDELETED", "ANSWERED", "UNANSWERED",
    "DRAFT", "UNDRAFT", "NEW", "OLD", "RECENT", "KEYWORD $Forwarded", "UNKEYWORD Project-X", "KEYWORD $Label1",
    "FROM alice", "FROM \"Alice Example\"", "TO example.org", "CC bob", "BCC zoe", "SUBJECT meeting",
    "SUBJECT \"re: \"", "HEADER Message-ID \"@example.com\"", "HEADER X-Mailer \"\"", "HEADER In-Reply-To prev",
    "BODY invoice", "TEXT roadmap", "TEXT alice", "BODY \"dolor sit\"",
    "CHARSET UTF-8 SUBJECT {6+}\r\nGrüße", "CHARSET UTF-8 BODY {5+}\r\ncafé", "CHARSET UTF-8 FROM {7+}\r\nJürgen",
    "CHARSET UTF-8 TEXT {9+}\r\n日本語",
    "LARGER 10000", "SMALLER 1000", "LARGER 500 SMALLER 2000",
    "BEFORE 1-Jan-2022", "SINCE 1-Jun-2023", "ON 15-Mar-2021", "SENTBEFORE 1-Jan-2021", "SENTSINCE 1-Jan-2024",
    "SENTON 2-Jan-2019", "OR FROM alice FROM bob", "NOT SEEN", "NOT (FLAGGED SEEN)",
    "OR (FLAGGED UNSEEN) (ANSWERED DELETED)", "OR OR SEEN FLAGGED DRAFT",
    "1:10", "1:10,*", "*:5", "5:3", "2,4,6:8", "UID 1:50", "UID *", "UID 10:5", "NOT UID 1:100 SEEN",
    "CHARSET ISO-8859-99 ALL",
]

FETCH_SECTIONS = [
    "BODY.PEEK[HEADER]", "BODY.PEEK[TEXT]", "BODY.PEEK[1]", "BODY.PEEK[1.MIME]", "BODY.PEEK[2]",
    "BODY.PEEK[2.MIME]", "BODY.PEEK[2.1]", "BODY.PEEK[2.HEADER]", "BODY.PEEK[2.TEXT]", "BODY.PEEK[1.1]",
    "BODY.PEEK[3]", "BODY.PEEK[HEADER.FIELDS (From Subject Date)]", "BODY.PEEK[HEADER.FIELDS.NOT (Received Message-ID)]",
    "BODY.PEEK[]<10.200>", "BODY.PEEK[TEXT]<0.50>", "RFC822.HEADER", "BODY.PEEK[2.2.MIME]", "BODY.PEEK[1.2]",
]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Client:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.buf = b""
        self.n = 0
        self.greeting = self.read_response()

    def _fill(self):
        data = self.sock.recv(1 << 20)
        if not data:
            raise EOFError("connection closed")
        self.buf += data

    def _line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        i = self.buf.index(b"\r\n") + 2
        line, self.buf = self.buf[:i], self.buf[i:]
        return line

    def _exact(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def read_response(self):
        out = b""
        while True:
            line = self._line()
            out += line
            m = re.search(rb"\{(\d+)\}\r\n$", line)
            if not m:
                return out
            out += self._exact(int(m.group(1)))

    def run(self, command):
        """Sends a command (LITERAL+ literals inline) and returns every response up to the tagged one."""
        self.n += 1
        tag = b"c%d" % self.n
        self.sock.sendall(tag + b" " + command.encode("utf-8") + b"\r\n")
        responses = []
        while True:
            r = self.read_response()
            responses.append(r)
            if r.startswith(tag + b" "):
                return responses


# ---- normalization: only what legitimately differs between two correct servers

def split_items(s):
    """Splits the inside of a FETCH (...) into top-level tokens (bytes), literals kept whole."""
    items, i, depth, start = [], 0, 0, 0
    while i < len(s):
        c = s[i:i + 1]
        if c == b'"':
            i += 1
            while s[i:i + 1] != b'"':
                i += 2 if s[i:i + 1] == b"\\" else 1
        elif c == b"{":
            j = s.index(b"}", i)
            n = int(s[i + 1:j].rstrip(b"+"))
            i = j + 3 + n - 1
        elif c in (b"(", b"["):
            depth += 1
        elif c in (b")", b"]"):
            depth -= 1
        elif c == b" " and depth == 0:
            items.append(s[start:i])
            start = i + 1
        i += 1
    items.append(s[start:])
    return items


def normalize_fetch(line):
    m = re.match(rb"\* (\d+) FETCH \((.*)\)\r\n$", line, re.S)
    if not m:
        return line
    tokens = split_items(m.group(2))
    pairs = []
    for k in range(0, len(tokens) - 1, 2):
        name, value = tokens[k], tokens[k + 1]
        if name == b"INTERNALDATE":
            d = datetime.datetime.strptime(value.decode().strip('"'), "%d-%b-%Y %H:%M:%S %z")
            value = d.astimezone(datetime.timezone.utc).strftime("\"%d-%b-%Y %H:%M:%S +0000\"").encode()
        if name == b"FLAGS":
            value = b"(" + b" ".join(sorted(value[1:-1].split())) + b")"
        pairs.append((name.upper(), value))
    pairs.sort()
    return b"* " + m.group(1) + b" FETCH (" + b" ".join(n + b" " + v for n, v in pairs) + b")\r\n"


def canonical_strings(r):
    """A literal whose bytes could be a quoted string becomes one: the choice is the server's."""
    out, i = b"", 0
    for m in re.finditer(rb"\{(\d+)\}\r\n", r):
        if m.start() < i:
            continue
        n = int(m.group(1))
        data = r[m.end():m.end() + n]
        out += r[i:m.start()]
        if all(0x20 <= b < 0x7f for b in data):
            out += b'"' + data.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'
        else:
            out += r[m.start():m.end() + n]
        i = m.end() + n
    return out + r[i:]


def normalize(responses, tag_prefix=b"c"):
    out = []
    for r in responses:
        r = canonical_strings(r)
        r = re.sub(rb"\[CAPABILITY [^\]]*\]", b"[CAPABILITY]", r)
        r = re.sub(rb"UIDVALIDITY \d+", b"UIDVALIDITY <v>", r)
        r = re.sub(rb"\[PERMANENTFLAGS \(([^)]*)\)\]",
                   lambda m: b"[PERMANENTFLAGS (" + b" ".join(sorted(m.group(1).split())) + b")]", r)
        r = re.sub(rb"\[BADCHARSET[^\]]*\]", b"[BADCHARSET]", r)  # the charset list is optional
        r = re.sub(rb"(APPENDUID|COPYUID) \d+", rb"\1 <v>", r)
        if r.startswith(b"* CAPABILITY"):
            continue
        m = re.match(rb"^(\S+) (OK|NO|BAD|BYE|PREAUTH)( \[[^\]]*\])?( .*)?\r\n$", r, re.S)
        if m:  # status responses: the human-readable text is free-form
            r = m.group(1) + b" " + m.group(2) + (m.group(3) or b"") + b"\r\n"
        elif r.startswith(b"* FLAGS"):  # keyword order in the list is not specified
            r = b"* FLAGS (" + b" ".join(sorted(r[9:-3].split())) + b")\r\n"
        else:
            r = normalize_fetch(r)
        out.append(r)
    return out


def session(port):
    c = Client(port)
    transcript = []

    def run(cmd, normalize_fn=normalize):
        transcript.append((cmd, normalize_fn(c.run(cmd))))

    run("LOGIN %s %s" % (USER, PASSWORD))
    for pattern in ['"" *', '"" %', '"" Lists.%', '"" Archive*', 'Archive. %', '"" Deep%', '"" ""',
                    '"" inbox', '"" *2024', '"" Entw*']:
        run("LIST " + pattern, sort_untagged)
    for pattern in ['"" *', '"" %', '"" Archive.%']:
        run("LSUB " + pattern, sort_untagged)
    folders = [re.search(rb'"\." (.*)\r\n$', l).group(1).decode().strip('"')
               for _, rs in transcript[1:2] for l in rs if l.startswith(b"* LIST") and b"\\Noselect" not in l]
    for f in folders:
        run('STATUS "%s" (MESSAGES UIDNEXT UIDVALIDITY UNSEEN)' % f)
    for f in folders:
        run('SELECT "%s"' % f)
        run("FETCH 1:* (FLAGS ENVELOPE BODYSTRUCTURE RFC822.SIZE)")
        run("UID FETCH 1:* (INTERNALDATE BODY)")
        for s in SEARCHES:
            run("SEARCH " + s)
            run("UID SEARCH " + s)
        exists = max([int(l.split()[1]) for l in c.run("NOOP") if l.endswith(b"EXISTS\r\n")] or [0])
        count = len([1 for _, rs in transcript[-2 * len(SEARCHES) - 2:-2 * len(SEARCHES) - 1] for l in rs if b" FETCH " in l])
        for seq in range(1, count + 1, 7):
            run("FETCH %d (%s)" % (seq, " ".join(FETCH_SECTIONS)))
        for seq in range(1, count + 1, 53):
            run("FETCH %d (BODY.PEEK[])" % seq)
        run("CLOSE")
    run("LOGOUT")
    return transcript


def sort_untagged(responses):
    """LIST/LSUB: order is not specified by RFC 3501."""
    n = normalize(responses)
    return sorted(n[:-1]) + n[-1:]


def start_dovecot(work, maildir, extra=""):
    """Dovecot over a copy of maildir; extra: more configuration, appended."""
    port = free_port()
    os.makedirs(os.path.join(work, "dovecot-mail"))
    shutil.copytree(maildir, os.path.join(work, "dovecot-mail", USER), symlinks=True)
    for sub in ("dovecot-run", "dovecot-state", "dovecot-home/" + USER):
        os.makedirs(os.path.join(work, sub), exist_ok=True)
    subprocess.run(["chown", "-R", "65534:65534", os.path.join(work, "dovecot-mail"),
                    os.path.join(work, "dovecot-home")], check=True)
    conf = os.path.join(work, "dovecot.conf")
    with open(conf, "w") as f:
        f.write(DOVECOT_CONF.format(d=work, port=port) + extra)
    subprocess.run(["/usr/sbin/dovecot", "-c", conf], check=True)
    return port, lambda: subprocess.run(["/usr/sbin/dovecot", "-c", conf, "stop"], check=False)


def start_roost(work, maildir, home, extra=""):
    """Roost (bin/roost of the checkout home) over a copy of maildir; extra: more YAML, appended."""
    port = free_port()
    os.makedirs(os.path.join(work, "roost-mail"))
    shutil.copytree(maildir, os.path.join(work, "roost-mail", USER), symlinks=True)
    conf = os.path.join(work, "roost.yaml")
    with open(conf, "w") as f:
        f.write(ROOST_CONF.format(d=work, port=port) + extra)
    log = open(os.path.join(work, "roost.log"), "w")
    p = subprocess.Popen([os.path.join(home, "bin", "roost"), "serve", "--config", conf], stdout=log, stderr=log)
    return port, lambda: (p.terminate(), p.wait())


def wait_for(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server on port %d did not start" % port)


def dump(transcript, path):
    with open(path, "wb") as f:
        for cmd, responses in transcript:
            f.write(b">> " + cmd.encode("utf-8").replace(b"\r\n", b"\\r\\n") + b"\n")
            for r in responses:
                f.write(r.replace(b"\r\n", b"\\r\\n\n") if len(r) < 100000 else r[:200] + b"...\n")


def prepare(roost_home, work, prefix):
    """Installs Dovecot and builds Roost when missing; returns the work directory (a fresh one when work is None)
    with the passwd-file both servers read."""
    if not os.path.exists("/usr/sbin/dovecot") or not os.path.exists("/usr/lib/dovecot/imap"):
        subprocess.run(["apt-get", "install", "-y", "dovecot-imapd"], check=True)
    if not os.path.exists(os.path.join(roost_home, "target", "roost.jar")):
        subprocess.run(["mvn", "-B", "-q", "-DskipTests", "package"], cwd=roost_home, check=True)
    work = work or tempfile.mkdtemp(prefix=prefix)
    os.makedirs(work, exist_ok=True)
    os.chmod(work, 0o755)
    with open(os.path.join(work, "passwd"), "w") as f:
        f.write("%s:{PLAIN}%s::::::\n" % (USER, PASSWORD))
    return work


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=3501)
    ap.add_argument("--work", help="work directory (kept); default: a fresh temp dir")
    ap.add_argument("--roost-home", default=ROOT,
                    help="a Roost checkout with target/roost.jar built (default: this one)")
    args = ap.parse_args()
    work = prepare(args.roost_home, args.work, "roost-compare-")
    maildir = os.path.join(work, "maildir")
    subprocess.run([sys.executable, os.path.join(HERE, "generate_maildir.py"), maildir,
                    "--count", str(args.count), "--seed", str(args.seed)], check=True)
    d_port, d_stop = start_dovecot(work, maildir)
    r_port, r_stop = start_roost(work, maildir, args.roost_home)
    try:
        wait_for(d_port)
        wait_for(r_port)
        t0 = time.time()
        dovecot = session(d_port)
        t1 = time.time()
        roost = session(r_port)
        t2 = time.time()
    finally:
        d_stop()
        r_stop()
    dump(dovecot, os.path.join(work, "dovecot.txt"))
    kinds = {}
    dump(roost, os.path.join(work, "roost.txt"))
    differing, lines = 0, []
    for (cmd, a), (_, b) in zip(dovecot, roost):
        if a != b:
            differing += 1
            kind = re.sub(r"[^A-Z ].*", "", cmd.replace("UID ", ""))[:20].strip() or cmd[:20]
            kinds[kind] = kinds.get(kind, 0) + 1
            lines.append(">> " + cmd.replace("\r\n", "\\r\\n"))
            for l in difflib.unified_diff([x.decode("latin-1") for x in a], [x.decode("latin-1") for x in b],
                                          "dovecot", "roost", n=0, lineterm=""):
                lines.append(l[:2000])
    with open(os.path.join(work, "diff.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("commands: %d, differing: %d (dovecot %.1fs, roost %.1fs); details: %s"
          % (len(dovecot), differing, t1 - t0, t2 - t1, os.path.join(work, "diff.txt")))
    for kind, n in sorted(kinds.items()):
        print("  %-20s %d" % (kind, n))
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
