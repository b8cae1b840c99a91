"""IMAP wire helpers shared by the script runner and the stress check.

Values are parsed into a small tree: ``Atom(text)``, ``Str(text, literal)``, ``NIL`` and Python lists.
The same parser reads the server's responses and the expected responses written in test scripts, so
both sides are compared in one shape.
"""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass


@dataclass(frozen=True)
class Atom:
    text: str


@dataclass(frozen=True)
class Str:
    text: str
    literal: bool = False


class _Nil:
    def __repr__(self) -> str:
        return "NIL"


NIL = _Nil()

STATUS_WORDS = {"OK", "NO", "BAD", "BYE", "PREAUTH"}
_LITERAL = re.compile(r"~?\{(\d+)\+?\}\r\n")


class ParseError(ValueError):
    pass


def parse(text: str) -> list:
    """Parses one response (or expected response) into a list of values."""
    values, pos = _parse_list(text, 0, top=True)
    return values


def parse_status_tolerant(text: str) -> list:
    """Like parse, but free text after a status word that does not parse (a stray parenthesis or
    quote in human-readable text) is split on spaces instead."""
    try:
        return parse(text)
    except ParseError:
        words = text.split(" ")
        head = []
        # keep a bracketed response code parsed when it is balanced
        rest = text
        for i, word in enumerate(words):
            if word.upper() in STATUS_WORDS:
                head = [Atom(w) for w in words[: i + 1]]
                rest = " ".join(words[i + 1:])
                break
        if rest.startswith("["):
            end = rest.find("]")
            if end > 0:
                try:
                    return head + parse(rest[: end + 1]) + [Atom(w) for w in rest[end + 1:].split()]
                except ParseError:
                    pass
        return head + [Atom(w) for w in rest.split()]


def _parse_list(text: str, pos: int, top: bool) -> tuple[list, int]:
    values: list = []
    n = len(text)
    while pos < n:
        c = text[pos]
        if c == " ":
            pos += 1
        elif c == "(":
            sub, pos = _parse_list(text, pos + 1, top=False)
            values.append(sub)
        elif c == ")":
            if top:
                raise ParseError("unbalanced ')'")
            return values, pos + 1
        elif c == '"':
            value, pos = _parse_quoted(text, pos)
            values.append(Str(value))
        elif (c == "{" or c == "~") and _LITERAL.match(text, pos):
            m = _LITERAL.match(text, pos)
            size = int(m.group(1))
            start = m.end()
            if start + size > n:
                raise ParseError("literal runs past the end")
            values.append(Str(text[start:start + size], literal=True))
            pos = start + size
        elif c in "\r\n":
            pos += 1
        else:
            start = pos
            while pos < n and text[pos] not in ' ()"\r\n':
                pos += 1
            word = text[start:pos]
            values.append(NIL if word.upper() == "NIL" else Atom(word))
    if not top:
        raise ParseError("unbalanced '('")
    return values, pos


def _parse_quoted(text: str, pos: int) -> tuple[str, int]:
    out = []
    pos += 1
    while pos < len(text):
        c = text[pos]
        if c == "\\" and pos + 1 < len(text):
            out.append(text[pos + 1])
            pos += 2
        elif c == '"':
            return "".join(out), pos + 1
        else:
            out.append(c)
            pos += 1
    raise ParseError("unterminated quoted string")


def to_text(value) -> str:
    """Renders values back to IMAP-like text for messages."""
    if isinstance(value, list):
        return "(" + " ".join(to_text(v) for v in value) + ")"
    if value is NIL:
        return "NIL"
    if isinstance(value, Atom):
        return value.text
    if isinstance(value, Str):
        if value.literal or "\r" in value.text or "\n" in value.text:
            return "{%d}%r" % (len(value.text.encode("latin-1", "replace")), value.text)
        return '"' + value.text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def args_text(values: list) -> str:
    return " ".join(to_text(v) for v in values)


def as_string(value):
    """The text of an atom or string (astring), or None for lists and NIL."""
    if isinstance(value, (Atom, Str)):
        return value.text
    return None


class Connection:
    """A blocking IMAP connection that reads whole responses (literals included) as latin-1 text,
    so byte counts survive the round trip."""

    def __init__(self, host: str, port: int, timeout: float = 15.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buffer = b""
        self.closed = False

    def send(self, data: str | bytes) -> None:
        if isinstance(data, str):
            data = data.encode("latin-1")
        self.sock.sendall(data)

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            self.closed = True
            raise EOFError("server closed the connection")
        self.buffer += chunk

    def _line(self) -> bytes:
        while True:
            i = self.buffer.find(b"\r\n")
            if i >= 0:
                line, self.buffer = self.buffer[: i + 2], self.buffer[i + 2:]
                return line
            self._fill()

    def _exact(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def read_response(self) -> str:
        """One full response without its final CRLF; literals are kept inline as {n}CRLF<data>."""
        parts = []
        while True:
            line = self._line()
            parts.append(line)
            m = re.search(rb"~?\{(\d+)\+?\}\r\n$", line)
            if not m:
                break
            parts.append(self._exact(int(m.group(1))))
        text = b"".join(parts).decode("latin-1")
        return text[:-2]

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
