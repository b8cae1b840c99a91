#!/usr/bin/env python3
"""Writes a Dovecot-style Maildir++ of varied messages, deterministically from a seed.

Usage: generate_maildir.py OUT_DIR [--count N] [--seed S]

Folders (some \\Noselect parents, a modified UTF-7 name), standard flags in the ':2,' suffix,
keywords as letters backed by dovecot-keywords, a dovecot-uidlist (so both servers agree on
UIDs), a subscriptions file, and file mtimes as internal dates. Messages: plain, encoded-word
headers, 8-bit UTF-8, quoted-printable, multipart/alternative, multipart/mixed with base64
attachments and RFC 2231 names, nested message/rfc822, group addresses, missing headers,
long folded headers, bare and odd cases from the MIME test corpus."""
import argparse, base64, os, random, quopri, time

FOLDERS = ["INBOX", "Archive", "Archive.2023", "Archive.2024", "Lists.dev", "Lists.announce",
           "Sent", "Trash", "Drafts", "Entw&APw-rfe", "Deep.Er.Child", "&ZeVnLIqe-"]
SUBSCRIBED = ["INBOX", "Sent", "Archive", "Archive.2024", "Lists.dev", "Entw&APw-rfe", "Gone"]
KEYWORDS = ["$Forwarded", "$Junk", "Project-X", "$Label1"]
NAMES = ["Alice Example", "Bob", "Carol O'Neil", "Dave, Jr.", "Émile Zola", "Jürgen Groß",
         "李小龍", "Zoë", None]
DOMAINS = ["example.com", "example.org", "lists.example.net", "mail.test"]
WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
         "incididunt ut labore et dolore magna aliqua invoice meeting report budget release "
         "schedule holiday quarterly roadmap security update").split()
UTF8_WORDS = ["Grüße", "naïve", "café", "Übergröße", "日本語", "привет", "façade"]
CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                      "src", "test", "resources", "mime", "corpus")


def encoded_word(rng, text):
    raw = text.encode("utf-8")
    if rng.random() < 0.5:
        return "=?UTF-8?B?" + base64.b64encode(raw).decode() + "?="
    q = "".join(c if c.isalnum() and ord(c) < 128 else "".join("=%02X" % b for b in c.encode()) for c in text)
    return "=?utf-8?q?" + q + "?="


def address(rng):
    name = rng.choice(NAMES)
    local = rng.choice(["alice", "bob", "carol", "dave", "emile", "juergen", "lee", "zoe", "info", "no-reply"])
    addr = "%s@%s" % (local, rng.choice(DOMAINS))
    if name is None:
        return addr
    if any(ord(c) > 127 for c in name):
        return "%s <%s>" % (encoded_word(rng, name), addr)
    if "," in name or "'" in name or "." in name:
        return '"%s" <%s>' % (name, addr)
    return "%s <%s>" % (name, addr)


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def paragraphs(rng, lines):
    return "\n".join(sentence(rng, rng.randint(3, 12)) for _ in range(lines)) + "\n"


