#!/usr/bin/env python3
"""COMPRESS=DEFLATE (RFC 4978) through Python's imaplib with a zlib layer, run by CompressClientsTest.

Usage: imaplib_compress.py PORT USER PASSWORD MESSAGES
Prints one "ok <check>" line per passed check; any failure raises (exit status 1)."""
import imaplib, sys, zlib

port, user, password, messages = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
imaplib.Commands["COMPRESS"] = ("AUTH", "SELECTED")


def check(name, condition, detail=""):
    if not condition:
        raise AssertionError("%s failed: %r" % (name, detail))
    print("ok", name, flush=True)


class CompressedImap(imaplib.IMAP4):
    """imaplib with raw DEFLATE both ways after COMPRESS, each command sync-flushed."""

    deflate = None

    def compress(self):
        typ, data = self._simple_command("COMPRESS", "DEFLATE")
        if typ == "OK":
            self.deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
            self.inflate = zlib.decompressobj(-15)
            self.inflated = b""
            self.wire = 0
        return typ, data

    def send(self, data):
        if self.deflate:
            data = self.deflate.compress(data) + self.deflate.flush(zlib.Z_SYNC_FLUSH)
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise self.abort("socket closed")
        self.wire += len(chunk)
        self.inflated += self.inflate.decompress(chunk)

    def read(self, size):
        if not self.deflate:
            return super().read(size)
        while len(self.inflated) < size:
            self._fill()
        data, self.inflated = self.inflated[:size], self.inflated[size:]
        return data

    def readline(self):
        if not self.deflate:
            return super().readline()
        while b"\n" not in self.inflated:
            if len(self.inflated) > imaplib._MAXLINE:
                raise self.error("got more than %d bytes" % imaplib._MAXLINE)
            self._fill()
        end = self.inflated.index(b"\n") + 1
        line, self.inflated = self.inflated[:end], self.inflated[end:]
        return line


m = CompressedImap("127.0.0.1", port, timeout=20)
typ, _ = m.login(user, password)
check("login", typ == "OK")
typ, caps = m.capability()
check("capability", b"COMPRESS=DEFLATE" in caps[0], caps)
typ, data = m.compress()
check("compress", typ == "OK" and data == [b"DEFLATE active."], data)
typ, data = m.compress()
check("compress again", typ == "NO" and data == [b"[COMPRESSIONACTIVE] DEFLATE active via COMPRESS."], data)
typ, data = m.select("INBOX")
check("select", typ == "OK" and int(data[0]) == messages, data)
typ, data = m.fetch("1:*", "(BODY.PEEK[HEADER])")
headers = [part[1] for part in data if isinstance(part, tuple)]
check("fetch headers", typ == "OK" and len(headers) == messages
      and all(h.startswith(b"From: ") and h.endswith(b"\r\n\r\n") for h in headers), len(headers))
check("compressed", m.wire * 2 < sum(len(h) for h in headers), m.wire)
typ, data = m.append("INBOX", None, None, b"Subject: appended compressed\r\n\r\n" + b"line\r\n" * 2000)
check("append", typ == "OK", data)
typ, data = m.search(None, "SUBJECT", "appended")
check("search", data == [str(messages + 1).encode()], data)
typ, data = m.logout()
check("logout", typ == "BYE", data)
