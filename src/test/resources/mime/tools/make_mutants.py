#!/usr/bin/env python3
"""Writes seeded random mutations of the corpus (byte flips, inserted MIME/RFC 5322 tokens,
deletions, duplicated slices, truncation) into ../mutants/corpus/ for differential testing against
Dovecot (fetch_expected.py ../mutants). Deterministic: same seed, same files. The output is
committed; 17-huge-header-line is left out to keep the fixtures small."""
import os, random

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "corpus")
OUT = os.path.join(HERE, "..", "mutants", "corpus")
SEED = 2026
COUNT = 150
TOKENS = [b"\r\n", b"\n", b"\r", b"--", b"\r\n--", b":", b";", b'"', b"\\", b"(", b")", b"<", b">",
          b"@", b",", b"=?utf-8?q?", b"?=", b"*0*=", b"*1=", b"''", b"%", b"\t", b" ",
          b"Content-Type: multipart/mixed; boundary=", b"Content-Type: message/rfc822\r\n\r\n",
          b"\r\n\r\n", b'boundary="', b"=\r\n", b"\r\n ", b"Content-Disposition: attachment; filename*0=",
          b"\xff", b"\x00"]

def mutate(b, rnd):
    b = bytearray(b)
    for _ in range(rnd.randint(1, 6)):
        pos = rnd.randrange(len(b) + 1) if b else 0
        kind = rnd.randrange(5)
        if kind == 0 and b:
            b[min(pos, len(b) - 1)] = rnd.randrange(256)
        elif kind == 1:
            b[pos:pos] = rnd.choice(TOKENS)
        elif kind == 2:
            del b[pos:pos + rnd.randrange(40)]
        elif kind == 3:
            piece = b[pos:pos + rnd.randrange(200)]
            at = rnd.randrange(len(b) + 1)
            b[at:at] = piece
        else:
            del b[pos:]
    return bytes(b)

def main():
    rnd = random.Random(SEED)
    names = [n for n in sorted(os.listdir(CORPUS)) if not n.startswith("17")]
    os.makedirs(OUT, exist_ok=True)
    for i in range(COUNT):
        src = open(os.path.join(CORPUS, rnd.choice(names)), "rb").read()
        data = mutate(src, rnd)
        if not data:
            data = b"\r\n"  # Dovecot will not store an empty message
        with open(os.path.join(OUT, "m%03d.eml" % i), "wb") as f:
            f.write(data)

main()