def rfc822_date(t, rng):
    zone = rng.choice([0, 60, -300, 330, 120, -480])
    lt = time.gmtime(t + zone * 60)
    sign = "+" if zone >= 0 else "-"
    z = "%s%02d%02d" % (sign, abs(zone) // 60, abs(zone) % 60)
    return time.strftime("%a, %d %b %Y %H:%M:%S ", lt) + z


def headers(rng, t, i, extra=None, subject=None):
    h = []
    if rng.random() > 0.03:
        h.append("From: " + address(rng))
    tos = ", ".join(address(rng) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.05:
        tos = "undisclosed-recipients:;"
    elif rng.random() < 0.05:
        tos = "team: %s, %s;" % (address(rng), address(rng))
    h.append("To: " + tos)
    if rng.random() < 0.3:
        h.append("Cc: " + address(rng))
    if rng.random() < 0.05:
        h.append("Bcc: " + address(rng))
    if rng.random() < 0.1:
        h.append("Reply-To: " + address(rng))
    if subject is None:
        subject = sentence(rng, rng.randint(1, 8))
        r = rng.random()
        if r < 0.15:
            subject = "Re: " + subject + " " + rng.choice(UTF8_WORDS)
            subject = encoded_word(rng, subject)
        elif r < 0.2:
            subject = "Fwd: " + subject
        elif r < 0.23:
            subject = subject + "\n\t" + sentence(rng, 20)  # folded
    h.append("Subject: " + subject)
    if rng.random() > 0.03:
        h.append("Date: " + rfc822_date(t, rng))
    h.append("Message-ID: <%d.%d@%s>" % (i, rng.randint(1, 10**9), rng.choice(DOMAINS)))
    if rng.random() < 0.3:
        h.append("In-Reply-To: <%d.prev@%s>" % (rng.randint(1, 10**6), rng.choice(DOMAINS)))
    if rng.random() < 0.2:
        h.append("X-Mailer: Generator " + str(rng.randint(1, 9)))
    if rng.random() < 0.1:
        h.append("Received: from host%d by mx.example.com; %s" % (rng.randint(1, 99), rfc822_date(t, rng)))
    if extra:
        h.extend(extra)
    return "\n".join(h) + "\n"


def text_part(rng):
    r = rng.random()
    if r < 0.6:
        return "Content-Type: text/plain; charset=us-ascii\n\n" + paragraphs(rng, rng.randint(1, 30))
    if r < 0.8:
        body = paragraphs(rng, rng.randint(1, 10)) + " ".join(rng.choice(UTF8_WORDS) for _ in range(5)) + "\n"
        return "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + body
    body = (paragraphs(rng, 3) + " ".join(rng.choice(UTF8_WORDS) for _ in range(8)) + "\n").encode("utf-8")
    qp = quopri.encodestring(body).decode("ascii")
    return "Content-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: quoted-printable\n\n" + qp


def html_part(rng):
    return ("Content-Type: text/html; charset=us-ascii\n\n<html><body><p>" + sentence(rng, 30)
            + "</p></body></html>\n")


def attachment(rng):
    data = bytes(rng.getrandbits(8) for _ in range(rng.choice([10, 300, 3000, 40000])))
    b64 = base64.encodebytes(data).decode("ascii")
    kind = rng.choice(["application/pdf", "image/png", "application/octet-stream", "application/zip"])
    if rng.random() < 0.3:
        name_params = "; filename*=UTF-8''%C3%BCbersicht%20" + str(rng.randint(1, 99)) + ".pdf"
    else:
        name_params = '; filename="file%d.bin"' % rng.randint(1, 999)
    return ("Content-Type: %s; name=\"att%d\"\nContent-Transfer-Encoding: base64\n"
            "Content-Disposition: attachment%s\n\n%s" % (kind, rng.randint(1, 99), name_params, b64))


def multipart(rng, subtype, parts):
    boundary = "=_b%d_%d" % (rng.randint(1, 10**6), len(parts))
    out = "Content-Type: multipart/%s; boundary=\"%s\"\n\n" % (subtype, boundary)
    if rng.random() < 0.3:
        out += "This is a multi-part message in MIME format.\n"
    for p in parts:
        out += "\n--%s\n%s" % (boundary, p)
    return out + "\n--%s--\n" % boundary


def message(rng, t, i, depth=0):
    r = rng.random()
    if r < 0.4:
        body = text_part(rng)
    elif r < 0.6:
        body = multipart(rng, "alternative", [text_part(rng), html_part(rng)])
    elif r < 0.85:
        parts = [text_part(rng)] + [attachment(rng) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            parts[0] = multipart(rng, "alternative", [text_part(rng), html_part(rng)])
        body = multipart(rng, "mixed", parts)
    elif r < 0.95 and depth < 2:
        inner = message(rng, t - 86400, i, depth + 1)
        body = multipart(rng, "mixed", [text_part(rng), "Content-Type: message/rfc822\n\n" + inner])
    else:
        body = "Content-Type: text/plain\n\n" + paragraphs(rng, 2)
    mime = "MIME-Version: 1.0\n" if rng.random() > 0.05 else ""
    return headers(rng, t, i) + mime + body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=3501)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    corpus = sorted(os.listdir(CORPUS)) if os.path.isdir(CORPUS) else []
    base_time = 1577836800  # 2020-01-01
    per_folder = {f: [] for f in FOLDERS}
    for i in range(args.count):
        t = base_time + rng.randint(0, 5 * 365 * 86400)
        if i < len(corpus):
            with open(os.path.join(CORPUS, corpus[i]), "rb") as f:
                data = f.read()
        else:
            data = message(rng, t, i).encode("utf-8")
        folder = "INBOX" if rng.random() < 0.5 else rng.choice(FOLDERS)
        per_folder[folder].append((t, data))
    for folder, messages in per_folder.items():
        d = args.out if folder == "INBOX" else os.path.join(args.out, "." + folder)
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        if folder != "INBOX":
            open(os.path.join(d, "maildirfolder"), "w").close()
        uidlist = []
        for n, (t, data) in enumerate(messages, 1):
            base = "%d.M%dP%d.gen" % (base_time + n, n, 4242)
            lines = data.count(b"\n")
            crlf = data.count(b"\r\n")
            vsize = len(data) + lines - crlf
            base += ",S=%d,W=%d" % (len(data), vsize)
            flags = "".join(f for f in "DFRST" if rng.random() < {"D": .03, "F": .1, "R": .2, "S": .6, "T": .05}[f])
            kw = "".join(k for k in "abcd" if rng.random() < 0.07)
            path = os.path.join(d, "cur", base + ":2," + flags + kw)
            with open(path, "wb") as f:
                f.write(data)
            os.utime(path, (t, t))
            uidlist.append("%d :%s" % (n, base))
        with open(os.path.join(d, "dovecot-uidlist"), "w") as f:
            f.write("3 V%d N%d G%032x\n" % (1700000000 + FOLDERS.index(folder), len(messages) + 1,
                                          rng.getrandbits(128)))
            f.write("\n".join(uidlist) + ("\n" if uidlist else ""))
        with open(os.path.join(d, "dovecot-keywords"), "w") as f:
            f.write("".join("%d %s\n" % (k, name) for k, name in enumerate(KEYWORDS)))
    with open(os.path.join(args.out, "subscriptions"), "w") as f:
        f.write("V\t2\n\n" + "".join(s.replace(".", "\t") + "\n" for s in SUBSCRIBED))
    print("wrote %d messages in %d folders to %s" % (args.count, len(FOLDERS), args.out))


main()
